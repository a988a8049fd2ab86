import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { required } from '../../src/context/common';
import type { ModeContext } from '../../src/context/context';
import {
  isInputBacked,
  loadState,
  STATE,
  type StateKey,
  saveState,
  stateFile,
  stateFromInputs,
  workDir,
} from '../../src/context/state';
import { INPUT, type InputName, isInputName, readInputs } from '../../src/inputs';
import { camelCase } from '../../src/lib/keys';

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

describe('state keys', () => {
  const keys = Object.values(STATE);

  test('named once, by the camelCase of the key', () => {
    for (const [k, key] of Object.entries(STATE)) expect(camelCase(key)).toBe(k);
    expect(STATE.confArchive).toBe('conf-archive');
    expect(STATE.localRun).toBe('local-run');
  });

  test('a key that can be given as an input is an input of that name; the others are no input', () => {
    for (const key of keys) expect({ key, input: isInputBacked(key) }).toEqual({ key, input: isInputName(key) });
    expect(keys.filter((k) => !isInputBacked(k)).sort()).toEqual([
      'batch-job-ids',
      'deployment-id',
      'image-platform',
      'local-run',
    ]);
  });

  test('the inputs give the input-backed keys, and an empty input gives none', () => {
    const values: Partial<Record<InputName, string>> = { mode: 'verify', 'run-id': 'r1', plan: '/p/plan.json' };
    const inputs = readInputs((name) => values[name] ?? '', os.tmpdir(), {});
    const state = stateFromInputs(inputs);
    expect(Object.keys(state).sort()).toEqual(keys.filter(isInputBacked).sort());
    expect(state).toMatchObject({ [STATE.runId]: 'r1', [STATE.plan]: '/p/plan.json', [STATE.wheel]: undefined });
  });

  test('a missing value says which mode makes it, and offers the input only when there is one', () => {
    const ctx = { get: () => undefined, inputs: { stage: 'dev' } } as unknown as ModeContext;
    const message = (key: StateKey) => {
      try {
        required(ctx, key, 'mode "run"');
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(message(STATE.runId)).toBe(
      `no "run-id": run mode "run" earlier in this job (same stage "dev"), or give the "${INPUT.runId}" input`,
    );
    // The action's own state key is not said as if it were an input.
    expect(message(STATE.localRun)).toBe(
      'no local-run record for stage "dev" in this job: run mode "run" earlier in this job, with the same stage',
    );
  });
});
