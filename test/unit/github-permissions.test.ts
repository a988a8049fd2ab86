/**
 * The GITHUB_TOKEN of every job of our workflows and templates allows every GitHub call the action makes
 * there, as GitHub computes that token (test/support/github-token.ts: defaults, workflow and job levels,
 * a called workflow that can only narrow its caller's grant, the read-only token of a fork) and as GitHub
 * documents what each call needs (test/support/github-api-permissions.ts). The calls are the ones the action
 * really made in test/integration/pull-request.test.ts (test/fixtures/github-calls/pull-request.json, kept
 * equal to what that test records). A missing scope fails with the job, the situation, the call and the scope.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GITHUB_ROUTES, readRecordedCalls, routeOf, tokenUseOfRoute } from '../support/github-api-permissions';
import {
  type Analysis,
  analyse,
  DEFAULTS,
  describe as describePermissions,
  evaluate,
  FORK_MAXIMUM,
  interpolate,
  type Knowledge,
  parsePermissions,
  resolverOf,
  type Setting,
  type TokenUse,
  type Value,
  type Workflow,
} from '../support/github-token';

const ROOT = path.resolve(__dirname, '..', '..');
const REUSABLE_FILE = path.join(ROOT, '.github', 'workflows', 'kedro-aws.yml');
const read = (file: string) => parseYaml(fs.readFileSync(file, 'utf8')) as Workflow;
const yamlFiles = (dir: string) =>
  fs
    .readdirSync(path.join(ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));

const REUSABLE_USES = /(^\.\/|(^|\/)kedro-aws-action\/)\.github\/workflows\/kedro-aws\.yml(@.+)?$/;
const isOurAction = (uses: string) =>
  uses === './.kedro-aws-action' || uses === './' || /(^|\/)kedro-aws-action@[^/]+$/.test(uses);

/** The modes that call GitHub (package and build do not). */
const GITHUB_MODES = ['deploy', 'run', 'verify', 'teardown'];
const modesOf = (mode: string) =>
  mode
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);

/**
 * The action's calls for a step's inputs: the routes of every recorded step that shares a GitHub-calling mode
 * with it (more than a step may need: a mode list that only runs still gets the deployment calls of `deploy`).
 */
function knowledge(reusable: Workflow = read(REUSABLE_FILE)): Knowledge {
  const recorded = readRecordedCalls();
  return {
    calledWorkflow: (uses) => (REUSABLE_USES.test(uses) ? reusable : undefined),
    isOurAction,
    actionUses(inputs: Record<string, Value>) {
      const modes = modesOf(String(inputs.mode ?? ''));
      if (modes.length === 0) throw new Error('a step of the action without `mode`');
      const token = inputs['github-token'];
      // Another token than the job's own: its scopes are not the job's business.
      if (token !== undefined && token !== null && token !== '' && token !== '<github.token>') return [];
      for (const m of modes.filter((x) => GITHUB_MODES.includes(x))) {
        if (!recorded.steps.some((s) => modesOf(s.mode).includes(m))) {
          throw new Error(`no recorded step runs mode ${m}: add one to test/integration/pull-request.test.ts`);
        }
      }
      const comment = !(inputs['comment-on-pr'] === false || String(inputs['comment-on-pr']).toLowerCase() === 'false');
      const routes = new Set(
        recorded.steps
          .filter((s) => modesOf(s.mode).some((m) => GITHUB_MODES.includes(m) && modes.includes(m)))
          .flatMap((s) => s.routes)
          .filter((r) => comment || !r.includes('/issues/')),
      );
      return [...routes].sort().map(tokenUseOfRoute);
    },
  };
}

const denials = (a: Analysis, which: (s: Setting) => boolean) =>
  a.jobs
    .filter((j) => which(j.setting))
    .flatMap((j) =>
      j.denied.map((d) => `${j.job} [${j.setting.name}]: ${d.use.call} needs ${d.missing} (${d.use.doc})`),
    );
const startupFailures = (a: Analysis) => [
  ...new Set(a.startupFailures.map((f) => `${f.job} [${f.setting.name}]: ${f.message}`)),
];

describe('the model of GitHub token permissions (GitHub docs, cited in test/support/github-token.ts)', () => {
  test('a permissions map sets every scope it does not name to none; read-all, write-all and {} too', () => {
    const p = parsePermissions({ contents: 'read', 'id-token': 'write' }, 'x')!;
    expect(p.contents).toBe('read');
    expect(p['id-token']).toBe('write');
    expect(p.deployments).toBe('none');
    expect(p['pull-requests']).toBe('none');
    expect(parsePermissions('read-all', 'x')!.deployments).toBe('read');
    expect(parsePermissions('write-all', 'x')!.deployments).toBe('write');
    expect(describePermissions(parsePermissions({}, 'x')!)).toBe('{}');
    expect(parsePermissions(undefined, 'x')).toBeUndefined();
  });

  test('it refuses what GitHub refuses (unknown scopes, levels, write on a read-only scope)', () => {
    expect(() => parsePermissions({ 'pull-request': 'write' }, 'job a')).toThrow(
      /job a: "pull-request" is not a permission/,
    );
    expect(() => parsePermissions({ contents: 'admin' }, 'x')).toThrow(/contents must be read, write or none/);
    expect(() => parsePermissions({ models: 'write' }, 'x')).toThrow(/models has no write level/);
    expect(() => parsePermissions('all', 'x')).toThrow(/read-all, write-all or a map/);
  });

  test('the defaults: the restricted one reads contents only, no default fetches an OIDC token; a fork reads at most', () => {
    expect(describePermissions(DEFAULTS.restricted)).toBe('{contents: read, packages: read}');
    expect(DEFAULTS.permissive.deployments).toBe('write');
    expect(DEFAULTS.permissive['id-token']).toBe('none');
    expect(FORK_MAXIMUM['pull-requests']).toBe('read');
    expect(FORK_MAXIMUM['id-token']).toBe('none');
  });

  test('expressions: && and || give an operand, == ignores case, a property of null is null', () => {
    const resolve = resolverOf({
      github: { repository: 'Octo/Flights', event: { pull_request: null, action: 'closed' } },
      vars: (name) => `<vars.${name}>`,
    });
    expect(evaluate("github.repository == 'octo/flights' && 'a' || 'b'", resolve)).toBe('a');
    expect(evaluate("github.repository != 'octo/flights' && 'a' || 'b'", resolve)).toBe('b');
    expect(evaluate('github.event.pull_request.number', resolve)).toBeNull();
    expect(evaluate("github.event.action != 'closed'", resolve)).toBe(false);
    expect(evaluate("!(github.event.action == 'closed')", resolve)).toBe(false);
    expect(evaluate('vars.X', resolve)).toBe('<vars.X>');
    expect(interpolate('pr-${{ github.event.pull_request.number }}', resolve)).toBe('pr-');
    expect(() => evaluate('secrets.TOKEN', resolve)).toThrow(/no context "secrets.TOKEN"/);
    expect(() => evaluate("contains(github.repository, 'x')", resolve)).toThrow(/does not evaluate functions/);
  });

  const caller = (permissions: unknown, workflowPermissions?: unknown): Workflow => ({
    on: { workflow_dispatch: {} },
    ...(workflowPermissions === undefined ? {} : { permissions: workflowPermissions }),
    jobs: {
      call: {
        uses: 'owner/kedro-aws-action/.github/workflows/kedro-aws.yml@v1',
        with: { stage: 'nightly', modes: 'package,deploy,run,verify', 'role-to-assume': 'arn' },
        ...(permissions === undefined ? {} : { permissions }),
      },
    },
  });
  const called = (permissions?: unknown): Workflow => ({
    on: {
      workflow_call: {
        inputs: {
          stage: { type: 'string', required: true },
          modes: { type: 'string' },
          'role-to-assume': { type: 'string' },
        },
      },
    },
    ...(permissions === undefined ? {} : { permissions }),
    jobs: {
      kedro: {
        steps: [
          {
            uses: './.kedro-aws-action',
            with: { mode: '${{ inputs.modes }}', 'role-to-assume': '${{ inputs.role-to-assume }}' },
          },
        ],
      },
    },
  });

  test('a called workflow asking for more than its caller grants does not start (startup failure, naming the scope)', () => {
    const a = analyse(
      'caller.yml',
      caller({ contents: 'read', 'id-token': 'write' }),
      knowledge(called({ 'id-token': 'write', deployments: 'write' })),
    );
    expect(startupFailures(a)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/requesting 'deployments: write', but is only allowed 'deployments: none'/),
      ]),
    );
    expect(a.jobs).toEqual([]);
  });

  test('a called workflow can only narrow: it gets what it asks for, within the grant', () => {
    const a = analyse(
      'caller.yml',
      caller({ contents: 'write', 'id-token': 'write', deployments: 'write', 'pull-requests': 'write' }),
      knowledge(called({ 'id-token': 'write', deployments: 'write', 'pull-requests': 'write' })),
    );
    expect(startupFailures(a)).toEqual([]);
    expect(new Set(a.jobs.map((j) => describePermissions(j.permissions)))).toEqual(
      new Set(['{deployments: write, id-token: write, pull-requests: write}']),
    );
  });

  test('a called workflow that asks nothing gets its caller grant; without job permissions, the defaults too', () => {
    const a = analyse('caller.yml', caller({ 'id-token': 'write', deployments: 'write' }), knowledge(called()));
    expect(startupFailures(a)).toEqual([]);
    // The comment routes need pull-requests (or issues): not granted.
    expect(denials(a, () => true).join('\n')).toMatch(
      /POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments .* needs issues: write or pull-requests: write/,
    );
    // No job-level permissions: the restricted default has no id-token, so a called workflow asking for it fails.
    const noJobLevel = analyse(
      'caller.yml',
      caller(undefined, { contents: 'read', 'id-token': 'write' }),
      knowledge(called({ 'id-token': 'write' })),
      ['restricted'],
    );
    expect(startupFailures(noJobLevel).join('\n')).toMatch(/'id-token: write', but is only allowed 'id-token: none'/);
  });

  test('every recorded route is one GitHub documents, and an unknown call names itself and where to add it', () => {
    for (const step of readRecordedCalls().steps)
      for (const route of step.routes) expect(() => tokenUseOfRoute(route)).not.toThrow();
    expect(routeOf('POST', '/repos/octo/flights/deployments/1001/statuses')).toBe(
      'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    );
    expect(() => routeOf('POST', '/repos/octo/flights/check-runs')).toThrow(
      /the action called POST \/repos\/octo\/flights\/check-runs, which test\/support\/github-api-permissions.ts does not know/,
    );
    expect(
      GITHUB_ROUTES.every((r) =>
        r.doc.startsWith('https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps'),
      ),
    ).toBe(true);
  });
});

describe('our workflows and templates grant every call the action makes', () => {
  const files = [
    ...yamlFiles('.github/workflows').filter((f) => !f.endsWith('kedro-aws.yml')),
    ...yamlFiles('workflows-templates'),
  ];
  const analyses = new Map(files.map((f) => [f, analyse(f, read(path.join(ROOT, f)), knowledge())]));

  test.each(files)('%s: every job starts (no called workflow asks for more than its caller grants)', (file) => {
    expect(startupFailures(analyses.get(file)!)).toEqual([]);
  });

  test.each(files)('%s: same repository, every call the token must allow is allowed', (file) => {
    expect(denials(analyses.get(file)!, (s) => !s.fork)).toEqual([]);
  });

  test.each(files)(
    '%s: from a fork, only calls the action makes best effort are refused, and no OIDC token is asked for',
    (file) => {
      const a = analyses.get(file)!;
      const forkJobs = a.jobs.filter((j) => j.setting.fork);
      expect(
        forkJobs.flatMap((j) => j.denied.filter((d) => !d.use.bestEffort).map((d) => `${j.job}: ${d.use.call}`)),
      ).toEqual([]);
      expect(
        forkJobs.flatMap((j) =>
          j.uses.filter((u) => u.anyOf.some((x) => x.scope === 'id-token')).map((u) => `${j.job}: ${u.call}`),
        ),
      ).toEqual([]);
    },
  );

  test('the check is not empty: the templates use every route the action called, and the OIDC token', () => {
    const used = new Set<string>();
    for (const file of files.filter((f) => f.startsWith('workflows-templates'))) {
      for (const j of analyses.get(file)!.jobs) for (const u of j.uses) used.add(u.call);
    }
    for (const step of readRecordedCalls().steps)
      for (const route of step.routes) expect(used).toContain(tokenUseOfRoute(route).call);
    expect([...used]).toEqual(expect.arrayContaining([expect.stringMatching(/^OIDC ID token/)]));
  });

  test('the pull-request smoke job gets exactly what it uses, and the teardown job too', () => {
    const a = analyses.get('workflows-templates/pr-smoke.yml')!;
    const sameRepo = (j: { setting: Setting }) => !j.setting.fork && j.setting.repoDefault === 'restricted';
    const smoke = a.jobs.find((j) => sameRepo(j) && j.setting.action === 'opened')!;
    expect(smoke.job).toBe(
      'workflows-templates/pr-smoke.yml: smoke → <owner>/kedro-aws-action/.github/workflows/kedro-aws.yml: kedro',
    );
    expect(describePermissions(smoke.permissions)).toBe(
      '{contents: read, deployments: write, id-token: write, pull-requests: write}',
    );
    const teardown = a.jobs.find((j) => sameRepo(j) && j.setting.action === 'closed')!;
    expect(teardown.job).toBe('workflows-templates/pr-smoke.yml: teardown');
    expect(describePermissions(teardown.permissions)).toBe('{contents: read, deployments: write, id-token: write}');
    const scopesUsed = (uses: TokenUse[]) => new Set(uses.flatMap((u) => u.anyOf.map((x) => x.scope)));
    expect(scopesUsed(teardown.uses)).toEqual(new Set(['contents', 'deployments', 'id-token']));
  });

  describe('a scope taken away fails, naming the call and the scope', () => {
    const withoutScope = (wf: Workflow, job: string, scope: string): Workflow => {
      const copy = structuredClone(wf);
      const perms = copy.jobs[job]!.permissions as Record<string, string>;
      delete perms[scope];
      return copy;
    };

    test('deployments taken from the caller only: the reusable workflow asks for it, so the run does not start', () => {
      const smoke = read(path.join(ROOT, 'workflows-templates/pr-smoke.yml'));
      const a = analyse('pr-smoke.yml', withoutScope(smoke, 'smoke', 'deployments'), knowledge());
      expect(startupFailures(a).join('\n')).toMatch(
        /smoke → .*kedro-aws.yml: kedro .*requesting 'deployments: write', but is only allowed 'deployments: none'/,
      );
    });

    test('deployments taken from the caller and the reusable workflow: each deployment call is refused', () => {
      const reusable = read(REUSABLE_FILE);
      delete (reusable.permissions as Record<string, string>).deployments;
      const smoke = read(path.join(ROOT, 'workflows-templates/pr-smoke.yml'));
      const a = analyse('pr-smoke.yml', withoutScope(smoke, 'smoke', 'deployments'), knowledge(reusable));
      expect(startupFailures(a)).toEqual([]);
      expect(denials(a, (s) => !s.fork)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^pr-smoke.yml: smoke → .*: kedro \[pull_request opened .*\]: POST \/repos\/\{owner\}\/\{repo\}\/deployments \(create-a-deployment\) needs deployments: write/,
          ),
        ]),
      );
    });

    test('deployments taken from the teardown job: setting the stage inactive is refused', () => {
      const smoke = read(path.join(ROOT, 'workflows-templates/pr-smoke.yml'));
      const a = analyse('pr-smoke.yml', withoutScope(smoke, 'teardown', 'deployments'), knowledge());
      expect(denials(a, (s) => !s.fork)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^pr-smoke.yml: teardown \[pull_request closed .*\]: GET \/repos\/\{owner\}\/\{repo\}\/deployments \(list-deployments\) needs deployments: read/,
          ),
        ]),
      );
    });

    test('id-token taken from the teardown job: the OIDC token is refused', () => {
      const smoke = read(path.join(ROOT, 'workflows-templates/pr-smoke.yml'));
      const a = analyse('pr-smoke.yml', withoutScope(smoke, 'teardown', 'id-token'), knowledge());
      expect(denials(a, (s) => !s.fork).join('\n')).toMatch(/teardown .*OIDC ID token .* needs id-token: write/);
    });
  });
});
