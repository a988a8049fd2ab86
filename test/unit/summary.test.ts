import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderRunComment } from '../../src/github/comment';
import { buildPlan } from '../../src/plan/planner';
import { clip, formatBytes, formatDuration, formatTime, readableCause, truncateMiddle } from '../../src/report/format';
import { code, escapeText, fencedBlock, link, safeUrl } from '../../src/report/markdown';
import { mermaidLabel, STATUS_CLASSES } from '../../src/report/mermaid';
import {
  type LogLocation,
  type ReportGroupStatus,
  type RunReport,
  renderSummary,
  reportFromVerify,
  reportGroupsFromPlan,
  reportOutputsFromVerify,
  SUMMARY_LIMITS,
  summaryVerdict,
  uncheckedKind,
} from '../../src/report/summary';
import { group, makePlan } from './plan/fixtures';

const REPO = path.resolve(__dirname, '../..');
const T0 = Date.UTC(2025, 10, 21, 23, 50, 0);
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);
const REGION_HOST = 'https://eu-west-1.console.aws.amazon.com';
const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:spaceflights-nightly:nightly-4242-1';
const logs = (fn: string): LogLocation => ({
  group: `/aws/lambda/${fn}`,
  url: `${REGION_HOST}/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252F${fn}`,
});

/** The example project, all green, outputs verified. */
const passing: RunReport = {
  project: 'spaceflights',
  stage: 'nightly',
  env: 'aws',
  target: 'step-functions',
  executor: 'aws',
  runId: '2025-11-21T23.50.00.000Z',
  status: 'SUCCEEDED',
  execution: {
    arn: EXECUTION_ARN,
    consoleUrl: `${REGION_HOST}/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION_ARN}`,
  },
  groups: [
    {
      name: 'data_processing',
      dependencies: [],
      compute: 'lambda',
      status: 'SUCCEEDED',
      start: at(1),
      end: at(66),
      logs: logs('spaceflights-nightly-data_processing'),
    },
    {
      name: 'data_science',
      dependencies: ['data_processing'],
      compute: 'lambda',
      status: 'SUCCEEDED',
      start: at(67),
      end: at(79.4),
      logs: logs('spaceflights-nightly-data_science'),
    },
    {
      name: 'reporting',
      dependencies: ['data_processing'],
      compute: 'lambda',
      status: 'SUCCEEDED',
      start: at(67),
      end: at(70.25),
      logs: logs('spaceflights-nightly-reporting'),
    },
  ],
  outputs: [
    {
      dataset: 'model_input_table',
      key: 's3://spaceflights-data/03_primary/model_input_table.parquet/2025-11-21T23.50.00.000Z/model_input_table.parquet',
      size: 1_234_567,
      lastModified: at(65),
      verdict: 'ok',
    },
    {
      dataset: 'regressor',
      key: 's3://spaceflights-data/06_models/regressor.pickle/2025-11-21T23.50.00.000Z/regressor.pickle',
      size: 2_048,
      lastModified: at(79),
      verdict: 'ok',
    },
    {
      dataset: 'shuttle_passenger_capacity_plot',
      key: 's3://spaceflights-data/08_reporting/shuttle_passenger_capacity_plot.json',
      size: 18_300,
      lastModified: at(70),
      verdict: 'ok',
    },
  ],
};

const lambdaCause = JSON.stringify({
  errorMessage: "could not convert string to float: 'n/a' | in column `price`",
  errorType: 'ValueError',
  requestId: '6f1c2d4e-0000-4000-8000-000000000000',
  stackTrace: [
    '  File "/var/task/kedro_aws_action/lambda_handler.py", line 31, in handler\n    return run_group(event)\n',
    '  File "/var/task/kedro_aws_action/runtime.py", line 88, in run_group\n    session.run(namespaces=[group], run_id=run_id)\n',
    '  File "/var/task/spaceflights/pipelines/data_science/nodes.py", line 12, in split_data\n    X = data[features].astype(float)\n',
  ],
});

const BATCH_JOB_URL = `${REGION_HOST}/batch/home?region=eu-west-1#jobs/detail/0a1b2c3d-1111-4222-8333-444455556666`;

/** A group on Batch and two on Lambda in one state machine; one failed, one never ran; an output the run did not write. */
const failing: RunReport = {
  project: 'spaceflights',
  stage: 'pr-123',
  env: 'aws',
  target: 'step-functions',
  runId: '2025-11-21T23.50.00.000Z',
  status: 'FAILED',
  execution: {
    arn: EXECUTION_ARN.replaceAll('nightly', 'pr-123'),
    consoleUrl: `${REGION_HOST}/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION_ARN.replaceAll('nightly', 'pr-123')}`,
  },
  jobs: { data_processing: { jobId: '0a1b2c3d-1111-4222-8333-444455556666', consoleUrl: BATCH_JOB_URL } },
  groups: [
    { name: 'data_processing', dependencies: [], compute: 'batch', status: 'SUCCEEDED', start: at(0), end: at(3725) },
    {
      name: 'data_science',
      dependencies: ['data_processing'],
      compute: 'lambda',
      status: 'FAILED',
      start: at(3730),
      end: at(3790),
      logs: { ...logs('spaceflights-pr-123-data_science'), stream: '2025/11/22/[$LATEST]0f1e2d3c4b5a' },
    },
    { name: 'reporting', dependencies: ['data_science'], compute: 'lambda', status: 'PENDING' },
  ],
  failure: { group: 'data_science', error: 'ValueError', cause: lambdaCause },
  outputs: [
    {
      dataset: 'model_input_table',
      key: 's3://spaceflights-data/03_primary/model_input_table.parquet',
      size: 1_234_567,
      lastModified: at(3700),
      verdict: 'ok',
    },
    {
      dataset: 'regressor',
      key: 's3://spaceflights-data/06_models/regressor.pickle',
      size: 2_048,
      lastModified: new Date(T0 - 86_400_000),
      verdict: 'not-written',
      detail: "this run's records hold no object of it: the run wrote nothing there",
    },
    {
      dataset: 'metrics',
      key: 'data/09_tracking/metrics.json',
      verdict: 'local-path',
      detail: 'saved inside the container, lost when it stops',
    },
  ],
};

/** The same failure on AWS Batch, run by the local executor. */
const failingOnBatch: RunReport = {
  ...failing,
  target: 'batch',
  executor: 'local',
  execution: undefined,
  jobs: {
    data_processing: { jobId: '0a1b2c3d-1111-4222-8333-444455556666', consoleUrl: BATCH_JOB_URL },
    data_science: {
      jobId: '9f8e7d6c-1111-4222-8333-444455556666',
      consoleUrl: BATCH_JOB_URL.replace('0a1b2c3d', '9f8e7d6c'),
    },
    reporting: { jobId: '5a5a5a5a-1111-4222-8333-444455556666' },
  },
  groups: failing.groups.map((g) => ({
    ...g,
    compute: 'batch',
    logs: g.logs && { group: '/aws/batch/job', stream: `${g.name}/default/abc123` },
  })),
  failure: {
    group: 'data_science',
    error: 'States.TaskFailed',
    cause: JSON.stringify({
      JobName: 'spaceflights-pr-123-data_science',
      Status: 'FAILED',
      StatusReason: 'Essential container in task exited',
      Container: { ExitCode: 1 },
    }),
  },
};

/** Names that mermaid, markdown or HTML would otherwise read as syntax. */
const NASTY_NAMES = [
  'plain',
  'with space',
  'quote " and \' apostrophe',
  'brackets [a] (b) {c} <d>',
  'pipe | and `tick` and *star* _under_',
  'données · 数据 · 🚀',
  'hash #35; and %%{init: {"theme":"dark"}}%%',
  'back\\slash \\n and & amp; &lt;',
  'end',
  'class',
  `a long group name ${'x'.repeat(120)}`,
];

function nastyReport(
  statuses: readonly ReportGroupStatus[] = ['SUCCEEDED', 'FAILED', 'RUNNING', 'PENDING', 'SKIPPED'],
): RunReport {
  return {
    project: 'proj | *x*',
    stage: 'dev',
    env: 'aws',
    target: 'step-functions',
    runId: 'r1',
    status: 'RUNNING',
    groups: NASTY_NAMES.map((name, i) => ({
      name,
      dependencies: i === 0 ? [] : [NASTY_NAMES[i - 1] ?? '', ...(i > 2 ? [NASTY_NAMES[0] ?? ''] : [])],
      compute: i % 2 === 0 ? 'lambda' : 'batch',
      status: statuses[i % statuses.length] ?? 'PENDING',
      ...(i % 3 === 0 ? { start: at(i), end: at(i + 5) } : {}),
    })),
    outputs: [
      {
        dataset: 'a|b',
        key: 's3://bucket/a|b\nc.csv',
        size: 0,
        verdict: 'empty',
        detail: 'size 0 | written by this run',
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Checking the mermaid diagram with mermaid itself.
//
// mermaid (11.x, a dev dependency) is an ES module: it runs in a child `node` process that reads the
// diagrams as JSON on stdin and prints what mermaid's flowchart parser made of each: the nodes with
// their label text and classes, the edges, the classDefs, or the parse error. mermaid 11 sanitises
// label text with DOMPurify, which in Node (no window) has no methods: the checker stands in the
// identity for it. Sanitising changes what a label says, not whether the diagram parses.
// Labels come back as mermaid keeps them (entity codes as placeholders); the checker turns them back
// into text as mermaid's decodeEntities and then the browser do.
// ---------------------------------------------------------------------------------------------
const CHECKER = `
import { readFileSync } from 'node:fs';
import DOMPurify from 'dompurify';
DOMPurify.addHook = () => {};
DOMPurify.sanitize = (s) => String(s);
const { default: mermaid } = await import('mermaid');
const named = { quot: '"', lt: '<', gt: '>', amp: '&' };
const decode = (t) => String(t)
  .replace(/\\uFB02\\u00B0\\u00B0/g, '&#').replace(/\\uFB02\\u00B0/g, '&').replace(/\\u00B6\\u00DF/g, ';')
  .replace(/&(#\\d+|quot|lt|gt|amp);/g, (_, e) => e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : named[e]);
const out = [];
for (const text of JSON.parse(readFileSync(0, 'utf8'))) {
  try {
    await mermaid.parse(text);
    const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db;
    out.push({
      ok: true,
      nodes: [...db.getVertices().values()].map((v) => ({ id: v.id, label: decode(v.text), classes: v.classes })),
      edges: db.getEdges().map((e) => [e.start, e.end]),
      classDefs: [...db.getClasses().keys()],
    });
  } catch (error) {
    out.push({ ok: false, error: String(error && error.message || error) });
  }
}
process.stdout.write(JSON.stringify(out));
`;

interface Parsed {
  ok: boolean;
  error?: string;
  nodes: { id: string; label: string; classes: string[] }[];
  edges: [string, string][];
  classDefs: string[];
}

function parseWithMermaid(diagrams: readonly string[]): Parsed[] {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', CHECKER], {
    cwd: REPO,
    input: JSON.stringify(diagrams),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`mermaid checker failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Parsed[];
}

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] ?? '');
}

/** The rows of the first table whose header starts with `first`, split on unescaped pipes. */
function tableRows(markdown: string, first: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    if (/^\|(---\|)+$/.test(line)) continue;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const expectedIcon: Record<ReportGroupStatus, string> = {
  SUCCEEDED: '✅',
  FAILED: '❌',
  RUNNING: '🔄',
  PENDING: '⏳',
  SKIPPED: '⏭️',
};

describe('the job summary of a run', () => {
  const passMd = renderSummary(passing);
  const failMd = renderSummary(failing);

  beforeAll(() => {
    const dir = path.join(REPO, 'test-artifacts');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'summary-pass.md'), passMd);
    fs.writeFileSync(path.join(dir, 'summary-fail.md'), failMd);
    fs.writeFileSync(path.join(dir, 'summary-awkward-names.md'), renderSummary(nastyReport()));
  });

  test('a passing run (snapshot)', () => {
    expect(passMd).toMatchSnapshot();
  });

  test('a failing run (snapshot)', () => {
    expect(failMd).toMatchSnapshot();
  });

  test('a passing run says so on its first line, with the counts', () => {
    expect(passMd.split('\n')[0]).toBe('### ✅ spaceflights · nightly: all 3 groups succeeded, 3 outputs verified');
    expect(summaryVerdict(passing).outcome).toBe('passed');
  });

  test('a failing run names the group and the error on its first line', () => {
    expect(failMd.split('\n')[0]).toBe(
      '### ❌ spaceflights · pr-123: the run failed in group `data_science` with `ValueError`',
    );
    expect(summaryVerdict(failing).outcome).toBe('failed');
  });

  test('the failure shows the error message, the log group and stream, and the cause as a traceback', () => {
    expect(failMd).toContain('#### ❌ Failure in group `data_science`');
    expect(failMd).toContain(
      "- **Error:** `ValueError`: could not convert string to float: 'n/a' \\| in column \\`price\\`",
    );
    expect(failMd).toContain(
      '- **Logs:** [`/aws/lambda/spaceflights-pr-123-data_science`](https://eu-west-1.console.aws.amazon.com/cloudwatch/',
    );
    expect(failMd).toContain(', stream `2025/11/22/[$LATEST]0f1e2d3c4b5a`');
    const block = /```text\n([\s\S]*?)\n```/.exec(failMd)?.[1] ?? '';
    expect(block.split('\n')[0]).toBe('Traceback (most recent call last):');
    expect(block.split('\n').at(-1)).toBe("ValueError: could not convert string to float: 'n/a' | in column `price`");
  });

  test('on Batch, the failure links the job, shows its status reason, and a job without a console link shows its id', () => {
    const md = renderSummary(failingOnBatch);
    expect(md.split('\n')[2]).toBe(
      'Run `2025-11-21T23.50.00.000Z` · AWS Batch (groups run locally) · env `aws` · started 2025-11-21 23:50:00 UTC',
    );
    expect(md).toContain('- **Error:** `States.TaskFailed`: Essential container in task exited');
    expect(md).toContain('- **Logs:** `/aws/batch/job`, stream `data_science/default/abc123`');
    expect(md).toContain(
      `- **Job:** [\`9f8e7d6c-1111-4222-8333-444455556666\`](${BATCH_JOB_URL.replace('0a1b2c3d', '9f8e7d6c')})`,
    );
    expect(md).toContain(
      '```text\nJob: spaceflights-pr-123-data_science\nStatus: FAILED\nStatus reason: Essential container in task exited\nExit code: 1\n```',
    );
    expect(tableRows(md, 'Group').find((r) => r[0] === '`reporting`')?.[6]).toBe(
      '`5a5a5a5a-1111-4222-8333-444455556666`',
    );
    expect(tableRows(md, 'Group').find((r) => r[0] === '`data_science`')?.[6]).toBe(
      `[job](${BATCH_JOB_URL.replace('0a1b2c3d', '9f8e7d6c')}) · \`/aws/batch/job\``,
    );
  });

  test('the execution is linked to its console page', () => {
    expect(passMd).toContain(
      `execution [\`nightly-4242-1\`](${REGION_HOST}/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION_ARN})`,
    );
  });

  test('groups that never ran after a failure read "not run"; while running they read "pending"', () => {
    const row = tableRows(failMd, 'Group').find((r) => r[0] === '`reporting`');
    expect(row?.[1]).toBe('⏸️ not run');
    const running = renderSummary({ ...failing, status: 'RUNNING', failure: undefined });
    expect(running).not.toContain('Failure');
    expect(tableRows(running, 'Group').find((r) => r[0] === '`reporting`')?.[1]).toBe('⏳ pending');
    expect(running.split('\n')[0]).toBe('### ⏳ spaceflights · pr-123: still running: 1 of 3 groups done');
  });

  test('the groups table has start, end, a readable duration, compute and links', () => {
    const rows = tableRows(failMd, 'Group');
    expect(rows[0]).toEqual(['Group', 'Status', 'Start (UTC)', 'End', 'Duration', 'Compute', 'Links']);
    expect(rows.find((r) => r[0] === '`data_processing`')).toEqual([
      '`data_processing`',
      '✅ succeeded',
      '23:50:00',
      '2025-11-22 00:52:05',
      '1h 02m',
      'Batch',
      `[job](${BATCH_JOB_URL})`,
    ]);
    expect(rows.find((r) => r[0] === '`reporting`')?.slice(2, 7)).toEqual(['—', '—', '—', 'Lambda', '']);
    expect(tableRows(passMd, 'Group').map((r) => r[4])).toEqual(['Duration', '1m 05s', '12 s', '3.2 s']);
  });

  test('the outputs table shows size, time and a verdict with a symbol; an output this run did not write fails the run', () => {
    const rows = tableRows(failMd, 'Dataset');
    expect(rows.map((r) => [r[0], r[2], r[4]])).toEqual([
      ['Dataset', 'Size', 'Check'],
      ['`model_input_table`', '1.2 MiB', '✅ ok'],
      [
        '`regressor`',
        '2.0 KiB',
        "❌ not written by this run: this run's records hold no object of it: the run wrote nothing there",
      ],
      ['`metrics`', '—', '⚠️ local path, not checked: saved inside the container, lost when it stops'],
    ]);
    const succeeded = { ...failing, status: 'SUCCEEDED' as const, failure: undefined };
    expect(summaryVerdict(succeeded)).toMatchObject({ outcome: 'failed' });
    expect(renderSummary(succeeded).split('\n')[0]).toBe(
      '### ❌ spaceflights · pr-123: the run succeeded but 1 of 3 outputs failed the check (not written by this run: `regressor`)',
    );
  });

  test('an output on a local path is reported but does not fail a successful run', () => {
    const report: RunReport = {
      ...passing,
      outputs: [...(passing.outputs ?? []), { dataset: 'm', key: 'data/m.json', verdict: 'local-path' }],
    };
    expect(summaryVerdict(report).outcome).toBe('passed');
    expect(renderSummary(report).split('\n')[0]).toContain('3 outputs verified, 1 on a local path not checked');
  });

  test('outputs not checked, or none to check, say so', () => {
    const unchecked = renderSummary({ ...passing, outputs: undefined });
    expect(unchecked.split('\n')[0]).toContain('(outputs not checked)');
    expect(unchecked).not.toContain('#### Outputs');
    expect(renderSummary({ ...passing, outputs: [] })).toContain('No persisted outputs to check.');
  });

  test('timed out, stopped and redrivable runs fail', () => {
    for (const status of ['TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const) {
      expect(summaryVerdict({ ...passing, status }).outcome).toBe('failed');
    }
    expect(renderSummary({ ...passing, status: 'TIMED_OUT' }).split('\n')[0]).toBe(
      '### ❌ spaceflights · nightly: the run timed out',
    );
  });

  test('the same report gives the same text whatever the clock says', () => {
    jest.useFakeTimers();
    try {
      jest.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const first = renderSummary(failing);
      jest.setSystemTime(new Date('1999-06-15T12:34:56Z'));
      expect(renderSummary(failing)).toBe(first);
      expect(first).toBe(failMd);
    } finally {
      jest.useRealTimers();
    }
  });

  test('every group appears once in the groups table, and pipes in cells do not add columns', () => {
    const report = nastyReport();
    const md = renderSummary(report);
    const rows = tableRows(md, 'Group');
    expect(rows.every((r) => r.length === 7)).toBe(true);
    expect(rows.slice(1).map((r) => r[0])).toEqual(report.groups.map((g) => code(g.name)));
    const outputs = tableRows(md, 'Dataset');
    expect(outputs.every((r) => r.length === 5)).toBe(true);
    expect(outputs[1]?.[0]).toBe('`a\\|b`');
    expect(outputs[1]?.[1]).toBe('`s3://bucket/a\\|b c.csv`');
    expect(outputs[1]?.[4]).toBe('❌ empty: size 0 \\| written by this run');
    expect(md.split('\n')[0]).toBe('### ⏳ proj \\| \\*x\\* · dev: still running: 3 of 11 groups done');
  });

  describe('the mermaid diagram, as mermaid parses it', () => {
    const nasty = nastyReport();
    const allPending = nastyReport(['PENDING']);
    const cases: [string, RunReport][] = [
      ['passing', passing],
      ['failing', failing],
      ['failing on Batch', failingOnBatch],
      ['awkward names, every status', nasty],
      ['awkward names, all pending', allPending],
    ];
    let parsed: Parsed[] = [];

    beforeAll(() => {
      parsed = parseWithMermaid(cases.map(([, report]) => mermaidBlocks(renderSummary(report))[0] ?? ''));
    }, 120_000);

    test.each(cases.map(([name], i) => [name, i] as const))(
      '%s: parses, one node per group, one edge per dependency, classes by status',
      (_name, i) => {
        const [, report] = cases[i]!;
        const result = parsed[i]!;
        expect(result.error).toBeUndefined();
        expect(result.ok).toBe(true);
        const finishedRun = report.status !== 'RUNNING';
        expect(result.nodes.map((n) => n.id)).toEqual(report.groups.map((_g, k) => `g${k}`));
        report.groups.forEach((g, k) => {
          const node = result.nodes[k]!;
          const icon = g.status === 'PENDING' && finishedRun ? '⏸️' : expectedIcon[g.status];
          expect(node.label).toBe(clip(`${icon} ${g.name}`, 80));
          expect(node.classes).toEqual([STATUS_CLASSES[g.status].name]);
          expect(result.classDefs).toContain(STATUS_CLASSES[g.status].name);
        });
        const index = new Map(report.groups.map((g, k) => [g.name, `g${k}`]));
        const expected = report.groups.flatMap((g, k) =>
          [...new Set(g.dependencies)].map((d) => [index.get(d), `g${k}`]),
        );
        expect(result.edges).toEqual(expected);
      },
    );

    test('a group name cannot break out of its label', () => {
      expect(parsed[3]!.nodes.map((n) => n.label)).toContain('❌ with space');
      expect(parsed[3]!.nodes.map((n) => n.label)).toContain('⏳ brackets [a] (b) {c} <d>');
      expect(parsed[3]!.nodes.map((n) => n.label)).toContain('❌ hash #35; and %%{init: {"theme":"dark"}}%%');
    });

    test('the checker does reject a broken diagram', () => {
      const [broken] = parseWithMermaid(['flowchart LR\n  g0["a" "b"]\n  g0 -->\n']);
      expect(broken?.ok).toBe(false);
    }, 120_000);
  });

  test('a large graph folds into <details>, and one beyond mermaid limits is left out with a note', () => {
    const chain = (n: number, extraDeps: number): RunReport => ({
      ...passing,
      groups: Array.from({ length: n }, (_v, i) => ({
        name: `g_${i}`,
        dependencies: Array.from({ length: Math.min(i, extraDeps) }, (_w, k) => `g_${i - 1 - k}`),
        compute: 'lambda' as const,
        status: 'SUCCEEDED' as const,
      })),
    });
    const folded = renderSummary(chain(50, 1));
    expect(folded).toMatch(/<details><summary>Graph of 50 groups<\/summary>\n\n```mermaid\n/);
    expect(folded).toContain('<details><summary>Table of 50 groups</summary>');
    const huge = renderSummary(chain(120, 10));
    expect(mermaidBlocks(huge)).toEqual([]);
    expect(huge).toContain('is too large for a mermaid diagram');
  });

  test('a long cause is cut in the middle and folded; the end of the traceback stays', () => {
    const lines = Array.from({ length: 300 }, (_v, i) => `  frame ${i}`);
    const md = renderSummary({
      ...failing,
      failure: { group: 'data_science', error: 'RuntimeError', cause: [...lines, 'RuntimeError: the end'].join('\n') },
    });
    expect(md).toMatch(/<details><summary>Cause \(\d+ lines\)<\/summary>/);
    expect(md).toContain('RuntimeError: the end\n```');
    expect(md).toMatch(/… \d+ lines left out …/);
    expect(md).toContain('Cut to fit: the full text is in the logs.');
  });

  test('a failure without a group names the group the report shows as failed', () => {
    const md = renderSummary({ ...failing, failure: undefined });
    expect(md.split('\n')[0]).toBe('### ❌ spaceflights · pr-123: the run failed in group `data_science`');
  });

  test('a failure with no group and no cause still says what happened', () => {
    const md = renderSummary({ ...passing, status: 'FAILED', failure: { error: 'States.Runtime', cause: '' } });
    expect(md.split('\n')[0]).toBe('### ❌ spaceflights · nightly: the run failed with `States.Runtime`');
    expect(md).toContain('#### ❌ Failure\n\n- **Error:** `States.Runtime`\n\nNo cause was given.');
  });

  test("verify's checks become the summary's outputs", () => {
    expect(
      reportOutputsFromVerify([
        {
          dataset: 'a',
          url: 's3://b/a.csv',
          verdict: 'ok',
          size: 3,
          lastModified: '2025-11-21T23:51:00.000Z',
          objects: 1,
          detail: 'written by this run',
        },
        { dataset: 'b', url: 's3://b/b.csv', verdict: 'missing', objects: 1, detail: 'no object' },
      ]),
    ).toEqual([
      { dataset: 'a', key: 's3://b/a.csv', verdict: 'ok', size: 3, lastModified: at(60) },
      { dataset: 'b', key: 's3://b/b.csv', verdict: 'missing', detail: 'no object' },
    ]);
  });

  test('the groups of a deployment plan start as pending, with their reduced dependencies and compute', () => {
    const plan = buildPlan(
      makePlan({
        groups: [group('a'), group('b', ['a']), group('c', ['a', 'b'])],
        settings: { groups: { c: { compute: 'batch' } } },
      }),
      { stage: 'dev' },
    );
    expect(reportGroupsFromPlan(plan)).toEqual([
      { name: 'a', dependencies: [], compute: 'lambda', status: 'PENDING' },
      { name: 'b', dependencies: ['a'], compute: 'lambda', status: 'PENDING' },
      { name: 'c', dependencies: ['b'], compute: 'batch', status: 'PENDING' },
    ]);
  });
});

describe('markdown and format helpers', () => {
  test('code spans hold backticks and pipes literally', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('a|b\nc')).toBe('`a\\|b c`');
  });

  test('plain text cannot make HTML, links or emphasis', () => {
    expect(escapeText('<script>[x](javascript:y) *b* & |')).toBe(
      '&lt;script&gt;\\[x\\](javascript:y) \\*b\\* &amp; \\|',
    );
  });

  test('a fenced block is longer than any fence inside it', () => {
    expect(fencedBlock('a\n```\nb')).toBe('````text\na\n```\nb\n````');
  });

  test('only http(s) URLs become links, made safe inside (...)', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://x.example/a(b)')).toBe('https://x.example/a%28b%29');
    expect(link('t', 'ftp://x')).toBe('t');
  });

  test('durations, sizes and times', () => {
    expect([0, 850, 4_249, 42_000, 65_000, 3_725_000, 90_000_000, -1].map(formatDuration)).toEqual([
      '0 ms',
      '850 ms',
      '4.2 s',
      '42 s',
      '1m 05s',
      '1h 02m',
      '1d 01h',
      '—',
    ]);
    expect([0, 512, 1536, 1_234_567, 200 * 1024 * 1024, undefined].map(formatBytes)).toEqual([
      '0 B',
      '512 B',
      '1.5 KiB',
      '1.2 MiB',
      '200 MiB',
      '—',
    ]);
    expect(formatTime(at(5), at(0))).toBe('23:50:05');
    expect(formatTime(at(700), at(0))).toBe('2025-11-22 00:01:40');
    expect(formatTime(new Date(Number.NaN))).toBe('—');
  });

  test('a Batch job description as cause becomes its reason, exit code and log stream', () => {
    const cause = readableCause(
      JSON.stringify({
        JobName: 'j',
        JobId: 'id-1',
        Status: 'FAILED',
        StatusReason: 'Essential container in task exited',
        Container: { ExitCode: 1, LogStreamName: 'j/default/abc' },
        Attempts: [{}, {}],
      }),
    );
    expect(cause).toEqual({
      message: 'Essential container in task exited',
      text: 'Job: j\nJob id: id-1\nStatus: FAILED\nStatus reason: Essential container in task exited\nExit code: 1\nLog stream: j/default/abc\nAttempts: 2',
    });
    expect(readableCause('plain text')).toEqual({ text: 'plain text' });
    expect(readableCause('{"other": 1}').text).toBe('{\n  "other": 1\n}');
  });

  test('truncation keeps the first and last lines and cuts long lines', () => {
    const cut = truncateMiddle(Array.from({ length: 100 }, (_v, i) => `line ${i}`).join('\n'), {
      maxLines: 10,
      headLines: 2,
      maxChars: 1000,
      maxLineChars: 50,
    });
    expect(cut.text.split('\n')).toEqual([
      'line 0',
      'line 1',
      '… 91 lines left out …',
      ...Array.from({ length: 7 }, (_v, i) => `line ${93 + i}`),
    ]);
    expect(
      truncateMiddle('x'.repeat(500), { maxLines: 10, headLines: 2, maxChars: 1000, maxLineChars: 50 }).text,
    ).toHaveLength(50);
  });

  test('mermaid labels encode what mermaid would read as syntax', () => {
    expect(mermaidLabel('a "b" #c <d> & `e` \\n %%')).toBe(
      'a #quot;b#quot; #35;c #lt;d#gt; #amp; #96;e#96; #92;n #37;#37;',
    );
  });
});

describe('the outputs verify did not check, in the job summary and the pull-request comment', () => {
  // The reasons as src/verify/expected.ts words them.
  const UNCHECKED = [
    { dataset: 'metrics', reason: 'in memory (no catalog entry): the run saves nothing to check' },
    {
      dataset: 'companies_csv',
      reason: 'local (data/01_raw/companies.csv): saved on the disk of the process that ran its group',
    },
    { dataset: 'scratch', reason: 'in memory (kedro.io.MemoryDataset): the run saves nothing to check' },
    { dataset: 'shuttles_parquet', reason: 'not matched by input "expect"' },
  ];
  const withUnchecked: RunReport = { ...passing, unchecked: UNCHECKED };
  /** The lines after a heading or title, up to the next blank line. */
  const listAfter = (md: string, title: string): string[] => {
    const rest = md.slice(md.indexOf(title) + title.length).split('\n\n')[1] ?? '';
    return rest.trimEnd().split('\n');
  };

  test('the summary lists them after the outputs, with their reasons, grouped by kind and counted', () => {
    const md = renderSummary(withUnchecked);
    const title = '#### Not checked (4): 2 in memory, 1 local, 1 not matched by input "expect"';
    expect(md).toContain(title);
    expect(md.indexOf(title)).toBeGreaterThan(md.indexOf('#### Outputs'));
    expect(listAfter(md, title)).toEqual([
      '- `metrics`: in memory (no catalog entry): the run saves nothing to check',
      '- `scratch`: in memory (kedro.io.MemoryDataset): the run saves nothing to check',
      '- `companies_csv`: local (data/01\\_raw/companies.csv): saved on the disk of the process that ran its group',
      '- `shuttles_parquet`: not matched by input "expect"',
    ]);
    // The first line says it too: green does not read "every output verified".
    expect(md.split('\n')[0]).toContain('3 outputs verified, 4 not checked');
  });

  test('the comment shows them after the outputs line, with their reasons', () => {
    const md = renderRunComment(withUnchecked, 'https://github.com/o/r/actions/runs/1');
    const title = '**Not checked (4): 2 in memory, 1 local, 1 not matched by input "expect"**';
    expect(md).toContain(title);
    expect(md.indexOf(title)).toBeGreaterThan(md.indexOf('Outputs: 3 of 3 verified on S3.'));
    expect(md.split('\n')[0]).toContain('4 not checked');
    expect(listAfter(md, title)).toHaveLength(4);
    expect(md).toContain('- `metrics`: in memory (no catalog entry): the run saves nothing to check');
  });

  test('nothing is said when every output was checked, or when verify did not run', () => {
    for (const report of [passing, { ...passing, unchecked: [] }]) {
      expect(renderSummary(report)).not.toContain('Not checked');
      expect(renderRunComment(report)).not.toContain('Not checked');
      expect(renderSummary(report).split('\n')[0]).not.toContain('not checked');
    }
    expect(reportFromVerify(undefined, UNCHECKED)).toEqual({});
    expect(reportFromVerify([], [])).toEqual({ outputs: [] });
    expect(reportFromVerify([], UNCHECKED)).toEqual({ outputs: [], unchecked: UNCHECKED });
  });

  test('dataset names and reasons cannot make emphasis, tables, HTML or links', () => {
    const nasty = [
      {
        dataset: 'a_b*c|d<e>`f',
        reason: 'local (data/<x>_*y*|z.csv): saved on the disk of the process that ran its group',
      },
      { dataset: '[x](javascript:alert(1))', reason: 'in memory (no catalog entry): the run saves nothing to check' },
    ];
    for (const md of [
      renderSummary({ ...passing, unchecked: nasty }),
      renderRunComment({ ...passing, unchecked: nasty }),
    ]) {
      expect(md).toContain('- ``a_b*c\\|d<e>`f``: local (data/&lt;x&gt;\\_\\*y\\*\\|z.csv): saved on the disk');
      expect(md).toContain('- `[x](javascript:alert(1))`: in memory');
      expect(md).not.toContain('<x>');
    }
    expect(uncheckedKind('in memory (a: b): c')).toBe('in memory');
    expect(uncheckedKind('(odd)')).toBe('(odd)');
  });

  test('a long list is cut ("and K more") and stays within GitHub\'s limits, whatever the names', () => {
    // 500 outputs with the longest, most escaped names: every character becomes an entity.
    const many = Array.from({ length: 500 }, (_, i) => ({
      dataset: `${'<'.repeat(400)}${i}`,
      reason: i % 2 ? `local (${'&'.repeat(1000)}): saved on the disk` : `in memory (${'|'.repeat(1000)}): nothing`,
    }));
    const manyGroups = Array.from({ length: 500 }, (_, i) => ({
      name: `group_${i}`,
      dependencies: i === 0 ? [] : [`group_${i - 1}`],
      compute: 'lambda' as const,
      status: 'SUCCEEDED' as const,
      start: at(i),
      end: at(i + 1),
    }));
    const outputs = Array.from({ length: 500 }, (_, i) => ({
      dataset: `out_${'|'.repeat(300)}${i}`,
      key: `s3://b/${'<'.repeat(300)}${i}`,
      verdict: 'ok' as const,
    }));
    const report: RunReport = { ...passing, groups: manyGroups, outputs, unchecked: many };

    const summary = renderSummary(report);
    const summaryList = listAfter(summary, '#### Not checked (500): 250 in memory, 250 local');
    expect(summaryList).toHaveLength(SUMMARY_LIMITS.uncheckedMaxShown + 1);
    expect(summaryList.at(-1)).toBe('- … and 480 more (the log and the verify report list them all)');
    // Grouped: the in-memory ones first.
    expect(summaryList.slice(0, -1).every((l) => l.includes(': in memory'))).toBe(true);
    // GitHub refuses a step summary over 1 MiB ("supports content up to a size of 1024k"):
    // https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThan(1024 * 1024);

    const comment = renderRunComment(report, 'https://github.com/o/r/actions/runs/1');
    const commentList = listAfter(comment, '**Not checked (500): 250 in memory, 250 local**');
    expect(commentList).toHaveLength(11);
    expect(commentList.at(-1)).toBe('- … and 490 more (the log and the verify report list them all)');
    // GitHub refuses a comment body over 65,536 characters (422 "body is too long (maximum is 65536
    // characters)", https://docs.github.com/rest/issues/comments#create-an-issue-comment); the marker
    // upsertRunComment adds takes under 100.
    expect(comment.length + 100).toBeLessThan(65_536);
  });
});
