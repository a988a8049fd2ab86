import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OUTPUT } from '../../src/context/outputs';
import {
  AWS_PARTITIONS,
  DEFAULTS,
  FIELD,
  INPUT,
  INPUT_TABLE,
  type InputName,
  type InputSpec,
  MODES,
  parseRuntimeParams,
  readInputs,
  runtimeParamItems,
} from '../../src/inputs';
import { ActionError } from '../../src/lib/errors';
import { camelCase } from '../../src/lib/keys';

const ROOT = path.resolve(__dirname, '..', '..');

/** A Kedro-looking project in a temp folder (the checks only read pyproject.toml). */
function fakeProject(pyproject = '[tool.kedro]\npackage_name = "demo"\nproject_name = "demo"\n'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-inputs-'));
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), pyproject);
  return dir;
}

/** Reads inputs from a plain map, the way a user writes them under `with:`. */
function read(values: Partial<Record<InputName, string>>) {
  return readInputs((name) => values[name] ?? '', os.tmpdir());
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ActionError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('inputs', () => {
  const project = fakeProject();

  test('a single mode and the defaults', () => {
    const inputs = read({ mode: 'package', 'project-path': project });
    expect(inputs.modes).toEqual(['package']);
    expect(inputs.target).toBe('step-functions');
    expect(inputs.env).toBe('aws');
    expect(inputs.pipeline).toBe('__default__');
    expect(inputs.python).toBe('python3');
    expect(inputs.wait).toBe(true);
    expect(inputs.timeoutMinutes).toBe(350);
    expect(inputs.runtimeParams).toBeUndefined();
    expect(inputs.projectPath).toBe(project);
  });

  test('several modes run in the order given, spaces allowed', () => {
    expect(read({ mode: ' package , build,deploy ', 'project-path': project }).modes).toEqual([
      'package',
      'build',
      'deploy',
    ]);
  });

  test('an unknown mode names the input and the accepted values', () => {
    const message = errorOf(() => read({ mode: 'bogus' }));
    expect(message).toContain('input "mode"');
    expect(message).toContain('"bogus"');
    for (const m of MODES) expect(message).toContain(m);
  });

  test('an empty mode list is refused', () => {
    expect(errorOf(() => read({ mode: ' , ' }))).toMatch(/input "mode" is empty/);
    expect(errorOf(() => read({}))).toMatch(/input "mode" is empty/);
  });

  test('a mode listed twice is refused', () => {
    expect(errorOf(() => read({ mode: 'package,package', 'project-path': project }))).toMatch(/"package" twice/);
  });

  test('modes out of order are refused before any work, saying the order that works', () => {
    // verify before run: package would run fully, then verify would find no run.
    const message = errorOf(() => read({ mode: 'package,verify,run', 'project-path': project }));
    expect(message).toBe(
      'input "mode" lists "verify" before "run": the modes run in the order given, each from what the ones ' +
        'before it left, so they go in this order: package, build, deploy, run, verify, teardown (teardown ' +
        'after package); give "package,run,verify"',
    );
    expect(errorOf(() => read({ mode: 'teardown,package' }))).toMatch(
      /lists "teardown" before "package".*give "package,teardown"/,
    );
    expect(errorOf(() => read({ mode: 'deploy,build' }))).toMatch(/give "build,deploy"/);
  });

  test('every order of modes the README and templates use is accepted', () => {
    for (const mode of [
      'package,build,deploy,run,verify',
      'package,deploy,run,verify',
      'package,run,verify',
      'package,teardown',
      'deploy,run',
      'package,build,deploy,run,verify,teardown',
      'verify',
    ]) {
      expect(read({ mode, 'project-path': project }).modes).toEqual(mode.split(','));
    }
  });

  test('every bad input is reported at once', () => {
    const message = errorOf(() => read({ mode: 'nope', target: 'ecs', wait: 'maybe', 'timeout-minutes': '-3' }));
    expect(message).toContain('input "mode"');
    expect(message).toContain('input "target" accepts step-functions or batch');
    expect(message).toContain('input "wait" accepts true or false');
    expect(message).toContain('input "timeout-minutes"');
  });

  test('a missing project path is named', () => {
    const message = errorOf(() => read({ mode: 'package', 'project-path': '/no/such/kedro/project' }));
    expect(message).toContain('input "project-path"');
    expect(message).toContain('does not exist');
  });

  test('a folder without pyproject.toml is not a Kedro project', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-empty-'));
    expect(errorOf(() => read({ mode: 'package', 'project-path': dir }))).toMatch(
      /input "project-path".*not a Kedro project \(no pyproject.toml/,
    );
  });

  test('a Python project that is not a Kedro project is named', () => {
    const dir = fakeProject('[project]\nname = "plain"\n');
    expect(errorOf(() => read({ mode: 'package', 'project-path': dir }))).toMatch(/no \[tool\.kedro\] table/);
  });

  test('modes that do not need the project do not check it', () => {
    expect(read({ mode: 'verify', 'project-path': '/no/such/place' }).modes).toEqual(['verify']);
  });

  test('a role that is not an IAM role ARN is refused', () => {
    expect(errorOf(() => read({ mode: 'verify', 'role-to-assume': 'my-role' }))).toMatch(
      /input "role-to-assume" must be an IAM role ARN/,
    );
    expect(read({ mode: 'verify', 'role-to-assume': 'arn:aws:iam::123456789012:role/kedro-deploy' }).roleToAssume).toBe(
      'arn:aws:iam::123456789012:role/kedro-deploy',
    );
  });

  test('a region that is not a region is refused, with an example of each partition', () => {
    const message = errorOf(() => read({ mode: 'verify', 'aws-region': 'Europe' }));
    expect(message).toMatch(/^input "aws-region" is not a region name of any AWS partition \(aws: e\.g\. eu-west-1; /);
    expect(message).toContain('aws-us-gov: e.g. us-gov-west-1');
    for (const bad of ['eu-west', 'EU-WEST-1', 'eu-west-1a', 'xx-east-1', 'us-east-1 ', 'cn-north', 'eusc-fr-east-1']) {
      expect(errorOf(() => read({ mode: 'verify', 'aws-region': bad }))).toMatch(/input "aws-region"/);
    }
  });

  test("every partition's region names are accepted, and role ARNs of every partition", () => {
    for (const region of [
      'eu-west-1',
      'ap-southeast-7',
      'mx-central-1',
      'cn-northwest-1',
      'us-gov-east-1',
      'us-iso-west-1',
      'us-isob-east-1',
      'eu-isoe-west-1',
      'us-isof-south-1',
      'eusc-de-east-1',
    ]) {
      expect(read({ mode: 'verify', 'aws-region': region }).awsRegion).toBe(region);
    }
    for (const partition of Object.keys(AWS_PARTITIONS)) {
      const arn = `arn:${partition}:iam::123456789012:role/kedro-deploy`;
      expect(read({ mode: 'verify', 'role-to-assume': arn }).roleToAssume).toBe(arn);
    }
    expect(errorOf(() => read({ mode: 'verify', 'role-to-assume': 'arn:aws-xx:iam::123456789012:role/r' }))).toMatch(
      /input "role-to-assume"/,
    );
  });

  test('group-settings must be a JSON object', () => {
    expect(errorOf(() => read({ mode: 'verify', 'group-settings': '[1]' }))).toMatch(
      /input "group-settings" must be a JSON object/,
    );
    expect(errorOf(() => read({ mode: 'verify', 'group-settings': '{oops' }))).toMatch(
      /input "group-settings" is not valid JSON/,
    );
  });

  test('the stage is cleaned to what AWS names accept', () => {
    expect(read({ mode: 'verify', stage: 'Nightly' }).stage).toBe('nightly');
    expect(read({ mode: 'verify', stage: 'feature/Foo_bar' }).stage).toMatch(/^feature-foo-bar-[0-9a-f]{8}$/);
    expect(errorOf(() => read({ mode: 'verify', stage: '///' }))).toMatch(/input "stage" has no letters or digits/);
  });

  test('paths given as inputs are resolved from the working directory', () => {
    const inputs = read({ mode: 'verify', plan: 'out/plan.json' });
    expect(inputs.plan).toBe(path.join(os.tmpdir(), 'out', 'plan.json'));
  });
});

describe('runtime-params', () => {
  test("Kedro's key=value syntax is kept as text, for Kedro to parse (package)", () => {
    expect(parseRuntimeParams(' output_prefix=pr-7, model.lr=0.1\n')).toEqual({
      form: 'kedro',
      text: 'output_prefix=pr-7, model.lr=0.1',
    });
    expect(read({ mode: 'verify', 'runtime-params': 'strict=true' }).runtimeParams).toEqual({
      form: 'kedro',
      text: 'strict=true',
    });
  });
  test('empty is no params given', () => {
    expect(parseRuntimeParams('  \n')).toBeUndefined();
  });
  test('a JSON object keeps its types', () => {
    expect(parseRuntimeParams('{"a": {"b": [1, 2]}, "c": "3"}')).toEqual({
      form: 'json',
      params: { a: { b: [1, 2] }, c: '3' },
    });
  });
  test('a JSON object that is not valid JSON is named through readInputs', () => {
    expect(errorOf(() => read({ mode: 'verify', 'runtime-params': '{"a": 1' }))).toMatch(
      /^input "runtime-params" is not valid JSON/,
    );
  });
  test('the items, as kedro run --params splits them (commas; line breaks count as commas)', () => {
    expect(runtimeParamItems(' a=1, b = 2 ,,\r\nc.d=x\n\n')).toEqual(['a=1', 'b = 2', 'c.d=x']);
  });
});

describe('action.yml', () => {
  const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string; required?: boolean }>;
    outputs: Record<string, unknown>;
    runs: { using: string; main: string; post: string };
  };

  test('declares exactly the inputs the code reads, with the same defaults', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUT).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      const expected = DEFAULTS[name as InputName] ?? '';
      // An expression default (the job's token) is the runner's to evaluate: the code sees '' without it.
      const given = (spec.default ?? '').startsWith('${{') ? '' : (spec.default ?? '');
      expect({ name, default: given }).toEqual({ name, default: expected });
    }
  });

  test('says required and runner expressions as the table does', () => {
    for (const [name, spec] of Object.entries(action.inputs)) {
      const row: InputSpec | undefined = INPUT_TABLE[name as InputName];
      if (!row) throw new Error(`action.yml declares input "${name}", which src/inputs/table.ts does not`);
      expect({ name, required: spec.required === true }).toEqual({ name, required: row.required === true });
      const expression = (spec.default ?? '').startsWith('${{') ? spec.default : undefined;
      expect({ name, expression }).toEqual({ name, expression: row.runnerDefault });
    }
  });

  test('declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(OUTPUT).sort());
  });

  test('runs on node24 from dist/', () => {
    expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/index.js', post: 'dist/post/index.js' });
  });
});

describe('stage: auto', () => {
  const project = fakeProject();
  const withEvent = (eventName: string | undefined, payload: unknown, refName?: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-event-')), 'event.json');
    fs.writeFileSync(file, JSON.stringify(payload));
    const env: NodeJS.ProcessEnv = { GITHUB_EVENT_PATH: file, GITHUB_REF_NAME: refName };
    if (eventName) env.GITHUB_EVENT_NAME = eventName;
    return readInputs((name) => ({ mode: 'package', 'project-path': project })[name as string] ?? '', os.tmpdir(), env)
      .stage;
  };

  test('a pull request deploys to pr-<number>', () => {
    expect(withEvent('pull_request', { number: 123, pull_request: { number: 123 } }, '123/merge')).toBe('pr-123');
  });
  test('a schedule deploys to nightly', () => {
    expect(withEvent('schedule', {}, 'main')).toBe('nightly');
  });
  test('a push deploys to its branch, cleaned to AWS rules', () => {
    expect(withEvent('push', {}, 'main')).toBe('main');
    expect(withEvent('push', {}, 'feature/New_Thing')).toMatch(/^feature-new-thing-[0-9a-f]{8}$/);
  });
  test('outside GitHub Actions: dev', () => {
    expect(withEvent(undefined, {})).toBe('dev');
  });
  test('an explicit stage wins', () => {
    expect(
      readInputs(
        (name) => ({ mode: 'package', 'project-path': project, stage: 'nightly' })[name as string] ?? '',
        os.tmpdir(),
        {
          GITHUB_EVENT_NAME: 'pull_request',
        },
      ).stage,
    ).toBe('nightly');
  });
});

describe('the input table', () => {
  const rows = Object.entries(INPUT_TABLE) as [InputName, InputSpec][];

  test('INPUT names every input once, by the camelCase of its name', () => {
    expect(Object.keys(INPUT).sort()).toEqual(rows.map(([name]) => camelCase(name)).sort());
    for (const [key, name] of Object.entries(INPUT)) expect(camelCase(name)).toBe(key);
    expect(INPUT.projectPath).toBe('project-path');
    expect(INPUT.mode).toBe('mode');
  });

  test('each input fills the field of its camelCase name, mode fills modes', () => {
    expect(FIELD.mode).toBe('modes');
    expect(FIELD['project-path']).toBe('projectPath');
    const fields = rows.map(([name]) => FIELD[name]);
    expect(new Set(fields).size).toBe(fields.length);
    const inputs = readInputs((name) => (name === INPUT.mode ? 'verify' : ''), os.tmpdir(), {});
    expect(Object.keys(inputs).sort()).toEqual([...fields].sort());
  });

  test('a required input has no default; an input has one kind of default at most', () => {
    for (const [name, row] of rows) {
      if (row.required) expect({ name, default: row.default, runnerDefault: row.runnerDefault }).toEqual({ name });
      expect({ name, both: row.default !== undefined && row.runnerDefault !== undefined }).toEqual({
        name,
        both: false,
      });
    }
  });

  test('every enum default is one of its values', () => {
    for (const [name, row] of rows) {
      if (row.value.kind === 'enum')
        expect({ name, ok: row.value.values.includes(row.default ?? '') }).toEqual({ name, ok: true });
    }
  });

  test('every path input is resolved from the working directory, and only those', () => {
    const given = (name: InputName) => (name === INPUT.mode ? 'verify' : row(name).path ? 'rel/x' : '');
    const row = (name: InputName): InputSpec => INPUT_TABLE[name];
    const inputs = readInputs(given, '/work/here', {}) as unknown as Record<string, unknown>;
    const resolved = rows
      .filter(([name]) => inputs[FIELD[name]] === path.resolve('/work/here', 'rel/x'))
      .map(([name]) => name);
    expect(resolved.sort()).toEqual(
      rows
        .filter(([, r]) => r.path)
        .map(([name]) => name)
        .sort(),
    );
    expect(resolved).toEqual(expect.arrayContaining(['project-path', 'wheel', 'conf-archive', 'plan', 'dockerfile']));
  });

  test('an optional input left empty is undefined; a bad one is named with what it accepts', () => {
    const inputs = read({ mode: 'verify' });
    expect(inputs.roleSessionName).toBeUndefined();
    expect(inputs.imageUri).toBeUndefined();
    expect(errorOf(() => read({ mode: 'verify', 'role-session-name': 'x' }))).toBe(
      'input "role-session-name" must be 2 to 64 characters of letters, digits and _ + = , . @ -',
    );
    expect(errorOf(() => read({ mode: 'verify', builder: 'kaniko' }))).toBe(
      'input "builder" accepts auto, docker, oci',
    );
    expect(errorOf(() => read({ mode: 'verify', 'role-duration-seconds': '60' }))).toBe(
      'input "role-duration-seconds" must be at least 900',
    );
    expect(errorOf(() => read({ mode: 'verify', 'max-retries': 'x' }))).toBe(
      'input "max-retries" accepts a whole number from 1 to 20',
    );
  });

  test("the runner's token expression, unevaluated, is no token", () => {
    expect(read({ mode: 'verify' }).githubToken).toBe('');
    expect(read({ mode: 'verify', 'github-token': '${{ github.token }}' }).githubToken).toBe('');
    expect(read({ mode: 'verify', 'github-token': 'ghs_abc' }).githubToken).toBe('ghs_abc');
  });
});

describe('zod-free modules', () => {
  // The post step imports names from these; it must not bundle zod (nor anything that does).
  const SRC = path.join(ROOT, 'src');
  /** Modules a file imports at run time (not `import type`), followed through relative imports. */
  function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
      if (m[1]) continue;
      const spec = m[2] as string;
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (target) runtimeImports(target, seen);
    }
    return seen;
  }

  test.each(['inputs/table.ts', 'lib/keys.ts', 'context/outputs.ts', 'context/state.ts'])(
    '%s does not reach zod',
    (file) => {
      const reached = [...runtimeImports(path.join(SRC, file))];
      expect(
        reached.filter((m) => m === 'zod' || m.startsWith('zod/') || m.endsWith(path.join('inputs', 'index.ts'))),
      ).toEqual([]);
    },
  );

  test('the scan sees zod where it is', () => {
    expect([...runtimeImports(path.join(SRC, 'inputs', 'index.ts'))]).toContain('zod');
  });
});
