/**
 * Proof from the run records (src/verify/records.ts): for verify, each expected output judged against
 * this run's records and what S3 holds now; for teardown, the objects a stage's records hold that are
 * still the ones it wrote.
 */
import * as core from '@actions/core';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  currentObject,
  deleteObject,
  getJson,
  listKeys,
  putJson,
  readRunRecords,
  readStageRecords,
  readStageRunRecords,
  recordedRuns,
  recordedStages,
} from '../aws/records';
import { ActionError } from '../lib/errors';
import type { ExpectedOutput } from '../verify/expected';
import {
  type CurrentObject,
  judgeRecorded,
  layout,
  manifestOf,
  objectsOf,
  overlaps,
  type ProofCheck,
  type RecordedObject,
  type RecordsRoot,
  type RunRecord,
  recordsRootUrl,
  type StageRecord,
  StageRecordSchema,
  sameWrite,
  stageOutputs,
} from '../verify/records';
import { canonicalJson, type LoadedPlan, originOf, stageRecords } from './common';
import type { ModeContext } from './context';

export interface RunRef {
  root: RecordsRoot;
  project: string;
  stage: string;
  runId: string;
}

const where = (o: { bucket: string; key: string }) => `${o.bucket}/${o.key}`;

/** The verdict on each expected output of a run. */
export async function proveOutputs(
  s3: S3Client,
  run: RunRef,
  expected: readonly ExpectedOutput[],
): Promise<ProofCheck[]> {
  const manifest = manifestOf(await readRunRecords(s3, run.root, run.project, run.stage, run.runId));
  const recorded = new Map(expected.map((o) => [o.dataset, objectsOf(o, manifest.get(o.dataset))]));
  const current = new Map<string, CurrentObject | undefined>();
  for (const objects of recorded.values()) {
    for (const o of objects) {
      if (!current.has(where(o))) current.set(where(o), await currentObject(s3, o.bucket, o.key));
    }
  }
  // Who rewrote an object: the records of the project's runs after this one (any stage) are read only
  // when some object is not this run's any more.
  const rewritten = [...recorded.values()].flat().some((o) => {
    const now = current.get(where(o));
    return now !== undefined && !sameWrite(o, now);
  });
  const claims = rewritten ? await laterWrites(s3, run) : [];
  const claimedBy = (at: string, now: CurrentObject) =>
    claims.find((c) => where(c.object) === at && sameWrite(c.object, now))?.by;
  return expected.map((o) => judgeRecorded(o, recorded.get(o.dataset) ?? [], current, claimedBy));
}

/** Every object the records of the project's runs after `run` hold, with the run that wrote it. */
async function laterWrites(s3: S3Client, run: RunRef): Promise<{ object: RecordedObject; by: string }[]> {
  const stages = new Set([run.stage, ...(await recordedStages(s3, run.root, run.project))]);
  const claims: { object: RecordedObject; by: string }[] = [];
  for (const stage of stages) {
    for (const runId of await recordedRuns(s3, run.root, run.project, stage)) {
      if (runId <= run.runId && stage === run.stage) continue;
      if (runId === run.runId) continue;
      for (const record of await readRunRecords(s3, run.root, run.project, stage, runId)) {
        const by = describeRun(record);
        for (const { objects } of Object.values(record.datasets))
          for (const object of objects) claims.push({ object, by });
      }
    }
  }
  return claims;
}

function describeRun(record: RunRecord): string {
  const link = record.origin.workflow_run_url ? ` (${record.origin.workflow_run_url})` : '';
  return `run ${record.run_id} of stage "${record.stage}"${link}`;
}

export interface StageDataRemoval {
  /** s3:// URLs (with `?versionId=` for a version) this stage wrote and that were deleted. */
  deleted: string[];
  /** Objects this stage wrote that something else has rewritten since: kept, with why. */
  kept: string[];
  /** Record files of the stage removed (its runs, its stage record, a lease). */
  records: number;
}

/**
 * Deletes what a stage's records prove it wrote and nobody rewrote since: a recorded version (versioned
 * bucket) is deleted as that version; an object without a version only when it is still the write the
 * stage recorded. Then the stage's own records. Nothing is deleted by prefix; a stage without records
 * deletes no data.
 */
export async function removeStageData(
  s3: S3Client,
  root: RecordsRoot,
  project: string,
  stage: string,
): Promise<StageDataRemoval> {
  const writes = new Map<string, RecordedObject[]>();
  for (const record of await readStageRunRecords(s3, root, project, stage)) {
    for (const { objects } of Object.values(record.datasets)) {
      for (const o of objects) writes.set(where(o), [...(writes.get(where(o)) ?? []), o]);
    }
  }
  const result: StageDataRemoval = { deleted: [], kept: [], records: 0 };
  for (const [at, objects] of writes) {
    const { bucket, key } = objects[0]!;
    const versions = [...new Set(objects.map((o) => o.version_id).filter((v): v is string => Boolean(v)))];
    if (versions.length > 0) {
      for (const versionId of versions) {
        if (!(await currentObject(s3, bucket, key, versionId))) continue;
        await deleteObject(s3, bucket, key, versionId);
        result.deleted.push(`s3://${at}?versionId=${versionId}`);
      }
      continue;
    }
    const now = await currentObject(s3, bucket, key);
    if (!now) continue;
    if (objects.some((o) => sameWrite(o, now))) {
      await deleteObject(s3, bucket, key);
      result.deleted.push(`s3://${at}`);
    } else {
      result.kept.push(`s3://${at} (rewritten since this stage wrote it)`);
    }
  }
  for (const recordKey of await listKeys(s3, root.bucket, layout.stage(root, project, stage))) {
    await deleteObject(s3, root.bucket, recordKey);
    result.records += 1;
  }
  return result;
}

/**
 * Before a stage is deployed: refuses (or, with `allow-shared-outputs`, warns) when another stage's
 * record claims any of this stage's output paths, then records this stage's (its stage record).
 */
export async function claimStageOutputs(ctx: ModeContext, loaded: LoadedPlan): Promise<void> {
  const { plan, deployment } = loaded;
  const { root } = stageRecords(ctx, loaded);
  const { s3 } = ctx.aws();
  const mine = stageOutputs(plan);
  const others = (await readStageRecords(s3, root)).filter(
    (r) => !(r.project === deployment.project && r.stage === deployment.stage),
  );
  const clash = overlaps(mine, others);
  if (clash.length > 0) {
    const byStage = new Map<string, string[]>();
    for (const c of clash) {
      byStage.set(c.stage, [
        ...(byStage.get(c.stage) ?? []),
        `${c.mine.dataset} (s3://${c.mine.bucket}/${c.mine.key})`,
      ]);
    }
    const what = [...byStage]
      .map(([stage, datasets]) => `stage "${stage}" writes there too: ${datasets.join(', ')}`)
      .join('; ');
    const message =
      `stage "${deployment.stage}" would write where another stage does (records in ${recordsRootUrl(root)}): ${what}. ` +
      'Separate them with a runtime param in the catalog paths (e.g. s3://<bucket>/${runtime_params:output_prefix, main}/...) ' +
      'and a value per stage in the "runtime-params" input';
    if (!ctx.inputs.allowSharedOutputs) {
      throw new ActionError(`${message}; or set "allow-shared-outputs: true" to share them on purpose.`);
    }
    core.warning(
      `${message}. Shared on purpose ("allow-shared-outputs"): teardown removes only what each stage wrote.`,
    );
  }
  const record: StageRecord = {
    kind: 'kedro-aws-stage-record',
    version: 1,
    project: deployment.project,
    stage: deployment.stage,
    runtime_params: plan.runtime_params,
    outputs: mine,
    origin: originOf(ctx),
  };
  const key = layout.stageRecord(root, deployment.project, deployment.stage);
  // Compare before write: a redeploy with nothing changed changes nothing (where it came from aside).
  const current = await getJson(s3, root.bucket, key, StageRecordSchema);
  if (current && canonicalJson({ ...current.value, origin: {} }) === canonicalJson({ ...record, origin: {} })) {
    core.info(`Stage record s3://${root.bucket}/${key} unchanged`);
    return;
  }
  await putJson(s3, root.bucket, key, record);
  core.info(`Stage record s3://${root.bucket}/${key} ${current ? 'updated' : 'written'}`);
}
