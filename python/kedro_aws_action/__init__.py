"""Python side of kedro-aws-action.

Shipped beside the action's ``dist/`` and run with the user's own interpreter
(the one that has the project's Kedro installed). Nothing here is installed as
a package: the action runs ``export_plan.py`` by its path.
"""

PLAN_SCHEMA_VERSION = 1
