/**
 * The `docker` builder's effects: is there an engine (`docker info`), the buildx builder it uses (a
 * `docker-container` builder, created once), `docker login` with the password on standard input,
 * `docker buildx build` pushing by digest, and the digest buildx reports. The command lines themselves
 * are built in dockerfile.ts (pure, unit-tested).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { ActionError } from '../lib/errors';
import {
  BUILDX_BUILDER,
  buildxArgs,
  buildxCreateArgs,
  buildxInspectArgs,
  digestFromMetadata,
  dockerLoginArgs,
  githubCacheAvailable,
} from './dockerfile';
import type { Platform } from './layout';

export interface CommandResult {
  code: number;
  output: string;
}

/** Runs a command, streaming its output to the log; `input` goes to its standard input. */
export function runCommand(
  command: string,
  args: string[],
  options: {
    input?: string;
    timeoutMs?: number;
    quiet?: boolean;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** Prefix of its lines in the log (default: the command). */
    label?: string;
  } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    let output = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: options.env ?? process.env,
        ...(options.cwd ? { cwd: options.cwd } : {}),
      });
    } catch (error) {
      resolve({ code: 127, output: (error as Error).message });
      return;
    }
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    const onData = (d: Buffer) => {
      const text = d.toString();
      output = (output + text).slice(-20000);
      if (!options.quiet)
        for (const line of text.split('\n').filter(Boolean)) core.info(`  ${options.label ?? command} | ${line}`);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolve({ code: 127, output: error.message });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
    child.stdin?.end(options.input ?? '');
  });
}

/** `docker info` answers: a Docker engine is reachable. */
export async function dockerEngineAvailable(): Promise<boolean> {
  const result = await runCommand('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeoutMs: 20_000,
    quiet: true,
  });
  return result.code === 0 && result.output.trim() !== '';
}

/** The docker-container builder of the action: reused when it exists, else created (and started). */
export async function ensureBuildxBuilder(): Promise<void> {
  const found = await runCommand('docker', buildxInspectArgs(), { quiet: true, timeoutMs: 60_000 });
  if (found.code === 0) return;
  core.info(`docker ${buildxCreateArgs().join(' ')}`);
  const created = await runCommand('docker', buildxCreateArgs(), { timeoutMs: 300_000 });
  if (created.code !== 0) {
    throw new ActionError(
      `creating the buildx builder "${BUILDX_BUILDER}" (driver docker-container) failed: ${created.output.trim().slice(-500)}\n` +
        "The docker builder needs it to push the image by its digest and to use GitHub's cache (the engine's default " +
        '"docker" driver can do neither); it runs BuildKit from the moby/buildkit image. ' +
        'Use builder: oci to build without Docker.',
    );
  }
}

export interface DockerBuildOptions {
  contextDir: string;
  dockerfile: string;
  platform: Platform;
  /** `<registry>/<repository>` */
  repositoryRef: string;
  registry: string;
  username: string;
  password: string;
  cacheScope: string;
  workDir: string;
  env: NodeJS.ProcessEnv;
  labels?: Record<string, string>;
}

/** Logs in, builds and pushes by digest (no tag); returns the pushed digest. */
export async function dockerBuildAndPush(o: DockerBuildOptions): Promise<string> {
  const login = await runCommand('docker', dockerLoginArgs(o.registry, o.username), { input: o.password, quiet: true });
  if (login.code !== 0)
    throw new ActionError(`docker login to ${o.registry} failed: ${login.output.trim().slice(-500)}`);
  await ensureBuildxBuilder();
  const metadataFile = path.join(o.workDir, 'buildx-metadata.json');
  fs.rmSync(metadataFile, { force: true });
  const args = buildxArgs({
    contextDir: o.contextDir,
    dockerfile: o.dockerfile,
    platform: o.platform,
    repositoryRef: o.repositoryRef,
    metadataFile,
    cacheScope: o.cacheScope,
    env: o.env,
    ...(o.labels ? { labels: o.labels } : {}),
  });
  if (!githubCacheAvailable(o.env))
    core.info("GitHub's cache is not available to this step: building without a layer cache");
  core.info(`docker ${args.join(' ')}`);
  const build = await runCommand('docker', args, { env: o.env });
  if (build.code !== 0)
    throw new ActionError(`docker buildx build failed (exit code ${build.code}); its output is above`);
  const digest = fs.existsSync(metadataFile) ? digestFromMetadata(fs.readFileSync(metadataFile, 'utf8')) : undefined;
  if (!digest) throw new ActionError(`docker buildx build pushed but wrote no image digest in ${metadataFile}`);
  return digest;
}
