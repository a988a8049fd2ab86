/**
 * AWS errors as the user reads them (src/aws/errors.ts): each class of error names the call, the
 * resource and what to check. The SDK errors are built here as the SDK builds them (its own exception
 * classes, or Node's network errors); the emulator cannot throttle, fail with a 5xx or refuse access.
 */

import { ResourceNotFoundException, ServiceException, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { NoSuchBucket } from '@aws-sdk/client-s3';
import { ExecutionDoesNotExist, SFNServiceException } from '@aws-sdk/client-sfn';
import { CONNECT_TIMEOUT_MS, clientConfig, SOCKET_TIMEOUT_MS } from '../../src/aws/config';
import { AwsCallError, awsCall, awsError, awsErrorKind, iamActionOf, isTransientAwsError } from '../../src/aws/errors';
import { ActionError } from '../../src/lib/errors';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:spaceflights-dev:run1';
const describe_ = { call: 'states:DescribeExecution', resource: `execution ${EXECUTION}`, input: 'execution-arn' };

/** A Node network error as the http module throws it. */
function netError(message: string, code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

function serviceError(name: string, message: string, status: number, fault: 'client' | 'server' = 'client') {
  return new SFNServiceException({ name, message, $fault: fault, $metadata: { httpStatusCode: status, attempts: 8 } });
}

describe('the class of an error', () => {
  test.each([
    ['socket hang up', netError('socket hang up', 'ECONNRESET'), 'network'],
    ['connection refused', netError('connect ECONNREFUSED 127.0.0.1:4566', 'ECONNREFUSED'), 'network'],
    ['the SDK timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'network'],
    ['an unknown host', netError('getaddrinfo ENOTFOUND states.xx-east-9.amazonaws.com', 'ENOTFOUND'), 'dns'],
    ['throttling', serviceError('ThrottlingException', 'Rate exceeded', 400), 'throttling'],
    [
      "Lambda's throttling",
      new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} } as never),
      'throttling',
    ],
    ['a 503', serviceError('ServiceUnavailable', 'Service Unavailable', 503, 'server'), 'server'],
    ["Lambda's ServiceException", new ServiceException({ message: 'oops', $metadata: {} } as never), 'server'],
    [
      'an expired token',
      serviceError('ExpiredTokenException', 'The security token included in the request is expired', 400),
      'credentials',
    ],
    [
      'access denied',
      serviceError('AccessDeniedException', 'User: x is not authorized to perform: states:DescribeExecution', 400),
      'access',
    ],
    [
      'a missing execution',
      new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }),
      'not-found',
    ],
    [
      'a missing bucket',
      new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} }),
      'not-found',
    ],
    ['a validation error', serviceError('ValidationException', 'bad name', 400), 'client'],
  ])('%s is %s', (_, error, kind) => {
    expect(awsErrorKind(error)).toBe(kind);
  });

  test('network errors, throttling and 5xx are waited through; the rest is not', () => {
    expect(isTransientAwsError(netError('socket hang up', 'ECONNRESET'))).toBe(true);
    expect(isTransientAwsError(serviceError('ThrottlingException', 'Rate exceeded', 400))).toBe(true);
    expect(isTransientAwsError(serviceError('InternalServerError', 'boom', 500, 'server'))).toBe(true);
    expect(isTransientAwsError(serviceError('AccessDeniedException', 'no', 400))).toBe(false);
    expect(isTransientAwsError(new ExecutionDoesNotExist({ message: 'gone', $metadata: {} }))).toBe(false);
  });

  test('a host that does not resolve is waited through only once the wait had an answer', () => {
    const dns = netError('getaddrinfo ENOTFOUND states.eu-west-1.amazonaws.com', 'ENOTFOUND');
    expect(isTransientAwsError(dns, false)).toBe(false);
    expect(isTransientAwsError(dns, true)).toBe(true);
  });

  test('a Node error the SDK wrapped (it came from another realm) is still known by the code in its text', () => {
    const wrapped = new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:4566');
    expect(awsErrorKind(wrapped)).toBe('network');
    expect(awsError(wrapped, describe_, {}).message).toMatch(/failed: connect ECONNREFUSED 127\.0\.0\.1:4566\n/);
    expect(awsErrorKind(new Error('AWS SDK error wrapper for TimeoutError: socket hang up'))).toBe('network');
    // A service's answer, or an error already said for a user, is not a network error, whatever its text says.
    expect(awsErrorKind(serviceError('ValidationException', 'host said ECONNRESET', 400))).toBe('client');
    expect(awsErrorKind(new ActionError('the last: connect ECONNREFUSED 127.0.0.1:4566'))).toBe('client');
  });

  test('an AwsCallError keeps the class of the error it says', () => {
    const said = awsError(netError('socket hang up', 'ECONNRESET'), describe_);
    expect(said).toBeInstanceOf(AwsCallError);
    expect(awsErrorKind(said)).toBe('network');
    expect(isTransientAwsError(said)).toBe(true);
  });
});

describe('what the user reads', () => {
  const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };

  test('a network error names the call, the resource, the region input and the endpoint', () => {
    const message = awsError(netError('connect ECONNREFUSED 127.0.0.1:4566', 'ECONNREFUSED'), describe_, env).message;
    expect(message.split('\n')).toEqual([
      `states:DescribeExecution on execution ${EXECUTION} failed: connect ECONNREFUSED 127.0.0.1:4566`,
      `AWS could not be reached from the runner: check the runner's network, the region (input "aws-region") and the endpoint AWS_ENDPOINT_URL=http://127.0.0.1:4566.`,
    ]);
  });

  test('socket hang up says its code', () => {
    expect(awsError(netError('socket hang up', 'ECONNRESET'), describe_, {}).message).toMatch(
      /^states:DescribeExecution on execution \S+ failed: socket hang up \(ECONNRESET\)\nAWS could not be reached/,
    );
  });

  test('getaddrinfo ENOTFOUND of a well-formed but unknown region points at the aws-region input', () => {
    const error = netError('getaddrinfo ENOTFOUND states.xx-east-9.amazonaws.com', 'ENOTFOUND', {
      hostname: 'states.xx-east-9.amazonaws.com',
    });
    const message = awsError(
      error,
      { call: 'states:ListStateMachines', resource: 'state machine spaceflights-dev' },
      {},
    ).message;
    expect(message).toContain(
      'states:ListStateMachines on state machine spaceflights-dev failed: getaddrinfo ENOTFOUND',
    );
    expect(message).toContain(
      'The host states.xx-east-9.amazonaws.com does not exist: "xx-east-9" is not a region where this service is (input "aws-region"',
    );
  });

  test.each([
    'states.cn-north-9.amazonaws.com.cn',
    'states.us-gov-west-9.amazonaws.com',
    'states.us-isof-south-9.csp.hci.ic.gov',
    'states.eusc-de-west-9.amazonaws.eu',
  ])('the host %s of another partition names its region and the aws-region input', (host) => {
    const error = netError(`getaddrinfo ENOTFOUND ${host}`, 'ENOTFOUND', { hostname: host });
    const region = host.split('.')[1];
    expect(awsError(error, describe_, {}).message).toContain(
      `The host ${host} does not exist: "${region}" is not a region where this service is (input "aws-region"`,
    );
  });

  test('an endpoint that does not resolve points at AWS_ENDPOINT_URL', () => {
    const error = netError('getaddrinfo ENOTFOUND motoo', 'ENOTFOUND', { hostname: 'motoo' });
    expect(awsError(error, describe_, { AWS_ENDPOINT_URL: 'http://motoo:5000' }).message).toContain(
      'The host of AWS_ENDPOINT_URL (http://motoo:5000) does not resolve',
    );
  });

  test('throttling ("Rate exceeded") says how many attempts and points at max-retries', () => {
    const message = awsError(serviceError('ThrottlingException', 'Rate exceeded', 400), describe_, {}).message;
    expect(message).toContain('failed: ThrottlingException: Rate exceeded (after 8 attempts)');
    expect(message).toContain('Raise input "max-retries"');
  });

  test('a server error says its status and that it is usually short-lived', () => {
    const message = awsError(
      serviceError('ServiceUnavailable', 'Service Unavailable', 503, 'server'),
      describe_,
      {},
    ).message;
    expect(message).toContain('failed: ServiceUnavailable: Service Unavailable (HTTP 503) (after 8 attempts)');
    expect(message).toContain('usually short-lived');
  });

  test('refused credentials point at role-to-assume and the id-token permission', () => {
    const message = awsError(
      serviceError('ExpiredTokenException', 'The security token is expired', 400),
      describe_,
      {},
    ).message;
    expect(message).toContain('input "role-to-assume"');
    expect(message).toContain('id-token: write');
  });

  test('AccessDenied names the IAM action to allow and the role input', () => {
    const message = awsError(
      serviceError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/r/s is not authorized', 400),
      describe_,
      {},
    ).message;
    expect(message).toContain('The credentials may not call states:DescribeExecution on it');
    expect(message).toContain('input "role-to-assume"');
    expect(message).toContain('Check input "execution-arn".');
  });

  test("S3's calls are named by the IAM action a policy needs", () => {
    expect(iamActionOf('s3:ListObjectsV2')).toBe('s3:ListBucket');
    expect(iamActionOf('s3:HeadObject')).toBe('s3:GetObject');
    expect(iamActionOf('states:StartExecution')).toBe('states:StartExecution');
  });

  test('NoSuchBucket names the bucket and where the catalog names it', () => {
    const error = Object.assign(new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} }), {
      BucketName: 'my-data',
    });
    const message = awsError(
      error,
      {
        call: 's3:ListObjectsV2',
        resource: 'bucket my-data (objects under s3://my-data/08_reporting/)',
        hint: 'The path is dataset "shuttle_plot"\'s filepath as conf/aws/catalog.yml resolves it',
      },
      {},
    ).message;
    expect(message.split('\n')).toEqual([
      's3:ListObjectsV2 on bucket my-data (objects under s3://my-data/08_reporting/) failed: NoSuchBucket: The specified bucket does not exist',
      "The bucket my-data does not exist (or is not this account's).",
      'The path is dataset "shuttle_plot"\'s filepath as conf/aws/catalog.yml resolves it',
    ]);
  });

  test('a missing resource names the input that names it', () => {
    const error = new ResourceNotFoundException({ message: 'Function not found', $metadata: {} } as never);
    const message = awsError(
      error,
      {
        call: 'lambda:GetFunction',
        resource: 'Lambda function spaceflights-dev-reporting',
        input: ['lambda-role-arn', 'image-uri'],
      },
      {},
    ).message;
    expect(message).toContain('Lambda function spaceflights-dev-reporting does not exist');
    expect(message).toContain('Check input "lambda-role-arn" and "image-uri".');
  });

  test('any other refusal names the call, the resource and the input', () => {
    const message = awsError(serviceError('ValidationException', 'Invalid Role Arn', 400), {
      call: 'states:CreateStateMachine',
      resource: 'state machine spaceflights-dev',
      input: 'sfn-role-arn',
    }).message;
    expect(message.split('\n')).toEqual([
      'states:CreateStateMachine on state machine spaceflights-dev failed: ValidationException: Invalid Role Arn (after 8 attempts)',
      'Check input "sfn-role-arn".',
    ]);
  });

  test('an ActionError is already said: it passes as it is', () => {
    const said = new ActionError('the plan is wrong');
    expect(awsError(said, describe_)).toBe(said);
  });

  test('awsCall returns the answer, or throws the error said', async () => {
    await expect(awsCall(describe_, async () => 'ok')).resolves.toBe('ok');
    await expect(
      awsCall(describe_, async () => {
        throw new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });
      }),
    ).rejects.toThrow(new RegExp(`^states:DescribeExecution on execution ${EXECUTION} failed: ExecutionDoesNotExist`));
  });
});

describe('the clients', () => {
  test("give up on a connection that does not open, or goes silent, instead of the SDK's 15 minutes an attempt", () => {
    expect(clientConfig({ region: 'eu-west-1', maxAttempts: 8 }).requestHandler).toEqual({
      connectionTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
    expect(SOCKET_TIMEOUT_MS).toBeLessThanOrEqual(60_000);
  });
});
