/**
 * The group graph alone, as the job summary draws it (a mermaid `flowchart LR` coloured by status), for
 * places that show less than the summary: the pull-request comment. Pure. Built from the same pieces as
 * src/report/summary.ts (renderFlowchart, the same icons and limits); the summary itself is unchanged.
 */
import { fencedBlock } from './markdown';
import { MERMAID_LIMITS, renderFlowchart } from './mermaid';
import type { ReportGroupStatus, RunReport } from './summary';

/** The icon of a group's status; PENDING on a finished run means "not run". */
export function groupStatusIcon(status: ReportGroupStatus, runFinished: boolean): string {
  switch (status) {
    case 'SUCCEEDED':
      return '✅';
    case 'FAILED':
      return '❌';
    case 'RUNNING':
      return '🔄';
    case 'SKIPPED':
      return '⏭️';
    case 'PENDING':
      return runFinished ? '⏸️' : '⏳';
  }
}

/**
 * The graph as a fenced mermaid block, or undefined when there are no groups or it is too large for
 * GitHub's mermaid (the caller then shows the groups as a list).
 */
export function renderGroupGraph(report: RunReport): string | undefined {
  if (report.groups.length === 0) return undefined;
  const index = new Map<string, number>();
  report.groups.forEach((g, i) => {
    if (!index.has(g.name)) index.set(g.name, i);
  });
  const runFinished = report.status !== 'RUNNING';
  const chart = renderFlowchart(
    report.groups.map((g) => ({
      label: `${groupStatusIcon(g.status, runFinished)} ${g.name}`,
      status: g.status,
      dependsOn: g.dependencies.flatMap((d) => {
        const i = index.get(d);
        return i === undefined ? [] : [i];
      }),
    })),
  );
  if (chart.edges > MERMAID_LIMITS.maxEdges || chart.text.length > MERMAID_LIMITS.maxChars) return undefined;
  return fencedBlock(chart.text, 'mermaid');
}
