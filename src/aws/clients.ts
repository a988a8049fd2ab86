/**
 * The main step's AWS SDK clients, built in one place with the settings of config.ts. Every call made
 * through them is recorded (`callLog`).
 */
import { BatchClient } from '@aws-sdk/client-batch';
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { type ClientOptions, clientConfig as common, hasCustomEndpoint, record } from './config';

export {
  type ClientOptions,
  callLog,
  clientConfig,
  hasCustomEndpoint,
  isReadOnly,
  type RecordedCall,
  resolveRegion,
  USER_AGENT,
} from './config';

export function s3Client(options: ClientOptions): S3Client {
  // An emulator on loopback cannot answer virtual-hosted bucket names (bucket.127.0.0.1).
  return record(
    's3',
    new S3Client({ ...common(options), forcePathStyle: Boolean(options.endpoint) || hasCustomEndpoint(options.env) }),
  );
}

export function lambdaClient(options: ClientOptions): LambdaClient {
  return record('lambda', new LambdaClient(common(options)));
}

export function sfnClient(options: ClientOptions): SFNClient {
  return record('states', new SFNClient(common(options)));
}

export function batchClient(options: ClientOptions): BatchClient {
  return record('batch', new BatchClient(common(options)));
}

export function ecrClient(options: ClientOptions): ECRClient {
  return record('ecr', new ECRClient(common(options)));
}

export interface Clients {
  s3: S3Client;
  lambda: LambdaClient;
  sfn: SFNClient;
  batch: BatchClient;
  ecr: ECRClient;
}

/** The clients a mode may use, created lazily so a mode pays only for what it calls. */
export function createClients(options: ClientOptions): Clients {
  const cache: Partial<Clients> = {};
  return {
    get s3() {
      return (cache.s3 ??= s3Client(options));
    },
    get lambda() {
      return (cache.lambda ??= lambdaClient(options));
    },
    get sfn() {
      return (cache.sfn ??= sfnClient(options));
    },
    get batch() {
      return (cache.batch ??= batchClient(options));
    },
    get ecr() {
      return (cache.ecr ??= ecrClient(options));
    },
  };
}
