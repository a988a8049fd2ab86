/** What several modes need: the plan of an earlier `package`, and values an earlier mode left. */

import * as fs from 'node:fs';
import * as core from '@actions/core';
import { readExportResult } from '../kedro/export';
import { ActionError } from '../lib/errors';
import { buildPlan, type DeploymentPlan } from '../plan/planner';
import type { Plan } from '../plan/schema';
import { type RecordsRoot, recordsRoot, stageRecordsUrl } from '../verify/records';
import type { ModeContext } from './context';
import { isInputBacked, type StateKey } from './state';

/** A value from an input or the state file, or an error that says where it should have come from. */
export function required(ctx: ModeContext, key: StateKey, producedBy: string): string {
  const value = ctx.get(key);
  if (!value) {
    // Only a key that is also an input is named as one; the others are the action's own (state.ts).
    throw new ActionError(
      isInputBacked(key)
        ? `no "${key}": run ${producedBy} earlier in this job (same stage "${ctx.inputs.stage}"), or give the "${key}" input`
        : `no ${key} record for stage "${ctx.inputs.stage}" in this job: run ${producedBy} earlier in this job, with the same stage`,
    );
  }
  return value;
}

export interface LoadedPlan {
  plan: Plan;
  deployment: DeploymentPlan;
}

/** plan.json from `package` (state or input), planned again for this stage and these settings. */
export function loadPlan(ctx: ModeContext): LoadedPlan {
  const file = required(ctx, 'plan', 'mode "package"');
  if (!fs.existsSync(file)) throw new ActionError(`the plan file ${file} does not exist; run mode "package" again`);
  const plan = readExportResult(file, 0);
  const deployment = buildPlan(plan, { stage: ctx.inputs.stage, groupSettings: targetSettings(ctx) });
  return { plan, deployment };
}

/** JSON with the keys of every object sorted: equal for equal values, whatever the key order. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}

/** Two sets of runtime params are the same when they are equal as values (key order and formatting aside). */
export function sameParams(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? {}) === canonicalJson(b ?? {});
}

/** A run id in Kedro's version format (what generate_timestamp gives), so "latest" sorting still works. */
export function kedroRunId(now: Date): string {
  return now.toISOString().replace(/:/g, '.');
}

/** Says which waits the definition added where the group graph is not series-parallel, one line per reason. */
export function logSchedule(built: {
  schedule: string;
  fallback?: readonly string[];
  stats: { gates: number; syncPoints: readonly { waiter: string; waitsFor: string; reason: string }[] };
}): void {
  if (built.fallback) {
    core.notice(
      `schedule "auto" is "dag" here, not "exact": ${built.fallback.join(' ')} ` +
        'Fix that (or set schedule: dag) to silence this notice.',
    );
  } else if (built.schedule === 'exact' && built.stats.gates > 0) {
    core.info(
      `  schedule exact: ${built.stats.gates} gate(s), each group starts when its last dependency ends ` +
        "(the groups' roles need states:SendTaskSuccess)",
    );
  }
  const byReason = new Map<string, string[]>();
  for (const sync of built.stats.syncPoints) {
    byReason.set(sync.reason, [...(byReason.get(sync.reason) ?? []), `${sync.waiter} after ${sync.waitsFor}`]);
  }
  for (const [reason, waits] of byReason) {
    const shown = waits.slice(0, 10).join(', ') + (waits.length > 10 ? `, and ${waits.length - 10} more` : '');
    core.info(`  added wait(s) ${shown}: ${reason}`);
  }
}

/**
 * The `group-settings` input, with `compute: batch` as the default of every group for target batch (the
 * Lambda limits then do not apply); a group's own setting still wins.
 */
function targetSettings(ctx: ModeContext): unknown {
  const given = (ctx.inputs.groupSettings ?? {}) as { defaults?: Record<string, unknown>; groups?: unknown };
  if (ctx.inputs.target !== 'batch') return ctx.inputs.groupSettings;
  return { ...given, defaults: { compute: 'batch', ...given.defaults } };
}

/** Tags every resource of a stage carries. */
export function stageTags(ctx: ModeContext, deployment: DeploymentPlan): Record<string, string> {
  return {
    'kedro-aws:project': deployment.project,
    'kedro-aws:stage': deployment.stage,
    'kedro-aws:git-sha': ctx.env.GITHUB_SHA ?? 'local',
  };
}

/** The tags that say a resource belongs to this project and stage (not the SHA, which moves). */
export function ownerTags(deployment: DeploymentPlan): Record<string, string> {
  return { 'kedro-aws:project': deployment.project, 'kedro-aws:stage': deployment.stage };
}

/** Where this stage's run records are: the root (input `run-records`, or the outputs' bucket) and the stage's URL. */
export function stageRecords(ctx: ModeContext, { plan, deployment }: LoadedPlan): { root: RecordsRoot; url: string } {
  const root = recordsRoot(plan, ctx.inputs.runRecords);
  return { root, url: stageRecordsUrl(root, deployment.project, deployment.stage) };
}

/** Where a run or a deploy came from, as records keep it: the workflow run (when there is one) and the commit. */
export function originOf(ctx: ModeContext): Record<string, string> {
  const { env } = ctx;
  const origin: Record<string, string> = {};
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    origin.workflow_run_url = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
    if (env.GITHUB_RUN_ATTEMPT) origin.workflow_run_url += `/attempts/${env.GITHUB_RUN_ATTEMPT}`;
  }
  if (env.GITHUB_SHA) origin.sha = env.GITHUB_SHA;
  return origin;
}
