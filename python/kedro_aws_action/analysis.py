"""The group graph of a plan: each group's inputs and outputs, who produces and who
consumes each dataset, which datasets cross groups, and cycles between groups.

Pure: plain data in (node names, their inputs and outputs, Kedro's groups), plain data
out. No Kedro import and no I/O; the exporter's kedro_io asks Kedro for the data.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .common import is_parameter, strip_transcoding

#: node name -> (its inputs, its outputs), in the pipeline's node order.
NodeIO = Mapping[str, tuple[list[str], list[str]]]


def find_group_cycles(dependencies: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components of the group graph that contain a cycle.

    ``dependencies`` maps a group to the groups it depends on. Returns each
    cyclic component as a sorted list, components sorted by their first name.
    """
    graph: dict[str, list[str]] = {g: sorted(set(d)) for g, d in dependencies.items()}
    for deps in list(graph.values()):
        for dep in deps:
            graph.setdefault(dep, [])

    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0

    for root in sorted(graph):
        if root in index:
            continue
        # Iterative Tarjan: (node, iterator over its successors)
        work: list[tuple[str, Iterator[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(graph[root])))
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(graph[succ])))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    components.append(sorted(component))
    return sorted(components)


def cycle_path(component: list[str], dependencies: Mapping[str, Iterable[str]]) -> list[str]:
    """One concrete cycle inside ``component``, in data-flow order.

    Returned as ``[g0, g1, ..., g0]`` where each group feeds the next one.
    """
    members = set(component)
    # feeds[x] = groups that depend on x (x's data flows into them)
    feeds: dict[str, list[str]] = {g: [] for g in component}
    for group, deps in dependencies.items():
        if group not in members:
            continue
        for dep in deps:
            if dep in members:
                feeds[dep].append(group)
    start = component[0]
    # BFS shortest path from start back to start
    queue: deque[list[str]] = deque([[start]])
    seen = {start}
    while queue:
        path = queue.popleft()
        for nxt in sorted(feeds[path[-1]]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                queue.append([*path, nxt])
    return [*component, component[0]]  # pragma: no cover - component is cyclic


def group_io(group_nodes: Iterable[str], node_io: NodeIO) -> tuple[list[str], list[str]]:
    """Inputs (read, not produced in the group) and outputs of a group.

    Parameters are left out (they are not datasets); transcoded names are
    compared on their base name, as Kedro does.
    """
    inputs: set[str] = set()
    outputs: set[str] = set()
    for node_name in group_nodes:
        node_inputs, node_outputs = node_io[node_name]
        inputs.update(node_inputs)
        outputs.update(node_outputs)
    produced = {strip_transcoding(o) for o in outputs}
    group_inputs = sorted(i for i in inputs if not is_parameter(i) and strip_transcoding(i) not in produced)
    return group_inputs, sorted(outputs)


def plan_groups(grouped: Iterable[Mapping[str, Any]], node_io: NodeIO) -> list[dict[str, Any]]:
    """The plan's groups: Kedro's groups (name, type, nodes, dependencies) with their inputs and outputs."""
    groups: list[dict[str, Any]] = []
    for g in grouped:
        inputs, outputs = group_io(g["nodes"], node_io)
        groups.append(
            {
                "name": g["name"],
                "type": g["type"],
                "nodes": list(g["nodes"]),
                "dependencies": sorted(set(g["dependencies"])),
                "inputs": inputs,
                "outputs": outputs,
            }
        )
    return groups


def dataset_names(node_io: NodeIO) -> list[str]:
    """Every dataset a node reads or writes (parameters left out), sorted."""
    return sorted({d for io in node_io.values() for d in (*io[0], *io[1]) if not is_parameter(d)})


def plan_datasets(
    node_io: NodeIO,
    group_of_node: Mapping[str, str],
    described: Mapping[str, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The plan's datasets: how Kedro resolves each (``described``), its producing and consuming
    groups, and whether it crosses from one group to another.

    Producer and consumers are found per base name: transcoded variants share their data.
    """
    producer_of: dict[str, str] = {}
    consumers_of: dict[str, set[str]] = {}
    for node_name, (node_inputs, node_outputs) in node_io.items():
        group = group_of_node[node_name]
        for out in node_outputs:
            producer_of[strip_transcoding(out)] = group
        for inp in node_inputs:
            consumers_of.setdefault(strip_transcoding(inp), set()).add(group)

    datasets: list[dict[str, Any]] = []
    for name in dataset_names(node_io):
        base = strip_transcoding(name)
        producer = producer_of.get(base)
        consumers = sorted(consumers_of.get(base, set()))
        crossing = producer is not None and any(c != producer for c in consumers)
        datasets.append(
            {
                "name": name,
                **described[name],
                "producer": producer,
                "consumers": consumers,
                "crossing": crossing,
            }
        )
    return datasets


def memory_crossing(datasets: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Datasets that cross groups but are not persisted (a MemoryDataset, or no catalog entry)."""
    return [d for d in datasets if d["crossing"] and not d["persisted"]]


def producing_nodes(name: str, node_io: NodeIO) -> list[str]:
    """The nodes that write ``name`` (exactly that name), in the pipeline's node order."""
    return [n for n, (_, outputs) in node_io.items() if name in outputs]


# --------------------------------------------------------------------------- #
# Local paths: what a group in a Lambda or Batch container of its own cannot read or keep
# --------------------------------------------------------------------------- #

#: The one folder of a Lambda function's file system that it may write to; the rest (the task root,
#: /var/task, where relative paths land) is read-only. Each invocation's /tmp is its own.
SCRATCH_DIR = "/tmp"

_FILE_URL = re.compile(r"^file://")


def local_filepath(filepath: str) -> str:
    """The path of a local filepath, without ``file://``."""
    return _FILE_URL.sub("", filepath)


def is_scratch_path(filepath: str, project_path: str) -> bool:
    """Is ``filepath`` under /tmp (and not in the project, whose relative paths Kedro made absolute)?"""
    path = posixpath.normpath(local_filepath(filepath))
    project = posixpath.normpath(project_path)
    if path == project or path.startswith(f"{project}/"):
        return False
    return path == SCRATCH_DIR or path.startswith(f"{SCRATCH_DIR}/")


def local_path_datasets(
    datasets: Iterable[Mapping[str, Any]], project_path: str, local_protocol: str = "file"
) -> list[dict[str, Any]]:
    """Persisted datasets on a local path that cannot work when each group runs on a machine of its own.

    ``role`` says why: ``crossing`` (another group reads it, from a disk it does not share), ``input``
    (a pipeline input: the image ships no data folder), ``output`` (written outside /tmp: the task
    folder of a Lambda function is read-only, and whatever a run writes locally is lost when it ends).
    An output that stays within its group may use /tmp for scratch.
    """
    found: list[dict[str, Any]] = []
    for d in datasets:
        if not d["persisted"] or d["protocol"] != local_protocol or not d["filepath"]:
            continue
        if d["crossing"]:
            role = "crossing"
        elif d["producer"] is None:
            role = "input"
        elif not is_scratch_path(d["filepath"], project_path):
            role = "output"
        else:
            continue
        found.append({**d, "role": role, "shown_path": shown_path(d["filepath"], project_path)})
    return found


def shown_path(filepath: str, project_path: str) -> str:
    """A local filepath as the user wrote it: relative to the project when it is inside."""
    path = posixpath.normpath(local_filepath(filepath))
    project = posixpath.normpath(project_path)
    return path[len(project) + 1 :] if path.startswith(f"{project}/") else path
