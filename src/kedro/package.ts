/** `kedro package`: the project's wheel and its conf archive, found where Kedro writes them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActionError } from '../lib/errors';
import { runPython } from './python';

export interface PackageResult {
  wheel: string;
  confArchive: string;
}

export async function kedroPackage(options: {
  python: string;
  projectPath: string;
  packageName: string;
}): Promise<PackageResult> {
  const distDir = path.join(options.projectPath, 'dist');
  const started = Date.now();
  const result = await runPython(options.python, ['-m', 'kedro', 'package'], {
    cwd: options.projectPath,
    label: 'kedro package',
  });
  if (result.code !== 0) {
    throw new ActionError(
      `"kedro package" failed in ${options.projectPath} (exit code ${result.code}); ` +
        `its output is above.\nLast lines:\n${result.stderrTail}`,
    );
  }
  return findArtifacts(distDir, options.packageName, started);
}

/**
 * The wheel and conf archive that this `kedro package` wrote: dist/ may hold older builds, so only
 * files written since `since` (ms) count, and the newest wheel of the package wins.
 */
export function findArtifacts(distDir: string, packageName: string, since: number): PackageResult {
  const fresh = (f: string) => fs.statSync(path.join(distDir, f)).mtimeMs >= since - 2000;
  const files = fs.existsSync(distDir) ? fs.readdirSync(distDir) : [];
  // The wheel is named after the distribution ([project] name), which may differ from the package.
  const wheels = files
    .filter((f) => f.endsWith('.whl') && fresh(f))
    .sort((a, b) => fs.statSync(path.join(distDir, b)).mtimeMs - fs.statSync(path.join(distDir, a)).mtimeMs);
  const conf = `conf-${packageName}.tar.gz`;
  if (wheels.length === 0) {
    throw new ActionError(`"kedro package" finished but wrote no wheel (.whl) in ${distDir}`);
  }
  if (!files.includes(conf) || !fresh(conf)) {
    throw new ActionError(`"kedro package" finished but wrote no ${conf} in ${distDir}`);
  }
  return { wheel: path.join(distDir, wheels[0]!), confArchive: path.join(distDir, conf) };
}
