"""What the plan exporter and the runtime both need: Kedro's dataset naming rules and
the one range of Kedro releases they support.

Standard library only, no Kedro import and no I/O: the exporter imports it before it
knows whether Kedro can be imported at all, the runtime inside the image.
"""

from __future__ import annotations

import re

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


# --------------------------------------------------------------------------- #
# The one supported Kedro range, checked by the exporter (at `package`) and the runtime (in the image)
# --------------------------------------------------------------------------- #

#: Lowest supported Kedro: KedroServiceSession.run(run_id=...) (Kedro 1.4) makes every group of one run
#: save into one version folder, and pipelines.set_requested (Kedro 1.5) loads only the requested
#: pipeline's modules, in the exporter and in each group's run. Kedro 1.4 fails the Python tests.
MIN_KEDRO_VERSION = (1, 5)
#: First unsupported Kedro: the Kedro internals of compat.py were read in Kedro 1.x releases only.
MAX_KEDRO_VERSION = (2, 0)
#: The range as a pip requirement specifier (``pip install "kedro>=1.5,<2"``).
SUPPORTED_KEDRO = f">={MIN_KEDRO_VERSION[0]}.{MIN_KEDRO_VERSION[1]},<{MAX_KEDRO_VERSION[0]}"
#: The range as the messages show it.
SUPPORTED_KEDRO_TEXT = f"Kedro >= {MIN_KEDRO_VERSION[0]}.{MIN_KEDRO_VERSION[1]}, < {MAX_KEDRO_VERSION[0]}"

_KEDRO_VERSION = re.compile(r"^\s*v?(\d+)\.(\d+)")


class KedroVersionError(RuntimeError):
    """The installed Kedro is outside the supported range (or its version cannot be read)."""


def check_kedro_version(version: str, where: str = "the image", fix: str = "") -> None:
    """Raise :class:`KedroVersionError` unless ``version`` is in the supported range.

    Pre-releases count as their release (``1.5.0rc1`` as 1.5). ``where`` names whose Kedro it
    is ("the image", "the interpreter /usr/bin/python3"), ``fix`` says what to do about it.
    """
    fix = fix or f"Require kedro{SUPPORTED_KEDRO} in the project's dependencies and rebuild the image."
    match = _KEDRO_VERSION.match(str(version))
    if match is None:
        raise KedroVersionError(
            f"Cannot read the version of the Kedro in {where} ({version!r}); kedro-aws-action "
            f"needs {SUPPORTED_KEDRO_TEXT}. {fix}"
        )
    found = (int(match.group(1)), int(match.group(2)))
    if not MIN_KEDRO_VERSION <= found < MAX_KEDRO_VERSION:
        raise KedroVersionError(
            f"{where[:1].upper()}{where[1:]} has Kedro {version}, but kedro-aws-action needs "
            f"{SUPPORTED_KEDRO_TEXT}: KedroServiceSession.run(run_id=...) (Kedro 1.4) is what makes "
            f"every group of one run save into one version folder, pipelines.set_requested (Kedro 1.5) "
            f"loads only the requested pipeline, and the Kedro internals it relies on were checked in "
            f"Kedro 1.x only. {fix}"
        )
