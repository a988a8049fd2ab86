/**
 * The README's main command: the example through package,build,deploy,run,verify on an emulator and a
 * loopback registry it starts itself (build with the oci builder on a tiny stand-in base image, deploy
 * into moto, run with executor local, verify).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../support/moto';

/** Does anything still answer on this loopback port (curl exits 7 when the connection is refused)? */
function answers(port: string): boolean {
  return spawnSync('curl', ['-s', '-o', '/dev/null', '--max-time', '2', `http://127.0.0.1:${port}/`]).status !== 7;
}

test('scripts/demo.sh builds, deploys, runs and verifies, and stops its emulator and registry', () => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('INPUT_') && k !== 'MOTO_PORT'),
  );
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'demo.sh')], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const out = result.stdout;
  // build: an image pushed to the loopback registry, pinned by digest, on the stand-in base.
  expect(out).toMatch(
    /Building the image of spaceflights with the oci builder \(linux\/amd64, base 127\.0\.0\.1:\d+\/base\/lambda-python:/,
  );
  expect(out).toMatch(/^ {2}image-uri: 127\.0\.0\.1:\d+\/spaceflights@sha256:[0-9a-f]{64}$/m);
  expect(out).toMatch(/^ {2}image-digest: sha256:[0-9a-f]{64}$/m);
  // deploy: the functions and the state machine in moto, from that image.
  expect(out).toMatch(/Deploying 3 Lambda function\(s\) from 127\.0\.0\.1:\d+\/spaceflights@sha256:[0-9a-f]{64}/);
  expect(out).toMatch(/^ {2}state-machine-arn: arn:aws:states:us-east-1:\d{12}:stateMachine:spaceflights-demo$/m);
  expect(out).toMatch(/^ {2}lambda-function-arns: \{.*"data_processing":"arn:aws:lambda:/m);
  // run (executor local) and verify.
  expect(out).toMatch(/^ {2}status: SUCCEEDED$/m);
  expect(out).toMatch(/^ {2}verified: true$/m);
  expect(out).toMatch(/verify passed\s*$/);
  expect(out).toMatch(/s3:\/\/kedro-aws-example\/main\/06_models\/regressor\.pickle\/[^/]+\/regressor\.pickle/);
  expect(result.status).toBe(0);
  // The trap stopped what the demo started (the ports it printed no longer answer).
  const motoPort = /== starting the AWS emulator on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
  const registryPort = /== starting the container registry on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
  expect(motoPort && registryPort).toBeTruthy();
  expect(answers(motoPort!)).toBe(false);
  expect(answers(registryPort!)).toBe(false);
});
