/**
 * Messages that name the fix: every input a message names exists (action.yml, the inputs table), and the
 * region names the `aws-region` input accepts are those of every partition AWS documents.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { AWS_PARTITIONS, INPUT_NAMES, partitionOfRegion } from '../../src/inputs/table';

const ROOT = path.resolve(__dirname, '..', '..');

// ---------------------------------------------------------------------------------------------
// Input names in messages

/** How a message names an input: `input "x"`, `"x" input`, with backquotes too, or (Python) `action's x input`. */
const NAMING = [
  /\binput ["'`]([a-z][a-z0-9-]*)["'`:]/g,
  /["'`]([a-z][a-z0-9-]*)["'`] inputs?\b/g,
  /\baction's ([a-z][a-z0-9-]*) input\b/g,
];

/** The input names a text names (none for a name built at run time, `${...}`: typed by the table). */
function namedInputs(text: string): string[] {
  return NAMING.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

/** The texts of every string literal and template of a TypeScript file (a template's holes as `${}`). */
function tsStrings(file: string, source = fs.readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false);
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      texts.push(node.head.text + node.templateSpans.map((s) => `\${}${s.literal.text}`).join(''));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return texts;
}

function filesUnder(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__pycache__' ? [] : filesUnder(full, ext);
    return e.isFile() && e.name.endsWith(ext) ? [full] : [];
  });
}

/** Every input named in a message of src/ (string literals) and python/kedro_aws_action (the source). */
function namedInSources(): { where: string; name: string }[] {
  const found: { where: string; name: string }[] = [];
  for (const file of filesUnder(path.join(ROOT, 'src'), '.ts')) {
    for (const text of tsStrings(file)) {
      for (const name of namedInputs(text)) found.push({ where: path.relative(ROOT, file), name });
    }
  }
  for (const file of filesUnder(path.join(ROOT, 'python', 'kedro_aws_action'), '.py')) {
    // Python messages are split over adjacent literals: the source joined where a literal ends and the next begins.
    const text = fs.readFileSync(file, 'utf8').replace(/["']\s*\n\s*f?["']/g, '');
    for (const name of namedInputs(text)) found.push({ where: path.relative(ROOT, file), name });
  }
  return found;
}

describe('messages name only inputs that exist', () => {
  const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  const inputs = new Set(Object.keys(action.inputs));

  test('action.yml and the table declare the same inputs', () => {
    expect([...inputs].sort()).toEqual([...INPUT_NAMES].sort());
  });

  test('every input named in a message of src/ and python/ is an input of action.yml', () => {
    const found = namedInSources();
    // The scan sees the messages: many inputs are named, in both languages.
    expect(new Set(found.map((f) => f.name)).size).toBeGreaterThan(10);
    expect(found.some((f) => f.where.endsWith('.py'))).toBe(true);
    expect(found.filter((f) => !inputs.has(f.name)).map((f) => `${f.where}: "${f.name}"`)).toEqual([]);
  });

  test('the scan finds a name that is not an input, however the message quotes it', () => {
    const source = [
      'throw new Error(`no "local-run": give the "local-run" input`);',
      'const a = \'input "local-run" is empty\';',
      'const b = `the \\`state-file\\` input, ${x}`;',
      'const c = `input ${INPUT.runId} is fine, and so is input "run-id"`;',
    ].join('\n');
    const names = tsStrings('x.ts', source).flatMap(namedInputs);
    expect(names).toEqual(['local-run', 'local-run', 'state-file', 'run-id']);
    expect(namedInputs('f"Set the action\'s envs input"')).toEqual(['envs']);
  });
});

// ---------------------------------------------------------------------------------------------
// Regions

/** AWS's partitions as the SDKs ship them: botocore/data/partitions.json in the project's venv. */
function botocorePartitions(): { id: string; regionRegex: string; dnsSuffix: string; regions: string[] }[] {
  const lib = path.join(ROOT, '.venv', 'lib');
  const python = fs.readdirSync(lib).find((d) => d.startsWith('python'));
  const file = path.join(lib, python!, 'site-packages', 'botocore', 'data', 'partitions.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    partitions: {
      id: string;
      regionRegex: string;
      outputs: { dnsSuffix: string };
      regions: Record<string, unknown>;
    }[];
  };
  return data.partitions.map((p) => ({
    id: p.id,
    regionRegex: p.regionRegex,
    dnsSuffix: p.outputs.dnsSuffix,
    regions: Object.keys(p.regions),
  }));
}

describe('region names: every partition AWS documents', () => {
  const partitions = botocorePartitions();

  test("the action's partitions are AWS's: the same names, region patterns and DNS suffixes", () => {
    expect(Object.keys(AWS_PARTITIONS).sort()).toEqual(partitions.map((p) => p.id).sort());
    for (const p of partitions) {
      const ours = AWS_PARTITIONS[p.id as keyof typeof AWS_PARTITIONS];
      // botocore escapes every `-` (`\-`); the same pattern.
      expect(ours.regionRegex.source).toBe(p.regionRegex.replace(/\\-/g, '-'));
      expect(ours.dnsSuffix).toBe(p.dnsSuffix);
      expect(p.regions).toContain(ours.example);
    }
  });

  test('every region AWS lists is of its own partition (the global pseudo-regions aside)', () => {
    for (const p of partitions) {
      for (const region of p.regions.filter((r) => !r.endsWith('-global'))) {
        expect([region, partitionOfRegion(region)]).toEqual([region, p.id]);
      }
    }
  });
});
