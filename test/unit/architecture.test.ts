/**
 * The shape of src/ (README "Architecture"): folders in layers, each importing only the layers below
 * it, so no folder-level import cycle can come back; and the post step's bundle small and free of what
 * it has no use for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/** Each folder of src/ (`.` is src/ itself: the entry points) and its layer; a folder imports lower layers only. */
const LAYERS: Record<string, number> = {
  lib: 0,
  plan: 1,
  inputs: 2,
  verify: 3,
  aws: 4,
  report: 4,
  kedro: 5,
  github: 5,
  build: 6,
  context: 7,
  targets: 8,
  modes: 9,
  post: 9,
  '.': 10,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function folderOf(file: string): string {
  const rel = path.relative(SRC, path.dirname(file));
  return rel === '' ? '.' : (rel.split(path.sep)[0] as string);
}

/** Every relative import (type-only ones included: they are dependencies of the design too). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
    const base = path.resolve(path.dirname(file), m[1] as string);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    if (target?.startsWith(SRC)) found.push(target);
  }
  return found;
}

const edges = new Map<string, Set<string>>();
const examples = new Map<string, string>();
for (const file of sourceFiles(SRC)) {
  for (const target of importsOf(file)) {
    const [a, b] = [folderOf(file), folderOf(target)];
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
    examples.set(`${a}->${b}`, `${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}`);
  }
}

describe('the layers of src/', () => {
  test('every folder of src/ has a layer', () => {
    const folders = new Set(sourceFiles(SRC).map(folderOf));
    expect([...folders].filter((f) => !(f in LAYERS))).toEqual([]);
  });

  test('each folder imports only folders below it', () => {
    const upward: string[] = [];
    for (const [a, targets] of edges) {
      for (const b of targets) {
        if ((LAYERS[b] ?? -1) >= (LAYERS[a] ?? -1))
          upward.push(`${a} (layer ${LAYERS[a]}) -> ${b} (layer ${LAYERS[b]}): ${examples.get(`${a}->${b}`)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('no folder-level import cycle', () => {
    // Tarjan-free check: with the layer rule above a cycle is impossible, but say it directly too.
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (visiting.has(node)) {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
        return;
      }
      if (done.has(node)) return;
      visiting.add(node);
      for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
      visiting.delete(node);
      done.add(node);
    };
    for (const node of edges.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  test('no mode names a target: the modes ask the backend', () => {
    const modes = sourceFiles(path.join(SRC, 'modes'));
    const naming = modes.filter((f) =>
      /inputs\.(target|executor)\b/.test(fs.readFileSync(f, 'utf8').replace(/`[^`]*`/g, '')),
    );
    expect(naming.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});

describe('the bundles', () => {
  const post = path.join(ROOT, 'dist', 'post', 'index.js');

  test('the post step is under 1 MB', () => {
    expect(fs.statSync(post).size).toBeLessThan(1_000_000);
  });

  test.each([
    ['the local executor', 'aws-local-stepfunctions'],
    ['Octokit', 'octokit'],
    ['@actions/core (the post step speaks the runner protocol itself)', 'ACTIONS_RUNTIME_TOKEN'],
    ['zod', 'ZodError'],
    ['the planner', 'series-parallel'],
  ])('the post step does not bundle %s', (_what, marker) => {
    expect(fs.readFileSync(post, 'utf8').includes(marker)).toBe(false);
  });

  test('the main bundle loads the local executor from a chunk of its own', () => {
    const main = fs.readFileSync(path.join(ROOT, 'dist', 'index.js'), 'utf8');
    expect(main.includes('aws-local-stepfunctions')).toBe(false);
    const chunks = fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => /^\d+\.index\.js$/.test(f));
    expect(chunks.some((f) => fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8').includes('StateMachine'))).toBe(true);
  });
});
