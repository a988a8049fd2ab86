/** The README's main command: the example through package,run,verify on an emulator it starts itself. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../support/moto';

test('scripts/demo.sh ends with verify passing and stops its emulator', () => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('INPUT_') && k !== 'MOTO_PORT'),
  );
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'demo.sh')], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 });
  expect(result.stdout).toMatch(/verified: true/);
  expect(result.stdout).toMatch(/verify passed\s*$/);
  expect(result.stdout).toMatch(/s3:\/\/kedro-aws-example\/main\/06_models\/regressor\.pickle\/[^/]+\/regressor\.pickle/);
  expect(result.status).toBe(0);
});
