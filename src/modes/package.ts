/**
 * mode: package. Asks Kedro for the plan (refusing what cannot run distributed before anything is
 * built), checks it with the planner, then `kedro package` gives the wheel and the conf archive, and the
 * lock of the image's Python packages is written (src/build/lock.ts: the project's own, or made with uv).
 */

import * as path from 'node:path';
import * as core from '@actions/core';
import { parsePlatform } from '../build/layout';
import { makeLock, uvToolDir } from '../build/lock';
import type { ModeContext } from '../context/context';
import { OUTPUT } from '../context/outputs';
import { STATE } from '../context/state';
import { exportPlan } from '../kedro/export';
import { kedroPackage } from '../kedro/package';
import { buildPlan } from '../plan/planner';

export async function packageMode(ctx: ModeContext): Promise<void> {
  const { inputs } = ctx;
  const planFile = path.join(ctx.workDir, 'plan.json');
  core.info(`Exporting the plan of pipeline "${inputs.pipeline}" in conf env "${inputs.env}" with Kedro`);
  const plan = await exportPlan({
    python: inputs.python,
    projectPath: inputs.projectPath,
    env: inputs.env,
    pipeline: inputs.pipeline,
    runtimeParams: inputs.runtimeParams,
    output: planFile,
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
