import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadState, saveState, stateFile, workDir } from '../../src/state';

describe('state file', () => {
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-state-'));
  const env = { RUNNER_TEMP: runnerTemp };

  test('lives under RUNNER_TEMP, one per stage', () => {
    expect(workDir('pr-7', env)).toBe(path.join(runnerTemp, 'kedro-aws-action', 'pr-7'));
    expect(stateFile('pr-7', env)).not.toBe(stateFile('nightly', env));
  });

  test('a later mode reads what an earlier one saved, merged', () => {
    const file = stateFile('merge', env);
    expect(loadState(file)).toEqual({});
    saveState(file, { wheel: '/w.whl' });
    saveState(file, { plan: '/plan.json' });
    expect(loadState(file)).toEqual({ wheel: '/w.whl', plan: '/plan.json' });
  });

  test('unknown keys in the file are ignored', () => {
    const file = stateFile('unknown', env);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ wheel: '/w.whl', bogus: 'x', plan: 3 }));
    expect(loadState(file)).toEqual({ wheel: '/w.whl' });
  });

  test('a corrupt file says how to recover', () => {
    const file = stateFile('corrupt', env);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{not json');
    expect(() => loadState(file)).toThrow(/delete it or pass the values as inputs/);
  });
});
