/** The example project and the fixture projects, copied to a temp folder so tests never write into the repo. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './moto';

export const EXAMPLE = path.join(ROOT, 'examples', 'spaceflights');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'projects');

const SKIP = new Set(['dist', 'build', '__pycache__', '.pytest_cache', 'logs']);

/** A fresh copy of a project (source, conf and raw data only). */
export function copyProject(source: string): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), `kedro-aws-${path.basename(source)}-`));
  fs.cpSync(source, target, {
    recursive: true,
    filter: (src) => {
      const name = path.basename(src);
      if (SKIP.has(name) || name.endsWith('.egg-info')) return false;
      // Only raw data travels: outputs of earlier local runs would hide a missing write.
      const rel = path.relative(source, src).split(path.sep);
      return !(rel[0] === 'data' && rel.length > 1 && rel[1] !== '01_raw');
    },
  });
  return target;
}
