/** Where the action's own files are, whether it runs from dist/ (bundled) or from src/ (tests). */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The action's root folder: the nearest folder above this file holding action.yml. */
export function actionRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'action.yml'))) {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`action.yml not found above ${__dirname}`);
    dir = parent;
  }
}

/** The Python helpers shipped beside dist/ (plan exporter, runtime handlers). */
export function pythonDir(): string {
  return path.join(actionRoot(), 'python');
}
