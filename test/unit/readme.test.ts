import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'readme-inputs.js');

// Plain Node script (no compile step); its functions are typed here.
const readmeInputs = require(SCRIPT) as {
  tables(yamlText: string): { inputs: string; outputs: string };
  render(yamlText: string): string;
  updateReadme(readme: string, yamlText: string): string;
  markers(section: 'inputs' | 'outputs'): { start: string; end: string };
};

const actionYml = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
const action = parseYaml(actionYml) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
};

describe('README inputs/outputs tables', () => {
  test('README.md has the tables action.yml gives', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    let expected: string;
    try {
      expected = readmeInputs.updateReadme(readme, actionYml);
    } catch (e) {
      // No markers yet (or broken ones): say exactly what to do.
      throw new Error(`README.md: ${(e as Error).message}`);
    }
    if (expected !== readme) {
      throw new Error(
        'README.md: the inputs/outputs tables differ from action.yml; run: node scripts/readme-inputs.js --write README.md',
      );
    }
  });

  test('one row per input and per output, in action.yml order, required and defaults shown', () => {
    const { inputs, outputs } = readmeInputs.tables(actionYml);
    const inputRows = inputs.split('\n').slice(2);
    expect(inputRows.map((r) => /^\| `([^`]+)` \|/.exec(r)?.[1])).toEqual(Object.keys(action.inputs));
    const outputRows = outputs.split('\n').slice(2);
    expect(outputRows.map((r) => /^\| `([^`]+)` \|/.exec(r)?.[1])).toEqual(Object.keys(action.outputs));
    expect(inputs).toMatch(/^\| `mode` \| \(required\) \|/m);
    expect(inputs).toMatch(/^\| `project-path` \| `\.` \|/m);
    expect(inputs).toMatch(/^\| `runtime-params` \| \| /m);
  });

  test('cells stay one line; pipes are escaped and angle brackets outside code are entities', () => {
    const yamlText = [
      'inputs:',
      '  a:',
      '    description: >-',
      '      one `x|y` or',
      '      kedro-aws-<repository> | `<registry>/<repo>`',
      '    required: false',
      '    default: "a|b"',
      'outputs:',
      '  o:',
      '    description: "multi\\nline"',
    ].join('\n');
    const { inputs, outputs } = readmeInputs.tables(yamlText);
    expect(inputs.split('\n')[2]).toBe(
      '| `a` | `a\\|b` | one `x\\|y` or kedro-aws-&lt;repository&gt; \\| `<registry>/<repo>` |',
    );
    expect(outputs.split('\n')[2]).toBe('| `o` | multi line |');
  });

  test('--write replaces only what is between the markers, and a second run changes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-inputs-'));
    const file = path.join(dir, 'README.md');
    const before = [
      '# title',
      '### Inputs',
      '<!-- inputs:start -->',
      'old table',
      '<!-- inputs:end -->',
      'between',
      '<!-- outputs:start -->',
      '<!-- outputs:end -->',
      'after',
      '',
    ].join('\n');
    fs.writeFileSync(file, before);
    const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });

    expect(run('--check', file).status).toBe(1);
    expect(run('--write', file).status).toBe(0);
    const written = fs.readFileSync(file, 'utf8');
    const { inputs, outputs } = readmeInputs.tables(actionYml);
    expect(written).toBe(
      [
        '# title',
        '### Inputs',
        '<!-- inputs:start -->',
        inputs,
        '<!-- inputs:end -->',
        'between',
        '<!-- outputs:start -->',
        outputs,
        '<!-- outputs:end -->',
        'after',
        '',
      ].join('\n'),
    );
    expect(run('--write', file).stdout).toMatch(/already up to date/);
    expect(run('--check', file).status).toBe(0);
  });

  test('without markers the script refuses, naming the marker and the command', () => {
    expect(() => readmeInputs.updateReadme('# no markers\n', actionYml)).toThrow(
      /no <!-- inputs:start --> marker.*node scripts\/readme-inputs\.js --write README\.md/,
    );
    expect(() =>
      readmeInputs.updateReadme(
        ['<!-- inputs:end -->', '<!-- inputs:start -->', '<!-- outputs:start -->', '<!-- outputs:end -->', ''].join(
          '\n',
        ),
        actionYml,
      ),
    ).toThrow(/<!-- inputs:end --> before <!-- inputs:start -->/);
  });

  test('with no arguments it prints both tables between their markers', () => {
    const result = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(readmeInputs.render(actionYml));
    for (const section of ['inputs', 'outputs'] as const) {
      const { start, end } = readmeInputs.markers(section);
      expect(result.stdout).toContain(`${start}\n| ${section === 'inputs' ? 'input' : 'output'} |`);
      expect(result.stdout).toContain(`|\n${end}`);
    }
  });
});
