"""Project settings. Only the config loader arguments differ from Kedro's defaults."""

CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
}
