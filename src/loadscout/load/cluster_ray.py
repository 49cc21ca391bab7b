"""The little of Ray a cluster run uses, typed: connect, list nodes, place one agent per node,
call it. Imported only when a run asks for a cluster (``loadscout[ray]`` is an optional extra).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

try:
    import ray
    from ray.exceptions import GetTimeoutError, RayError
    from ray.util.placement_group import placement_group, remove_placement_group
    from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy
except ImportError as err:  # pragma: no cover - the extra is installed wherever tests run
    from loadscout.errors import BadInput

    raise BadInput(
        "a Ray cluster run needs Ray on this machine: pip install 'loadscout[ray]'"
    ) from err

__all__ = ["AgentHandle", "NodeInfo", "Placement", "RayError", "connected", "nodes_with_cpus"]


@dataclass(frozen=True, kw_only=True)
class NodeInfo:
    node_id: str
    host: str
    cpus: int


_lock = threading.Lock()
_users = 0  # runs of this process connected now: the last one out disconnects


@contextlib.contextmanager
def connected(address: str) -> Iterator[None]:
    """Connected to the cluster at ``address`` (``auto``, ``HOST:PORT``, ``ray://HOST:PORT``)
    while inside; runs of one server share the connection (Ray allows one per process)."""
    global _users
    with _lock:
        if _users == 0 and not ray.is_initialized():
            ray.init(address=address, log_to_driver=False, configure_logging=False)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                ray.shutdown()


def nodes_with_cpus() -> list[NodeInfo]:
    """Alive nodes that can run an agent, most CPUs first."""
    found = [
        NodeInfo(node_id=n["NodeID"], host=n["NodeManagerAddress"], cpus=int(cpus))
        for n in ray.nodes()  # type: ignore[no-untyped-call]
        if n.get("Alive") and (cpus := n.get("Resources", {}).get("CPU", 0)) >= 1
    ]
    return sorted(found, key=lambda n: -n.cpus)


class Placement:
    """One bundle of ``cpus[i]`` CPUs per node, never two on one node (STRICT_SPREAD)."""

    def __init__(self, cpus: list[int]) -> None:
        self._pg = placement_group([{"CPU": c} for c in cpus], strategy="STRICT_SPREAD")

    def ready(self, timeout_s: float) -> bool:
        try:
            ray.get(self._pg.ready(), timeout=timeout_s)
        except GetTimeoutError:
            return False
        return True

    def remove(self) -> None:
        with contextlib.suppress(RayError):
            remove_placement_group(self._pg)

    def start(self, actor_class: type, bundle: int, cpus: int, **kwargs: Any) -> AgentHandle:
        """An actor of ``actor_class`` in bundle ``bundle``: never restarted, its calls never
        retried (a load call sent twice would be counted once), dying with this driver."""
        strategy = PlacementGroupSchedulingStrategy(
            placement_group=self._pg, placement_group_bundle_index=bundle
        )
        remote: Any = ray.remote(actor_class)
        actor = remote.options(
            num_cpus=cpus,
            max_restarts=0,
            max_task_retries=0,
            max_concurrency=8,
            scheduling_strategy=strategy,
        ).remote(**kwargs)
        return AgentHandle(actor)


class AgentHandle:
    def __init__(self, actor: Any) -> None:
        self._actor = actor

    async def call(self, method: str, *args: Any) -> Any:
        """Call ``method`` on the actor and wait for its answer without blocking the loop."""
        ref = getattr(self._actor, method).remote(*args)
        return await asyncio.wrap_future(ref.future())

    def kill(self) -> None:
        with contextlib.suppress(RayError, ValueError):
            ray.kill(self._actor, no_restart=True)
