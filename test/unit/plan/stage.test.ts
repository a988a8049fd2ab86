import { cleanStage, STAGE_MAX_LENGTH } from '../../../src/plan/names';
import { problemsOf } from './fixtures';

describe('cleanStage', () => {
  it.each(['pr-123', 'nightly', 'dev', 'a1'])('keeps the stage %p as it is', (stage) => {
    expect(cleanStage(stage)).toBe(stage);
  });

  it('lower-cases and trims without adding a hash', () => {
    expect(cleanStage('  Nightly ')).toBe('nightly');
  });

  it('turns `feature/Foo_bar` into lowercase letters, digits and dashes, with a hash', () => {
    const stage = cleanStage('feature/Foo_bar');
    expect(stage).toMatch(/^feature-foo-bar-[0-9a-f]{8}$/);
  });

  it('keeps stages apart that only differ in replaced characters', () => {
    expect(cleanStage('feature/foo_bar')).not.toBe(cleanStage('feature/foo-bar'));
  });

  it('keeps two long branch names with the same beginning apart, within 32 characters', () => {
    const a = cleanStage('dependabot/npm_and_yarn/jest-29.7.0');
    const b = cleanStage('dependabot/npm_and_yarn/typescript-5.9.3');
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(STAGE_MAX_LENGTH);
    expect(b.length).toBeLessThanOrEqual(STAGE_MAX_LENGTH);
    expect(a).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
  });

  it('is the same across calls', () => {
    expect(cleanStage('Feature/X')).toBe(cleanStage('Feature/X'));
  });

  it.each(['', '   ', '///', '___', '—'])('rejects %p, naming the `stage` input', (stage) => {
    const problems = problemsOf(() => cleanStage(stage));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('`stage` input');
  });
});
