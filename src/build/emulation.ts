/**
 * Can the docker builder run the image's platform on this runner? `docker buildx build --platform
 * linux/arm64` on an x64 runner runs the Dockerfile's `RUN pip install` under QEMU, which must be
 * registered with the kernel (binfmt_misc) first, e.g. by docker/setup-qemu-action; without it the build
 * fails with "exec format error" deep in the log. The oci builder runs nothing of the image: pip fetches
 * the platform's wheels on the runner, so it needs no emulation.
 *
 * The evidence: `/proc/sys/fs/binfmt_misc/qemu-<arch>` enabled (what setup-qemu-action and
 * tonistiigi/binfmt register), or the platform among those `docker buildx inspect` lists.
 */
import * as fs from 'node:fs';
import { INPUT } from '../inputs/table';
import { runCommand } from './docker';
import { type Platform, platformArchitecture } from './layout';

/** `process.arch` → the image architecture it runs natively (undefined: none of Lambda's). */
export function nativeArchitecture(arch: string = process.arch): 'amd64' | 'arm64' | undefined {
  if (arch === 'x64') return 'amd64';
  if (arch === 'arm64') return 'arm64';
  return undefined;
}

/** The QEMU binfmt_misc entry that runs `platform`'s binaries. */
export function binfmtEntry(platform: Platform): string {
  return `/proc/sys/fs/binfmt_misc/qemu-${platform === 'linux/arm64' ? 'aarch64' : 'x86_64'}`;
}

export interface EmulationEvidence {
  /** First line of the binfmt_misc entry (`enabled`), undefined when there is none. */
  binfmt: string | undefined;
  /** Platforms `docker buildx inspect` lists for the builder (empty when it did not answer). */
  buildxPlatforms: string[];
}

/** Pure: the refusal for a docker build of `platform` on a runner of `runnerArch`, or undefined when it can run. */
export function emulationRefusal(
  platform: Platform,
  runnerArch: string,
  evidence: EmulationEvidence,
): string | undefined {
  const target = platformArchitecture(platform);
  const native = nativeArchitecture(runnerArch);
  if (native === target) return undefined;
  if (evidence.binfmt?.trim() === 'enabled') return undefined;
  if (evidence.buildxPlatforms.includes(platform)) return undefined;
  const setup = target === 'arm64' ? 'arm64' : 'amd64';
  return (
    `input "${INPUT.platform}" is ${platform} and the builder is docker, but this runner is ${runnerArch} ` +
    `and no emulation of ${setup} is registered (no ${binfmtEntry(platform)}, and "docker buildx inspect" ` +
    `does not list ${platform}): the Dockerfile's RUN steps would fail with "exec format error". Add ` +
    '`docker/setup-qemu-action` before this step, or use builder: oci (it builds the image without running ' +
    `it), or run the job on a runner of that architecture${target === 'arm64' ? ' (e.g. ubuntu-24.04-arm)' : ''}.`
  );
}

/** Parses `docker buildx inspect`: the `Platforms:` lines of its nodes. */
export function parseBuildxPlatforms(output: string): string[] {
  const platforms = new Set<string>();
  for (const line of output.split('\n')) {
    const m = /^\s*Platforms:\s*(.*)$/.exec(line);
    if (!m) continue;
    for (const p of m[1]!.split(',')) {
      const name = p.trim().replace(/\*$/, '');
      if (name) platforms.add(name);
    }
  }
  return [...platforms];
}

/** Reads the evidence on this machine. */
export async function emulationEvidence(platform: Platform): Promise<EmulationEvidence> {
  let binfmt: string | undefined;
  try {
    binfmt = fs.readFileSync(binfmtEntry(platform), 'utf8').split('\n')[0];
  } catch {
    binfmt = undefined;
  }
  const inspect = await runCommand('docker', ['buildx', 'inspect'], { timeoutMs: 20_000, quiet: true });
  return { binfmt, buildxPlatforms: inspect.code === 0 ? parseBuildxPlatforms(inspect.output) : [] };
}

/** The refusal for a docker build of `platform` on this machine, reading the evidence only when it is needed. */
export async function dockerPlatformRefusal(platform: Platform): Promise<string | undefined> {
  if (nativeArchitecture() === platformArchitecture(platform)) return undefined;
  return emulationRefusal(platform, process.arch, await emulationEvidence(platform));
}
