import { createHash } from 'node:crypto';
import { PlanningError } from '../../../src/plan/errors';
import {
  awsName,
  awsNameSet,
  isSafeName,
  NAME_KINDS,
  NAME_RULES,
  nameHash,
  SAFE_NAME_PATTERN,
} from '../../../src/plan/names';

const HEX8 = /-[0-9a-f]{8}$/;

describe('awsName', () => {
  it('keeps a name that is already valid and short, with no hash', () => {
    expect(awsName('lambda', ['spaceflights', 'pr-1', 'data_processing'])).toBe('spaceflights-pr-1-data_processing');
    expect(awsName('state', ['reporting'])).toBe('reporting');
  });

  it('gives a 200-character namespace a Lambda name within 64 characters, with a hash, stable across calls', () => {
    const namespace = 'feature_engineering_'.repeat(10);
    expect(namespace).toHaveLength(200);
    const first = awsName('lambda', ['spaceflights', 'dev', namespace]);
    const second = awsName('lambda', ['spaceflights', 'dev', namespace]);
    expect(first).toBe(second);
    expect(first.length).toBeLessThanOrEqual(64);
    expect(first).toMatch(HEX8);
    expect(first.startsWith('spaceflights-dev-feature_engineering')).toBe(true);
  });

  it('appends the first 8 hex digits of the SHA-256 of the original parts', () => {
    const expected = createHash('sha256')
      .update(JSON.stringify(['p', 's', 'a.b']))
      .digest('hex')
      .slice(0, 8);
    expect(awsName('lambda', ['p', 's', 'a.b'])).toBe(`p-s-a-b-${expected}`);
    expect(nameHash(['p', 's', 'a.b'])).toBe(expected);
  });

  it('gives `a.b` and `a,b` different names', () => {
    const dot = awsName('lambda', ['proj', 'dev', 'a.b']);
    const comma = awsName('lambda', ['proj', 'dev', 'a,b']);
    expect(dot).not.toBe(comma);
    expect(dot.startsWith('proj-dev-a-b-')).toBe(true);
    expect(comma.startsWith('proj-dev-a-b-')).toBe(true);
  });

  it('gives an all-punctuation group name a valid name made of the prefix and the hash', () => {
    const name = awsName('lambda', ['proj', 'dev', '...']);
    expect(name).toMatch(/^proj-dev-[0-9a-f]{8}$/);
    expect(isSafeName('lambda', name)).toBe(true);
  });

  it('gives a name with nothing usable at all just the hash, never an empty name', () => {
    for (const kind of NAME_KINDS) {
      const name = awsName(kind, ['...', '—', '']);
      expect(name).toMatch(/^[0-9a-f]{8}$/);
    }
    expect(awsName('state', [])).toMatch(/^[0-9a-f]{8}$/);
  });

  it('replaces unicode and spaces, and still tells apart names that clean the same', () => {
    const cafe = awsName('state', ['café au lait']);
    const cafe2 = awsName('state', ['cafè au lait']);
    expect(cafe).toMatch(/^caf-au-lait-[0-9a-f]{8}$/);
    expect(cafe).not.toBe(cafe2);
  });

  it('gives Batch names that start with a letter or digit even when the group starts with `_` or `-`', () => {
    for (const kind of ['batchJob', 'jobDefinition'] as const) {
      for (const group of ['_private', '-dash', '__', '.hidden', '_-_x']) {
        const name = awsName(kind, [group]);
        expect(name).toMatch(/^[A-Za-z0-9]/);
        expect(isSafeName(kind, name)).toBe(true);
      }
    }
  });

  it('never ends a cut name on a separator before the hash', () => {
    const name = awsName('lambda', ['p', 's', `${'a'.repeat(50)}____${'b'.repeat(50)}`]);
    expect(name).not.toMatch(/[-_]-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(64);
  });

  it('shortens the longest part first, keeping the project and stage readable', () => {
    const name = awsName('lambda', ['spaceflights', 'pr-123', 'x'.repeat(100)]);
    expect(name.startsWith('spaceflights-pr-123-xxx')).toBe(true);
    expect(name).toHaveLength(64);
  });

  it('keeps every kind within its limit for very long parts', () => {
    for (const kind of NAME_KINDS) {
      const name = awsName(kind, ['p'.repeat(300), 's'.repeat(300), 'g'.repeat(300)]);
      expect(name.length).toBeLessThanOrEqual(NAME_RULES[kind].maxLength);
      expect(name).toMatch(SAFE_NAME_PATTERN);
    }
  });

  it('uses the limits AWS documents for each kind', () => {
    expect(NAME_RULES.lambda.maxLength).toBe(64);
    expect(NAME_RULES.stateMachine.maxLength).toBe(80);
    expect(NAME_RULES.state.maxLength).toBe(80);
    expect(NAME_RULES.execution.maxLength).toBe(80);
    expect(NAME_RULES.batchJob.maxLength).toBe(128);
    expect(NAME_RULES.jobDefinition.maxLength).toBe(128);
  });

  it('cuts a name that is valid but too long, and adds the hash', () => {
    const group = 'a'.repeat(64);
    expect(awsName('state', [group])).toBe(group);
    const lambda = awsName('lambda', ['p', group]);
    expect(lambda).toHaveLength(64);
    expect(lambda).toMatch(HEX8);
  });

  it('adds a hash when asked, even to a valid name, with the asked length', () => {
    expect(awsName('state', ['ok'], { forceHash: true, hashLength: 16 })).toMatch(/^ok-[0-9a-f]{16}$/);
  });
});

describe('awsNameSet', () => {
  it('names every group of a set, in order', () => {
    const names = awsNameSet('lambda', ['proj', 'dev'], ['b', 'a.b', 'a,b']);
    expect([...names.keys()]).toEqual(['b', 'a.b', 'a,b']);
    expect(names.get('b')).toBe('proj-dev-b');
    expect(new Set(names.values()).size).toBe(3);
  });

  it('lengthens the hash when a group is literally named like another group’s hashed name', () => {
    const hashed = awsName('state', ['x.y']);
    const names = awsNameSet('state', [], ['x.y', hashed]);
    expect(names.get('x.y')).not.toBe(names.get(hashed));
    expect(names.get('x.y')).toMatch(/-[0-9a-f]{16}$/);
    expect(names.get(hashed)).toMatch(/-[0-9a-f]{16}$/);
  });

  it('gives groups that differ only by case distinct names', () => {
    const names = awsNameSet('lambda', ['p'], ['Data', 'data']);
    expect(names.get('Data')?.toLowerCase()).not.toBe(names.get('data')?.toLowerCase());
  });

  it('rejects duplicate group names, naming them', () => {
    expect(() => awsNameSet('state', [], ['a', 'b', 'a'])).toThrow(PlanningError);
    expect(() => awsNameSet('state', [], ['a', 'b', 'a'])).toThrow(/"a"/);
  });
});
