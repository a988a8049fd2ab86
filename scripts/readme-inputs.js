#!/usr/bin/env node
// @ts-check
/**
 * The README's inputs and outputs tables, generated from action.yml so they never drift.
 *
 *   node scripts/readme-inputs.js                    # print both tables, each between its markers
 *   node scripts/readme-inputs.js --write README.md  # replace what is between the markers in README.md
 *   node scripts/readme-inputs.js --check README.md  # exit 1 when README.md's tables differ
 *
 * README.md holds the markers, each alone on a line:
 *   <!-- inputs:start --> ... <!-- inputs:end -->   and   <!-- outputs:start --> ... <!-- outputs:end -->
 * Plain Node (no compile step); test/unit/readme.test.ts runs the same functions.
 */

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const ACTION_YML = path.join(ROOT, 'action.yml');

/** @typedef {{ description?: string, required?: boolean, default?: unknown }} ActionInput */
/** @typedef {{ description?: string }} ActionOutput */
/** @typedef {{ inputs?: Record<string, ActionInput>, outputs?: Record<string, ActionOutput> }} Action */

const SECTIONS = /** @type {const} */ (['inputs', 'outputs']);

/** @param {'inputs' | 'outputs'} section */
function markers(section) {
  return { start: `<!-- ${section}:start -->`, end: `<!-- ${section}:end -->` };
}

/**
 * One table cell: folded to one line; pipes escaped (inside code spans too, as GFM tables want); `<` and `>`
 * outside code spans written as entities, so `kedro-aws-<repository>` is not taken for an HTML tag.
 * @param {unknown} text
 */
function cell(text) {
  const oneLine = String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return oneLine
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('')
    .replace(/\|/g, '\\|');
}

/** @param {string[]} cells */
function row(cells) {
  return `|${cells.map((c) => (c === '' ? ' ' : ` ${c} `)).join('|')}|`;
}

/** @param {ActionInput} input */
function defaultCell(input) {
  if (input.required === true) return '(required)';
  if (input.default === undefined || input.default === null || String(input.default) === '') return '';
  return `\`${cell(input.default)}\``;
}

/** @param {string} yamlText the text of action.yml */
function readAction(yamlText) {
  const action = /** @type {Action} */ (YAML.parse(yamlText));
  if (!action || typeof action !== 'object') throw new Error('action.yml is not a YAML mapping');
  return action;
}

/**
 * The two tables (without markers), in action.yml's order.
 * @param {string} yamlText the text of action.yml
 * @returns {{ inputs: string, outputs: string }}
 */
function tables(yamlText) {
  const action = readAction(yamlText);
  const inputs = ['| input | default | description |', '|---|---|---|'];
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    inputs.push(row([`\`${name}\``, defaultCell(input ?? {}), cell(input?.description)]));
  }
  const outputs = ['| output | description |', '|---|---|'];
  for (const [name, output] of Object.entries(action.outputs ?? {})) {
    outputs.push(row([`\`${name}\``, cell(output?.description)]));
  }
  return { inputs: inputs.join('\n'), outputs: outputs.join('\n') };
}

/**
 * Both tables, each between its markers: what the script prints.
 * @param {string} yamlText
 */
function render(yamlText) {
  const generated = tables(yamlText);
  return `${SECTIONS.map((s) => `${markers(s).start}\n${generated[s]}\n${markers(s).end}`).join('\n\n')}\n`;
}

/**
 * The README with what is between each pair of markers replaced by the generated table. Throws, naming the
 * marker, when a pair is missing, duplicated or out of order.
 * @param {string} readme
 * @param {string} yamlText
 */
function updateReadme(readme, yamlText) {
  const generated = tables(yamlText);
  let text = readme;
  for (const section of SECTIONS) {
    const { start, end } = markers(section);
    const s = text.indexOf(start);
    const e = text.indexOf(end);
    if (s < 0 || e < 0) {
      throw new Error(
        `README.md has no ${s < 0 ? start : end} marker: put ${start} and ${end}, each alone on a line, ` +
          `where the ${section} table goes, then run: node scripts/readme-inputs.js --write README.md`,
      );
    }
    if (text.indexOf(start, s + 1) >= 0 || text.indexOf(end, e + 1) >= 0) {
      throw new Error(`README.md has ${start} or ${end} more than once`);
    }
    if (e < s) throw new Error(`README.md has ${end} before ${start}`);
    text = `${text.slice(0, s)}${start}\n${generated[section]}\n${text.slice(e)}`;
  }
  return text;
}

function main(argv) {
  const yamlText = fs.readFileSync(ACTION_YML, 'utf8');
  const [flag, file] = argv;
  if (flag === undefined) {
    process.stdout.write(render(yamlText));
    return 0;
  }
  if ((flag !== '--write' && flag !== '--check') || !file) {
    process.stderr.write('usage: node scripts/readme-inputs.js [--write README.md | --check README.md]\n');
    return 2;
  }
  const readme = fs.readFileSync(file, 'utf8');
  let updated;
  try {
    updated = updateReadme(readme, yamlText);
  } catch (e) {
    process.stderr.write(`${/** @type {Error} */ (e).message}\n`);
    return 1;
  }
  if (flag === '--check') {
    if (updated !== readme) {
      process.stderr.write(
        `${file}: the inputs/outputs tables differ from action.yml; run: node scripts/readme-inputs.js --write ${file}\n`,
      );
      return 1;
    }
    return 0;
  }
  if (updated !== readme) fs.writeFileSync(file, updated);
  process.stdout.write(`${file}: inputs/outputs tables ${updated === readme ? 'already up to date' : 'written'}\n`);
  return 0;
}

module.exports = { tables, render, updateReadme, markers, ACTION_YML };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
