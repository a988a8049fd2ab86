"""What the plan exporter and the runtime both need: Kedro's dataset naming rules.

Standard library only, no Kedro import and no I/O: the exporter imports it before it
knows whether Kedro can be imported at all, the runtime inside the image.
"""

from __future__ import annotations

#: Kedro's transcoding separator: ``df@pandas`` and ``df@spark`` are one dataset, ``df``.
TRANSCODING_SEPARATOR = "@"
#: The pipeline ``kedro run`` runs when none is named.
DEFAULT_PIPELINE = "__default__"


def strip_transcoding(name: str) -> str:
    """``df@spark`` -> ``df`` (Kedro's transcoding separator)."""
    return name.split(TRANSCODING_SEPARATOR, 1)[0]


def is_parameter(name: str) -> bool:
    """``parameters`` and ``params:...``: node inputs that Kedro fills from config, not datasets."""
    return name == "parameters" or name.startswith("params:")
