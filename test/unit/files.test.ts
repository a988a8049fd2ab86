import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureWorkDir, saveState } from '../../src/context/state';
import { privateDir, restrictTree, writePrivateFile } from '../../src/lib/files';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe("the action's files are the runner's user's only", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kedro-aws-files-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a private folder is 0700, also when it was there already', () => {
    const dir = path.join(root, 'a', 'b');
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    privateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
  });

  test('a private file is 0600, also when it was there already as 0644', () => {
    const file = path.join(root, 'f.json');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    writePrivateFile(file, 'new');
    expect(modeOf(file)).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
  });

  test("restrictTree takes group's and others' bits off, keeps the owner's (an executable stays one)", () => {
    const dir = path.join(root, 'site', 'pkg');
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o755);
    const plain = path.join(dir, 'mod.py');
    const script = path.join(dir, 'run.sh');
    fs.writeFileSync(plain, 'x');
    fs.chmodSync(plain, 0o644);
    fs.writeFileSync(script, 'x');
    fs.chmodSync(script, 0o755);
    fs.symlinkSync('/etc/hostname', path.join(dir, 'link'));
    restrictTree(path.join(root, 'site'));
    expect([modeOf(dir), modeOf(plain), modeOf(script)]).toEqual([0o700, 0o600, 0o700]);
  });

  test('the work folder and the state file under RUNNER_TEMP', () => {
    const env = { RUNNER_TEMP: root };
    const work = ensureWorkDir('pr-1', env);
    saveState(path.join(work, 'state.json'), { 'run-id': 'r' });
    expect(modeOf(path.join(root, 'kedro-aws-action'))).toBe(0o700);
    expect(modeOf(work)).toBe(0o700);
    expect(modeOf(path.join(work, 'state.json'))).toBe(0o600);
  });
});
