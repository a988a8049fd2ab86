/**
 * The environment every group's process gets, whatever runs it (a Lambda function, a Batch job, the
 * local executor): the project's package, the conf env, and where the stage's run records go. Pure.
 */

/** The variable that tells a group where its stage's run records are (`s3://bucket/<prefix>/<project>/<stage>/`). */
export const RECORDS_ENV = 'KEDRO_AWS_RUN_RECORDS';

/**
 * Schedule `exact`, a Batch group: the gated groups it releases when it ends (a JSON list of group
 * names), set on its job by the state machine (a Lambda group gets the list in its event, `release`).
 */
export const RELEASE_ENV = 'KEDRO_AWS_RELEASE';

export function groupEnvironment(options: {
  packageName: string;
  env: string;
  recordsUrl: string;
}): Record<string, string> {
  return {
    KEDRO_PACKAGE_NAME: options.packageName,
    KEDRO_ENV: options.env,
    KEDRO_DISABLE_TELEMETRY: 'true',
    [RECORDS_ENV]: options.recordsUrl,
  };
}
