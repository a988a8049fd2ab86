/**
 * The environment every group's process gets, whatever runs it (a Lambda function, a Batch job, the
 * local executor): the project's package, the conf env, and where the stage's run records go. Pure.
 */

/** The variable that tells a group where its stage's run records are (`s3://bucket/<prefix>/<project>/<stage>/`). */
export const RECORDS_ENV = 'KEDRO_AWS_RUN_RECORDS';

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
