"""Where in the project a refusal points the user: the file and line of a dataset's catalog
entry, or of a node's function (``{file, line, message}``, the file relative to the project).

Reads the project's files; no Kedro import. Kedro's config loader keeps no line numbers
(OmegaConf drops them), so a catalog entry is found by scanning conf/<env>/catalog*.yml
for its top-level key.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any


def function_location(func: Callable[..., Any], project_path: Path, message: str) -> dict[str, Any] | None:
    """The file and line of a node's function, relative to the project (None outside it)."""
    try:
        func = inspect.unwrap(func)
        file = Path(inspect.getsourcefile(func) or "").resolve()
        line = inspect.getsourcelines(func)[1]
        relative = file.relative_to(project_path)
    except (TypeError, OSError, ValueError):
        return None
    return {"file": relative.as_posix(), "line": line, "message": message}


def catalog_location(project_path: Path, env: str, dataset: str, message: str) -> dict[str, Any] | None:
    """The line of a dataset's entry in conf/<env>/catalog*.yml, else in conf/base (which the env
    inherits), when it has one there."""
    pattern = re.compile(rf"^{re.escape(dataset)}\s*:")
    for folder_env in dict.fromkeys([env, "base"]):
        folder = project_path / "conf" / folder_env
        files = sorted(folder.glob("catalog*.y*ml")) + sorted(folder.glob("**/catalog*.y*ml"))
        for file in files:
            for number, text in enumerate(file.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                if pattern.match(text):
                    return {"file": file.relative_to(project_path).as_posix(), "line": number, "message": message}
    return None
