/**
 * Stand-ins for the two remote ends of GitHub OIDC credentials, on loopback:
 *
 * - `startIdTokenServer`: stands in for GitHub's ID token endpoint (the runner's
 *   ACTIONS_ID_TOKEN_REQUEST_URL). @actions/core's OidcClient calls `<url>&audience=<aud>` with
 *   `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` and reads `{"value": "<jwt>"}`; this server
 *   answers the same way with an unsigned JWT (moto's STS accepts any token) and records every request.
 * - `startStsStandIn`: stands in for STS where moto cannot help (throttling, IDPCommunicationError,
 *   AccessDenied): it answers AssumeRoleWithWebIdentity (query protocol, XML) from a script.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IdTokenRequest {
  /** The `audience` query parameter, as the Actions service would read it. */
  audience: string | null;
  authorization: string | undefined;
  url: string;
}

export interface IdTokenServer {
  /** For ACTIONS_ID_TOKEN_REQUEST_URL: already has a query string, as the runner's does. */
  url: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  requests: IdTokenRequest[];
  /** The two variables the runner sets in a job with `id-token: write`. */
  env(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  close(): Promise<void>;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT with GitHub's claims (no verifier sees it: moto accepts any token). */
export function fakeGithubJwt(audience: string, subject: string, serial: number): string {
  const iat = Math.floor(Date.now() / 1000);
  return [
    b64url({ alg: 'RS256', typ: 'JWT', kid: 'stand-in' }),
    b64url({
      iss: 'https://token.actions.githubusercontent.com',
      aud: audience,
      sub: subject,
      repository: 'octo-org/octo-repo',
      jti: `stand-in-${serial}`,
      iat,
      nbf: iat,
      exp: iat + 300,
    }),
    randomBytes(16).toString('base64url'),
  ].join('.');
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const closer = (server: http.Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function startIdTokenServer(
  subject = 'repo:octo-org/octo-repo:ref:refs/heads/main',
): Promise<IdTokenServer> {
  const requestToken = `request-token-${randomBytes(8).toString('hex')}`;
  const requests: IdTokenRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const audience = url.searchParams.get('audience');
    requests.push({ audience, authorization: req.headers.authorization, url: req.url ?? '' });
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname !== '/token') {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: 'not found' }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      res.statusCode = 401;
      res.end(JSON.stringify({ message: 'bad request token' }));
      return;
    }
    // Without an audience the Actions service uses the repository owner's URL; the tests always give one.
    res.end(
      JSON.stringify({
        count: requests.length,
        value: fakeGithubJwt(audience ?? 'https://github.com/octo-org', subject, requests.length),
      }),
    );
  });
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}/token?api-version=2.0`;
  return {
    url,
    requestToken,
    requests,
    env: () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }),
    close: closer(server),
  };
}

/** What the stand-in STS answers, in order; the last entry repeats. */
export type StsAnswer = 'ok' | { code: string; message: string; status?: number };

export interface StsRequest {
  action: string | null;
  roleArn: string | null;
  roleSessionName: string | null;
  webIdentityToken: string | null;
  durationSeconds: string | null;
  authorization: string | undefined;
}

export interface StsStandIn {
  endpoint: string;
  requests: StsRequest[];
  close(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export async function startStsStandIn(script: StsAnswer[]): Promise<StsStandIn> {
  const requests: StsRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push({
        action: form.get('Action'),
        roleArn: form.get('RoleArn'),
        roleSessionName: form.get('RoleSessionName'),
        webIdentityToken: form.get('WebIdentityToken'),
        durationSeconds: form.get('DurationSeconds'),
        authorization: req.headers.authorization,
      });
      const answer = script[Math.min(requests.length, script.length) - 1] ?? 'ok';
      res.setHeader('Content-Type', 'text/xml');
      if (answer !== 'ok') {
        res.statusCode = answer.status ?? 400;
        res.end(
          `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${answer.code}</Code>` +
            `<Message>${answer.message}</Message></Error><RequestId>req-${requests.length}</RequestId></ErrorResponse>`,
        );
        return;
      }
      const n = requests.length;
      const expiration = new Date(Date.now() + 3600_000).toISOString();
      res.end(
        `<AssumeRoleWithWebIdentityResponse xmlns="${NS}"><AssumeRoleWithWebIdentityResult>` +
          `<Credentials><AccessKeyId>ASIASTANDIN${String(n).padStart(9, '0')}</AccessKeyId>` +
          `<SecretAccessKey>secret-${n}-${randomBytes(8).toString('hex')}</SecretAccessKey>` +
          `<SessionToken>session-${n}-${randomBytes(16).toString('hex')}</SessionToken>` +
          `<Expiration>${expiration}</Expiration></Credentials>` +
          `<AssumedRoleUser><AssumedRoleId>AROASTANDIN:${form.get('RoleSessionName')}</AssumedRoleId>` +
          `<Arn>arn:aws:sts::123456789012:assumed-role/kedro-ci/${form.get('RoleSessionName')}</Arn></AssumedRoleUser>` +
          `<SubjectFromWebIdentityToken>repo:octo-org/octo-repo:ref:refs/heads/main</SubjectFromWebIdentityToken>` +
          `</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>req-${n}</RequestId></ResponseMetadata>` +
          `</AssumeRoleWithWebIdentityResponse>`,
      );
    });
  });
  const port = await listen(server);
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: closer(server) };
}

/** Sets (or, with undefined, removes) environment variables until the returned function is called. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(vars)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
