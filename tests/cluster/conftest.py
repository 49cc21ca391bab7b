"""One simulated Ray cluster per test module: a head with no CPU and three 1-CPU nodes on this
machine. Every process it starts carries a marker in its environment (inherited by the Ray
workers and by the load processes they spawn), so a test can tell that none is left."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ray_cluster_utils = pytest.importorskip("ray.cluster_utils")

MARKER = "LOADSCOUT_TEST_CLUSTER"


def marked(marker: str) -> dict[int, str]:
    """pid -> command line of the processes whose environment holds ``marker``."""
    wanted = f"{MARKER}={marker}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if wanted not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            found[int(entry.name)] = cmdline
    return found


def load_processes(marker: str) -> dict[int, str]:
    """Agents and the load processes they spawned (not Ray's own daemons and idle workers)."""
    return {
        pid: cmd
        for pid, cmd in marked(marker).items()
        if "ray::Agent" in cmd or "multiprocessing" in cmd
    }


def wait_gone(find: dict[int, str] | None, marker: str, *, every: bool, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        left = marked(marker) if every else load_processes(marker)
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not left, f"processes left behind: {left}"


class SimulatedCluster:
    def __init__(self, cluster: object, marker: str) -> None:
        self.cluster = cluster
        self.marker = marker

    @property
    def address(self) -> str:
        return str(self.cluster.address)  # type: ignore[attr-defined]

    def worker_nodes(self) -> list[object]:
        return list(self.cluster.worker_nodes)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[SimulatedCluster]:
    marker = uuid.uuid4().hex
    os.environ[MARKER] = marker
    cluster = ray_cluster_utils.Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    try:
        for _ in range(3):
            cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        yield SimulatedCluster(cluster, marker)
    finally:
        cluster.shutdown()
        del os.environ[MARKER]
    wait_gone(None, marker, every=True, timeout_s=20)  # nothing of the cluster survives it


@pytest.fixture
def cluster(ray_cluster: SimulatedCluster) -> Iterator[SimulatedCluster]:
    """The module's cluster; after the test no agent or load process of it is left."""
    yield ray_cluster
    wait_gone(None, ray_cluster.marker, every=False, timeout_s=20)
