/**
 * One AWS call through boto3 in the project's .venv, for services the tests have no JavaScript client of
 * (EC2, ECR, Batch). It goes wherever AWS_ENDPOINT_URL points (the integration tests' moto server).
 */
import { spawnSync } from 'node:child_process';
import { PYTHON } from './moto';

const SCRIPT = `
import json, sys, boto3
service, method, kwargs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
result = getattr(boto3.client(service), method)(**kwargs)
result.pop("ResponseMetadata", None)
print(json.dumps(result, default=str))
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: whatever boto3 answers, as JSON; each test reads the fields it asserts.
export function boto(service: string, method: string, kwargs: Record<string, unknown> = {}, endpoint?: string): any {
  const run = spawnSync(PYTHON, ['-c', SCRIPT, service, method, JSON.stringify(kwargs)], {
    encoding: 'utf8',
    // A suite with a moto server of its own names its endpoint.
    env: endpoint ? { ...process.env, AWS_ENDPOINT_URL: endpoint } : process.env,
  });
  if (run.status !== 0) throw new Error(`boto3 ${service}.${method} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
