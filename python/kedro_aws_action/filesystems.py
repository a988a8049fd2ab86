"""Which packages the image needs for the file systems of the catalog (``s3://`` needs ``s3fs``, ...).

Pure: plain data in (the datasets of the plan, fsspec's registry of protocols, the requirements of
the installed distributions as their metadata lists them), plain data out. No Kedro import and no
I/O; the exporter's kedro_io reads fsspec's registry and the installed metadata.

The packages a protocol needs come from fsspec itself: its extras are named after protocols
(``fsspec[s3]`` requires ``s3fs``, ``fsspec[http]`` requires ``aiohttp``), and a protocol without
an extra of its own shares one with another protocol of the same class (``s3a`` with ``s3``, ``https``
with ``http``, ``az`` with ``abfs``). A protocol whose class lives outside fsspec and has no extra
needs the class's top-level package. fsspec itself is a dependency of Kedro.

The plan lists, for each such package, the distributions (with an extra) that bring it in too
(``kedro-datasets[s3fs-base]``, ``fsspec[s3]``), so that `package` can tell whether the wheel's
requirements reach it (src/plan/filesystems.ts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: Protocols whose data is on the machine that runs the group, or in its memory: no package needed.
LOCAL_PROTOCOLS = ("file", "local", "memory")

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA_MARKER = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")


def normalize(name: str) -> str:
    """PEP 503 normalised distribution name (``Foo_Bar.baz`` -> ``foo-bar-baz``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(line: str) -> tuple[str, list[str], str | None] | None:
    """``kedro-datasets[a,b]>=9; extra == "x"`` -> (``kedro-datasets``, [a, b], ``x``); None when unreadable.

    Markers other than ``extra`` are not evaluated: a requirement counts whatever the Python version.
    """
    requirement, _, marker = line.partition(";")
    match = _REQUIREMENT.match(requirement)
    if match is None:
        return None
    extras = [normalize(e) for e in (match.group(2) or "").split(",") if e.strip()]
    extra = _EXTRA_MARKER.search(marker)
    return normalize(match.group(1)), extras, normalize(extra.group(1)) if extra else None


def protocol_packages(
    protocol: str, implementations: Mapping[str, str], fsspec_requirements: Iterable[str]
) -> list[str]:
    """The distributions ``protocol`` needs besides fsspec (normalised names; empty when none)."""
    if protocol in LOCAL_PROTOCOLS:
        return []
    cls = implementations.get(protocol)
    if cls is None:
        return []
    by_extra: dict[str, set[str]] = {}
    for line in fsspec_requirements:
        parsed = parse_requirement(line)
        if parsed is not None and parsed[2] is not None:
            by_extra.setdefault(parsed[2], set()).add(parsed[0])
    aliases = sorted(p for p, c in implementations.items() if c == cls and p != protocol)
    for candidate in [protocol, *aliases]:
        if normalize(candidate) in by_extra:
            return sorted(by_extra[normalize(candidate)])
    top = cls.split(".", 1)[0]
    return [] if top == "fsspec" else [normalize(top)]


def providers(package: str, installed: Mapping[str, Iterable[str]]) -> list[str]:
    """Requirements that bring ``package`` in through another distribution: ``dist`` (it always
    requires it) or ``dist[extra]``, followed through extras that require other extras, sorted."""
    requires: dict[str, list[tuple[str, list[str], str | None]]] = {}
    for dist, lines in installed.items():
        requires[normalize(dist)] = [p for p in (parse_requirement(line) for line in lines) if p is not None]

    target = normalize(package)
    # (dist, extra or None): requiring `dist` (with that extra) brings `package` in.
    found: set[tuple[str, str | None]] = set()

    def reaches(name: str, extras: list[str]) -> bool:
        if name == target:
            return True
        return (name, None) in found or any((name, e) in found for e in extras)

    changed = True
    while changed:
        changed = False
        for dist, parsed in requires.items():
            if dist == target:
                continue
            for name, extras, extra in parsed:
                node = (dist, extra)
                if node not in found and (dist, None) not in found and reaches(name, extras):
                    found.add(node)
                    changed = True
    return sorted(f"{d}[{e}]" if e else d for d, e in found)


def filesystem_requirements(
    datasets: Iterable[Mapping[str, Any]],
    implementations: Mapping[str, str],
    installed: Mapping[str, Iterable[str]],
) -> list[dict[str, Any]]:
    """The plan's ``filesystems``: each protocol of the datasets that needs a package, with its
    datasets and, per package, what else brings it in. Sorted by protocol."""
    by_protocol: dict[str, list[str]] = {}
    for d in datasets:
        if d.get("protocol") and d.get("persisted"):
            by_protocol.setdefault(d["protocol"], []).append(d["name"])
    fsspec_requirements = list(installed.get("fsspec", []))
    found: list[dict[str, Any]] = []
    for protocol in sorted(by_protocol):
        packages = protocol_packages(protocol, implementations, fsspec_requirements)
        if not packages:
            continue
        found.append(
            {
                "protocol": protocol,
                "datasets": sorted(by_protocol[protocol]),
                "packages": [{"name": p, "provided_by": providers(p, installed)} for p in packages],
            }
        )
    return found
