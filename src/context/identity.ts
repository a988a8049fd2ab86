/**
 * Which run this step is. A run of a stage is identified by the step that starts it and by what defines
 * it: the workflow run and attempt, the job (a per-job id kept under RUNNER_TEMP, so matrix jobs differ),
 * the step, the plan, the image and the runtime params. The same identity means the same run (a step
 * run again follows its execution instead of starting a duplicate); anything else is a new run.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalJson, type LoadedPlan } from './common';
import type { ModeContext } from './context';
import { STATE } from './state';

/** A per-job id: RUNNER_TEMP is emptied at the start of every job, so each job (matrix jobs too) gets its own. */
export function jobId(ctx: ModeContext): string {
  const file = path.join(path.dirname(ctx.workDir), 'job-id');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const id = randomUUID();
    try {
      fs.writeFileSync(file, id, { flag: 'wx', mode: 0o600 });
      return id;
    } catch {
      // Another step of the job wrote it first.
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}

function planDigest(ctx: ModeContext): string {
  const file = ctx.get(STATE.plan);
  return file && fs.existsSync(file) ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : '';
}

/** The identity of the run this step would start (hex; the first characters go into execution names). */
export function runIdentity(ctx: ModeContext, loaded: LoadedPlan, runId: string): string {
  const { env } = ctx;
  const where = env.GITHUB_RUN_ID
    ? {
        run: env.GITHUB_RUN_ID,
        attempt: env.GITHUB_RUN_ATTEMPT ?? '1',
        job: `${env.GITHUB_JOB ?? ''}/${jobId(ctx)}`,
        step: env.GITHUB_ACTION ?? '',
      }
    : // Outside Actions every invocation is a run of its own.
      { run: `local-${runId}` };
  const what = {
    stage: loaded.deployment.stage,
    plan: planDigest(ctx),
    image: ctx.get(STATE.imageUri) ?? '',
    // What every group gets: the plan's (run refuses an input that says otherwise).
    params: canonicalJson(loaded.plan.runtime_params),
  };
  return createHash('sha256').update(canonicalJson({ where, what })).digest('hex');
}
