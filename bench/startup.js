#!/usr/bin/env node
/**
 * How long the bundled action takes to load: `node dist/index.js` with no inputs (it reads the inputs,
 * finds `mode` missing and fails) against `node -e 0` (Node's own start), as a ratio, so the number
 * means the same on a faster or slower machine. The goal (issue 12): under 0.25 s on the 2-core
 * machine of this repository's CI, with the local executor, the AWS SDK and Octokit loaded only when a
 * mode needs them.
 *
 *   node bench/startup.js            # 15 runs each, medians
 *   node bench/startup.js --runs 40
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const entry = path.join(__dirname, '..', 'dist', 'index.js');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_')));

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples[samples.length - 1] };
}

time(['-e', '0']); // warm the file cache
const bare = time(['-e', '0']);
const action = time([entry]);
const fmt = (t) => `median ${t.median.toFixed(3)} s (min ${t.min.toFixed(3)}, max ${t.max.toFixed(3)})`;
console.log(`node -e 0                     ${fmt(bare)}`);
console.log(`node dist/index.js (no inputs) ${fmt(action)}`);
console.log(`ratio (medians)               ${(action.median / bare.median).toFixed(2)}x`);
console.log(`goal: under 0.25 s            ${action.median < 0.25 ? 'met' : 'NOT met'}`);
