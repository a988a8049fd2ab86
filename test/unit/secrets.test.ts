import * as core from '@actions/core';
import { MASK, registerSecret, scrub, scrubDeep, scrubText, secretForms } from '../../src/lib/secrets';

// AWS's documentation examples: credential-shaped, never real.
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('scrubText: what a published text loses', () => {
  test('every registered value, wherever it is', () => {
    const token = 's3cr3t-t0ken-value';
    expect(scrubText(`before ${token} after ${token}`, [token])).toBe(`before ${MASK} after ${MASK}`);
  });

  test('a registered value as JSON, a URL or base64 spells it', () => {
    const secret = 'pa"ss/w+rd\\x';
    const text = [
      JSON.stringify({ password: secret }),
      `https://host/?p=${encodeURIComponent(secret)}`,
      `Basic ${Buffer.from(secret).toString('base64')}`,
    ].join('\n');
    const out = scrubText(text, [secret]);
    for (const form of secretForms([secret])) expect(out).not.toContain(form);
    expect(out).toBe([`{"password":"${MASK}"}`, `https://host/?p=${MASK}`, `Basic ${MASK}`].join('\n'));
  });

  test('a secret that holds another is masked whole', () => {
    expect(scrubText('x abcdefgh-ijkl x', ['abcdefgh', 'abcdefgh-ijkl'])).toBe(`x ${MASK} x`);
  });

  test('each long line of a multi-line secret, should the text cut it', () => {
    const pem = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----';
    expect(scrubText('tail: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', [pem])).toBe(`tail: ${MASK}`);
  });

  test('AWS access key ids of every kind, unregistered', () => {
    for (const prefix of ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'ANPA', 'ANVA', 'AIPA']) {
      const id = `${prefix}${'Z2'.repeat(8)}`;
      expect(scrubText(`key ${id}, then`, [])).toBe(`key ${MASK}, then`);
    }
    expect(scrubText(`X-Amz-Credential=${KEY_ID}%2F20250101`, [])).toBe(`X-Amz-Credential=${MASK}%2F20250101`);
  });

  test('a secret access key after a label that names it', () => {
    const cases = [
      `aws_secret_access_key = ${SECRET}`,
      `AWS_SECRET_ACCESS_KEY=${SECRET}`,
      `"SecretAccessKey": "${SECRET}"`,
      `{'secret': '${SECRET}'}`,
      `secret_key: ${SECRET}`,
    ];
    for (const text of cases) {
      const out = scrubText(text, []);
      expect(out).not.toContain(SECRET);
      expect(out).toContain(MASK);
    }
  });

  test('a session token after its label', () => {
    const token = `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH${'A'.repeat(80)}==`;
    for (const text of [
      `aws_session_token=${token}`,
      `"SessionToken": "${token}"`,
      `X-Amz-Security-Token=${encodeURIComponent(token)}&X-Amz-Date=1`,
    ]) {
      expect(scrubText(text, [])).not.toContain(token.slice(0, 40));
    }
  });

  test('GitHub tokens', () => {
    const token = `ghs_${'a1B2'.repeat(9)}`;
    expect(scrubText(`Authorization: token ${token}`, [])).toBe(`Authorization: token ${MASK}`);
  });

  test('ordinary text is kept: names, ARNs, run ids, hashes, a 40-character string without a label', () => {
    const text = [
      'group "data_processing" failed (local executor): ValueError',
      'arn:aws:states:us-east-1:123456789012:execution:spaceflights-ci:run42-attempt1',
      'run id 2025-01-01T00.00.00.000Z',
      `image sha256:${'ab'.repeat(32)}`,
      'git a94781b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6',
      'secret sauce: none',
    ].join('\n');
    expect(scrubText(text, [])).toBe(text);
  });

  test('an empty or blank registration masks nothing', () => {
    expect(scrubText('a b c', ['', '  '])).toBe('a b c');
  });
});

describe('registerSecret and scrub: one registry per process', () => {
  test('a registered value is masked in the log and scrubbed from what is published', () => {
    const masked: string[] = [];
    const spy = jest.spyOn(core, 'setSecret').mockImplementation((v: string) => void masked.push(v));
    try {
      registerSecret('registered-in-this-test');
      registerSecret(undefined);
      registerSecret('');
      expect(masked).toEqual(['registered-in-this-test']);
      expect(scrub('cause: registered-in-this-test')).toBe(`cause: ${MASK}`);
    } finally {
      spy.mockRestore();
    }
  });

  test('scrubDeep scrubs every string of a report and keeps the rest', () => {
    const start = new Date('2025-01-01T00:00:00Z');
    const report = {
      failure: { error: 'E', cause: `key ${KEY_ID}` },
      groups: [{ name: 'g', start, attempts: 2, tags: [`x ${KEY_ID}`] }],
      done: true,
    };
    const out = scrubDeep(report, (t) => scrubText(t, []));
    expect(out).toEqual({
      failure: { error: 'E', cause: `key ${MASK}` },
      groups: [{ name: 'g', start, attempts: 2, tags: [`x ${MASK}`] }],
      done: true,
    });
    expect(out.groups[0]!.start).toBeInstanceOf(Date);
    expect(report.failure.cause).toBe(`key ${KEY_ID}`);
  });
});
