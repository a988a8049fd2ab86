/**
 * Throttling, which moto cannot produce: a small loopback HTTP server stands in for Step Functions and
 * answers ThrottlingException before a real answer. The client built by src/aws/clients.ts must retry
 * (adaptive mode) and the caller must see only the answer.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sfnClient } from '../../src/aws/clients';
import { describeExecution } from '../../src/aws/stepfunctions';

function throttlingServer(throttles: number) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      res.setHeader('Content-Type', 'application/x-amz-json-1.0');
      if (calls <= throttles) {
        res.statusCode = 400;
        res.end(
          JSON.stringify({ __type: 'com.amazonaws.swf.base.model#ThrottlingException', message: 'Rate exceeded' }),
        );
        return;
      }
      res.end(
        JSON.stringify({
          executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
          status: 'RUNNING',
          startDate: 1,
        }),
      );
    });
  });
  return { server, calls: () => calls };
}

describe('throttling (a stand-in server: moto does not throttle)', () => {
  test('a throttled DescribeExecution is retried until it answers', async () => {
    const { server, calls } = throttlingServer(2);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = sfnClient({
        region: 'us-east-1',
        maxAttempts: 5,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        endpoint: `http://127.0.0.1:${port}`,
      });
      const out = await describeExecution(client, 'arn:aws:states:us-east-1:123456789012:execution:m:e');
      expect(out.status).toBe('RUNNING');
      expect(calls()).toBe(3);
    } finally {
      server.close();
    }
  });
});
