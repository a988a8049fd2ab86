/** Output names, spelled once (action.yml lists the same; a test keeps them equal): `OUTPUT.confArchive` is `'conf-archive'`. */
import { keyed } from '../lib/keys';

export const OUTPUT = keyed([
  'wheel',
  'conf-archive',
  'plan',
  'requirements-lock',
  'scaffold',
  'groups',
  'state-machine-arn',
  'state-machine-version-arn',
  'lambda-function-arns',
  'execution-arn',
  'run-id',
  'status',
  'verified',
  'report',
  'image-uri',
  'image-digest',
  'platform',
  'job-definition-arn',
  'batch-job-ids',
]);
export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];
