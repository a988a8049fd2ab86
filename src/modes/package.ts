/**
 * mode: package. Asks Kedro for the plan (refusing what cannot run distributed before anything is
 * built), checks it with the planner, then `kedro package` gives the wheel and the conf archive, which
 * are refused when they cannot run the plan on AWS (an env the archive does not ship, a file system whose
 * package the wheel does not require), and the lock of the image's Python packages is written
 * (src/build/lock.ts: the project's own, or made with uv).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { listArchive } from '../build/context';
import { parsePlatform, shippedEnvs } from '../build/layout';
import { makeLock, uvToolDir } from '../build/lock';
import { readWheelMetadata } from '../build/wheel';
import type { ModeContext } from '../context/context';
import { OUTPUT } from '../context/outputs';
import { STATE } from '../context/state';
import { INPUT } from '../inputs';
import { exportPlan, workspaceLocations } from '../kedro/export';
import { kedroPackage } from '../kedro/package';
import { ActionError } from '../lib/errors';
import { unmetFilesystemMessage, unmetFilesystemPackages } from '../plan/filesystems';
import { buildPlan } from '../plan/planner';
import { parseS3Url } from '../verify/expected';

/** The env folders of the project's conf/ that an archive would ship (conf/local never). */
function projectEnvs(projectPath: string): string[] {
  const conf = path.join(projectPath, 'conf');
  if (!fs.existsSync(conf)) return [];
  return fs
    .readdirSync(conf, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'local' && e.name !== 'base')
    .map((e) => e.name)
    .sort();
}

/** Refuses an env whose conf no image can have; `shipped` lists the envs there are. */
export function unshippedEnvMessage(env: string, shipped: readonly string[], archive?: string): string {
  const envs = shipped.filter((e) => e !== 'base');
  const listed = envs.length ? `the envs it ships: ${envs.join(', ')}` : 'it ships no env besides base';
  if (env === 'local') {
    return (
      `input "${INPUT.env}" is "local", but conf/local holds machine-local settings and credentials: "kedro package" ` +
      'leaves its files out of the conf archive and no image has it, so every group would fail on AWS with ' +
      `MissingConfigException. Use an env that is shipped (${listed}), e.g. conf/aws with the remote paths for AWS.`
    );
  }
  const where = archive ? `the conf archive ${path.basename(archive)}` : 'the conf archive of "kedro package"';
  return (
    `input "${INPUT.env}" is "${env}", but ${where} has no files of conf/${env} that go in an image ` +
    '("kedro package" leaves out every local/*.yml, and credentials files never go in), so every group would ' +
    `fail on AWS with MissingConfigException. Use an env that is shipped (${listed}), or keep conf/${env}'s ` +
    'files out of folders named local.'
  );
}

export async function packageMode(ctx: ModeContext): Promise<void> {
  const { inputs } = ctx;
  if (inputs.env === 'local') throw new ActionError(unshippedEnvMessage(inputs.env, projectEnvs(inputs.projectPath)));
  const planFile = path.join(ctx.workDir, 'plan.json');
  const scaffoldDir = path.join(ctx.workDir, 'scaffold');
  core.info(`Exporting the plan of pipeline "${inputs.pipeline}" in conf env "${inputs.env}" with Kedro`);
  const plan = await exportPlan({
    python: inputs.python,
    projectPath: inputs.projectPath,
    env: inputs.env,
    pipeline: inputs.pipeline,
    runtimeParams: inputs.runtimeParams,
    output: planFile,
    scaffold: {
      dir: scaffoldDir,
      bucket: inputs.runRecords ? parseS3Url(inputs.runRecords).bucket : undefined,
      found: (files) => {
        ctx.setOutput(OUTPUT.scaffold, scaffoldDir);
        core.warning(
          `conf/${inputs.env} is missing or lacks catalog entries a run of one group at a time needs: suggested ` +
            `${files.map((f) => f.file).join(' and ')} are below and in ${scaffoldDir} (output "${OUTPUT.scaffold}"). ` +
            `Copy them into ${inputs.projectPath === '.' ? '' : `${inputs.projectPath}/`}conf/${inputs.env}/ ` +
            `(see "Adapt your project" in the action's README).`,
        );
        for (const f of files) core.info(`----- ${f.file} (suggested) -----\n${f.text.trimEnd()}\n-----`);
      },
    },
  });
  for (const warning of plan.warnings) core.warning(warning);
  if (inputs.runtimeParams) {
    // What every group of a run gets (run starts with exactly these): Kedro's reading of the input.
    core.info(`Runtime params, as Kedro reads them: ${JSON.stringify(plan.runtime_params)}`);
  }

  // Planning errors (names, settings, limits) surface now, before anything is built or deployed.
  const deployment = buildPlan(plan, { stage: inputs.stage, groupSettings: inputs.groupSettings });
  core.info(
    `Kedro ${plan.project.kedro_version}, package ${plan.project.package_name}: ` +
      `${deployment.groups.length} group(s) in ${deployment.levels.length} level(s)`,
  );
  for (const group of deployment.groups) {
    const after = group.dependencies.length ? ` after ${group.dependencies.join(', ')}` : '';
    core.info(`  ${group.name} (${group.type}, ${group.nodes.length} node(s))${after}`);
  }

  core.info(`Packaging ${plan.project.package_name} with "kedro package"`);
  const artifacts = await kedroPackage({
    python: inputs.python,
    projectPath: inputs.projectPath,
    packageName: plan.project.package_name,
  });
  core.info(`Wheel: ${artifacts.wheel}`);
  core.info(`Conf archive: ${artifacts.confArchive}`);

  // What the archive and the wheel give the image must be enough to run the plan there.
  const shipped = shippedEnvs(await listArchive(artifacts.confArchive));
  if (plan.env !== 'base' && !shipped.includes(plan.env)) {
    throw new ActionError(unshippedEnvMessage(plan.env, shipped, artifacts.confArchive));
  }
  const unmet = unmetFilesystemPackages(plan.filesystems, readWheelMetadata(artifacts.wheel).requirements);
  if (unmet.length) {
    throw new ActionError(
      unmetFilesystemMessage(unmet, plan.env, path.basename(artifacts.wheel)),
      workspaceLocations(
        unmet.flatMap((u) => u.locations),
        inputs.projectPath,
      ),
    );
  }

  const platform = parsePlatform(inputs.platform);
  const lock = await makeLock({
    python: inputs.python,
    projectPath: inputs.projectPath,
    wheel: artifacts.wheel,
    pythonVersion: plan.project.python_version,
    platform,
    // The docker builder can build an sdist in the image; the oci builder installs binary wheels only.
    sdists: inputs.builder === 'docker' || (inputs.builder === 'auto' && Boolean(inputs.dockerfile)),
    ...(inputs.requirementsLock ? { given: inputs.requirementsLock } : {}),
    output: path.join(ctx.workDir, 'requirements.lock'),
    toolDir: uvToolDir(ctx.env, path.dirname(ctx.workDir)),
    env: ctx.env,
    log: (line) => core.info(line),
    notice: (line) => core.notice(line),
  });
  core.info(
    `Lock: ${lock.file}, ${lock.packages} package(s) for CPython ${plan.project.python_version} on ${platform}` +
      `${lock.hashed ? ' with their hashes' : ''}, from ${lock.source}`,
  );

  ctx.remember({
    [STATE.wheel]: artifacts.wheel,
    [STATE.confArchive]: artifacts.confArchive,
    [STATE.plan]: planFile,
    [STATE.requirementsLock]: lock.file,
  });
  ctx.setOutput(OUTPUT.wheel, artifacts.wheel);
  ctx.setOutput(OUTPUT.confArchive, artifacts.confArchive);
  ctx.setOutput(OUTPUT.plan, planFile);
  ctx.setOutput(OUTPUT.requirementsLock, lock.file);
  ctx.setOutput(OUTPUT.groups, JSON.stringify(deployment.groups.map((g) => g.name)));
}
