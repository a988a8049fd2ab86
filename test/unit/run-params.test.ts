/**
 * `run` starts every group with the plan's runtime params (Kedro's reading of what `package` was given); a
 * `runtime-params` input given to `run` as well must say the same, or nothing starts.
 */
import { parseRuntimeParams } from '../../src/inputs/table';
import { checkRuntimeParams } from '../../src/modes/run';
import type { Plan } from '../../src/plan/schema';

/** The part of a plan the check reads. */
function plan(runtime_params: Record<string, unknown>, runtime_params_text?: string | null): Plan {
  return { runtime_params, runtime_params_text } as Plan;
}

const check = (input: string, p: Plan) => () => checkRuntimeParams(parseRuntimeParams(input), p);

describe('run and the plan agree on the runtime params', () => {
  const fromText = plan({ output_prefix: 'pr-7', model: { lr: 0.1 } }, 'output_prefix=pr-7\nmodel.lr=0.1');
  const fromJson = plan({ output_prefix: 'pr-7' }, null);

  test('no input at run: the plan says', () => {
    expect(check('', fromText)).not.toThrow();
    expect(check('  ', fromJson)).not.toThrow();
  });

  test('the same key=value items, however separated and spaced', () => {
    expect(check('output_prefix=pr-7, model.lr=0.1', fromText)).not.toThrow();
    expect(check('output_prefix=pr-7\r\nmodel.lr=0.1\n', fromText)).not.toThrow();
  });

  test('other items are refused, even when Kedro might read them the same: only Kedro says', () => {
    expect(check('model.lr=0.1,output_prefix=pr-7', fromText)).toThrow(
      /^input "runtime-params" is "model\.lr=0\.1,output_prefix=pr-7", but the plan was exported with "output_prefix=pr-7\\nmodel\.lr=0\.1", which Kedro reads as \{"model":\{"lr":0\.1\},"output_prefix":"pr-7"\}: .*\(nothing was started\)$/,
    );
    expect(check('output_prefix=pr-8,model.lr=0.1', fromText)).toThrow(/Leave "runtime-params" empty for mode "run"/);
  });

  test('a JSON object is compared as values with the plan (key order aside)', () => {
    expect(check('{"model": {"lr": 0.1}, "output_prefix": "pr-7"}', fromText)).not.toThrow();
    expect(check('{"output_prefix": "pr-7"}', fromJson)).not.toThrow();
    expect(check('{"output_prefix": "pr-8"}', fromJson)).toThrow(
      /^input "runtime-params" is \{"output_prefix":"pr-8"\}, but the plan was exported with \{"output_prefix":"pr-7"\}: /,
    );
  });

  test('key=value text against a plan exported from a JSON object (or an older plan) is refused', () => {
    expect(check('output_prefix=pr-7', fromJson)).toThrow(/is "output_prefix=pr-7", but the plan was exported with/);
    expect(check('output_prefix=pr-7', plan({ output_prefix: 'pr-7' }))).toThrow(/nothing was started/);
  });
});
