"""spaceflights: a small Kedro 1.x project used as the kedro-aws-action example."""

__version__ = "0.1"
