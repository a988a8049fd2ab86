#!/bin/sh
# The entrypoint of the image `build` makes for the step-functions target (kedro-aws-action).
#
# One image serves every group of a stage, and two services start it:
# - AWS Lambda, with the image's command: the handler, one argument. The Lambda base image's own
#   entrypoint then takes over, exactly as if this script were not there.
# - AWS Batch, for a group with `compute: batch`, with the job definition's command
#   (python3 -m kedro_aws_action.batch_entry --group ...). A Batch job definition cannot replace an
#   image's entrypoint (its container properties have a command and no entrypoint), and the Lambda base
#   image's entrypoint refuses anything but exactly one argument ("entrypoint requires the handler name
#   to be the first argument", exit 142). So a command of more than one argument runs as it is, with the
#   task root importable, as the Lambda runtime has it.
LAMBDA_ENTRYPOINT=/lambda-entrypoint.sh
if [ "$#" -le 1 ]; then
  exec "$LAMBDA_ENTRYPOINT" "$@"
fi
export PYTHONPATH="${LAMBDA_TASK_ROOT:-/var/task}${PYTHONPATH:+:$PYTHONPATH}"
exec "$@"
