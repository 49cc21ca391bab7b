"""A load test on a simulated 3-node Ray cluster: the target's own count equals the merged
total, shares are exact, a lost node is reported with its share and second, asking for more
nodes than exist fails fast, and nothing is left running."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
import yaml
from bench.counting_server import CountingServer

from loadscout.errors import RunFailed
from loadscout.load.runner import run_load
from loadscout.plan.profiles import ConstantArrivalRate, ConstantUsers, LoadPlan, ThinkTime
from tests.cluster.conftest import SimulatedCluster
from tests.load.flows import flow, flowset, step
from tests.utils.processes import loadscout

pytestmark = pytest.mark.cluster


async def test_more_nodes_than_exist_fail_fast(cluster: SimulatedCluster) -> None:
    fs = flowset("http://127.0.0.1:9/", flow("a", step("a", "/a")))
    plan = LoadPlan(profile=ConstantUsers(users=4, duration_s=1))
    began = time.monotonic()
    with pytest.raises(RunFailed, match=r"asked for 4 nodes, but .* has 3 with a CPU"):
        await run_load(fs, plan, ray_address=cluster.address, ray_nodes=4)
    assert time.monotonic() - began < 15


async def test_users_7_split_3_2_2_and_the_server_counted_the_total(
    cluster: SimulatedCluster,
) -> None:
    with CountingServer() as server:
        fs = flowset(server.url, flow("a", step("a", "/a")), flow("b", step("b", "/b")))
        plan = LoadPlan(
            profile=ConstantUsers(users=7, duration_s=2),
            think_time=ThinkTime(min_s=0.01, max_s=0.02),
        )
        ticks: list[object] = []
        outcome = await run_load(fs, plan, ray_address=cluster.address, on_progress=ticks.append)

        assert outcome.totals.errors == 0, outcome.errors
        assert outcome.totals.requests == server.requests > 50
    assert not outcome.partial and not outcome.aborted
    assert [n.users for n in outcome.nodes] == [3, 2, 2]
    assert [n.share for n in outcome.nodes] == ["users 3 of 7", "users 2 of 7", "users 2 of 7"]
    assert sum(n.requests for n in outcome.nodes) == outcome.totals.requests
    assert all(n.requests > 0 and n.cpu_s > 0 and n.lost_at_s is None for n in outcome.nodes)
    assert len({n.host for n in outcome.nodes}) == 3  # one agent per node
    assert max(p.active_users for p in outcome.timeseries) == 7  # merged by second number
    assert ticks  # the live view ran on merged data


async def test_arrival_rate_100_per_second_totals_the_schedule(cluster: SimulatedCluster) -> None:
    with CountingServer() as server:
        fs = flowset(server.url, flow("a", step("a", "/a")))
        plan = LoadPlan(
            profile=ConstantArrivalRate(rate=100, duration_s=3, max_users=30),
            think_time=ThinkTime(min_s=0, max_s=0),
        )
        outcome = await run_load(fs, plan, ray_address=cluster.address)
        assert outcome.totals.requests == server.requests
    # the split is exact (300 arrivals, 100 per node); what the open model may drop is an
    # arrival not started before the end or kept waiting past max_delay_s, and it is counted
    assert outcome.totals.requests + outcome.totals.dropped_iterations == 300
    assert outcome.totals.requests >= 285
    assert all(90 <= n.requests <= 100 for n in outcome.nodes), outcome.nodes
    assert {n.share for n in outcome.nodes} == {"1 of every 3 arrivals, at most 10 users"}


async def test_a_lost_node_is_reported_with_its_share_and_second(
    cluster: SimulatedCluster, tmp_path: Path
) -> None:
    """Runs last in this module: it takes a node away from the cluster."""
    with CountingServer() as server:
        flows = tmp_path / "flows.yaml"
        document = {
            "version": 1,
            "target_url": server.url,
            "load": {
                "users": 3,
                "duration_s": 8,
                "think_time_min_s": 0.02,
                "think_time_max_s": 0.02,
            },
            "flows": [{"name": "a", "steps": [{"name": "a", "url": "/a"}]}],
        }
        flows.write_text(yaml.safe_dump(document))
        out = tmp_path / "result.json"
        args = ["run", "--flows", str(flows), "--ray-address", cluster.address]
        args += ["--threshold", "error_rate<50%", "--json-out", str(out)]
        run = asyncio.ensure_future(asyncio.to_thread(loadscout, *args, db=tmp_path / "db.sqlite"))
        for _ in range(600):  # the load started on every node (however slow the start-up)
            if server.requests > 100 or run.done():
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)
        victim = cluster.worker_nodes()[-1]
        cluster.cluster.remove_node(victim, allow_graceful=False)  # type: ignore[attr-defined]
        proc = await run

    assert proc.returncode == 4, proc.stdout + proc.stderr  # partial results
    result = json.loads(out.read_text())
    assert result["partial"] is True
    lost = [n for n in result["nodes"] if n["lost_at_s"] is not None]
    assert len(lost) == 1, result["nodes"]
    assert 1.0 <= lost[0]["lost_at_s"] <= 8.0
    reason = result["reason"]
    assert f"node {lost[0]['node']} of 3" in reason and "was lost at" in reason
    assert lost[0]["share"] in reason and "partial results" in reason
    assert all(t["partial"] for t in result["thresholds"])
    assert "Per node" in proc.stdout and "partial data" in proc.stdout
