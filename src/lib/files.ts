/**
 * Files the action keeps under $RUNNER_TEMP: readable by the runner's user only. Folders are 0700 and
 * files 0600 (0700 for an executable); what another program wrote there (pip, tar, the plan exporter)
 * is brought down to the same with {@link restrictTree}.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and its missing parents) as 0700, and makes `dir` itself 0700 when it was there already. */
export function privateDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
  return dir;
}

/** Writes `file` as 0600 (also when it was there already with other permissions). */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
  fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/** Makes an existing file 0600 (one that another program wrote); nothing when it is not there. */
export function restrictFile(file: string): void {
  if (fs.existsSync(file)) fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Takes every permission of group and others off `root` and everything under it (the owner's bits
 * stay: an executable stays executable). Symbolic links are not followed.
 */
export function restrictTree(root: string): void {
  const stat = fs.lstatSync(root, { throwIfNoEntry: false });
  if (!stat || stat.isSymbolicLink()) return;
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(root, stat.mode & 0o700);
  if (!stat.isDirectory()) return;
  for (const name of fs.readdirSync(root)) restrictTree(path.join(root, name));
}
