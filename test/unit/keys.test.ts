import { camelCase, keyed } from '../../src/lib/keys';

describe('keyed names', () => {
  test('kebab-case names become camelCase keys', () => {
    expect(camelCase('role-to-assume')).toBe('roleToAssume');
    expect(camelCase('wheel')).toBe('wheel');
    const names = keyed(['conf-archive', 'run-id']);
    expect(names).toEqual({ confArchive: 'conf-archive', runId: 'run-id' });
    expect(names.confArchive).toBe('conf-archive');
    expect(Object.isFrozen(names)).toBe(true);
  });

  test('two names that make one key are refused', () => {
    expect(() => keyed(['run-id', 'runId'])).toThrow(/two names make the key runId/);
  });
});
