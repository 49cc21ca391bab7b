"""Shares of a cluster run: users and arrivals dealt to nodes by CPUs, then evenly to each
node's processes, always summing to the whole (load/cluster.py ``Shares``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loadscout.load.cluster import Shares
from loadscout.plan.striping import Striping

# the machine is shared with other test runs: a slow example is not a failure
relaxed = settings(deadline=None, max_examples=60)
cpus_lists = st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=8)


def test_users_7_over_3_equal_nodes_split_3_2_2() -> None:
    shares = Shares(cpus=(1, 1, 1))
    assert [shares.users(7, k) for k in range(3)] == [3, 2, 2]
    assert [shares.numbers(k) for k in range(3)] == [(0,), (1,), (2,)]


@relaxed
@given(cpus=cpus_lists, total=st.integers(min_value=0, max_value=5_000))
def test_node_shares_sum_to_the_total_and_follow_the_weights(cpus: list[int], total: int) -> None:
    shares = Shares(cpus=tuple(cpus))
    parts = [shares.users(total, k) for k in range(len(cpus))]
    assert sum(parts) == total
    for k, part in enumerate(parts):
        assert abs(part - total * cpus[k] / sum(cpus)) < 1


@relaxed
@given(cpus=cpus_lists, total=st.integers(min_value=0, max_value=500))
def test_processes_of_a_node_take_exactly_its_share_evenly(cpus: list[int], total: int) -> None:
    """Every process runs ``Striping.even(processes)`` over run-wide numbers (as the drivers
    do); the processes of node k together own exactly node k's items, dealt round-robin."""
    shares = Shares(cpus=tuple(cpus))
    by_process = Striping.even(shares.processes)
    for k in range(len(cpus)):
        numbers = shares.numbers(k)
        assert len(numbers) == cpus[k]  # one process per CPU
        mine = [i for i in range(1, total + 1) if by_process.owner(i) in numbers]
        assert mine == [i for i in range(1, total + 1) if shares.striping.owner(i) == k]
        within = [numbers.index(by_process.owner(i)) for i in mine]
        assert within == [j % cpus[k] for j in range(len(mine))]
        per_process = [by_process.share(total, w) for w in numbers]
        assert per_process == [Striping.even(cpus[k]).share(len(mine), j) for j in range(cpus[k])]


@relaxed
@given(nodes=st.integers(min_value=1, max_value=8), rate=st.integers(min_value=1, max_value=500))
def test_an_arrival_rate_over_equal_nodes_sums_to_the_rate(nodes: int, rate: int) -> None:
    """One second of a constant rate: ``rate`` arrivals, dealt whole to the nodes."""
    shares = Shares(cpus=(2,) * nodes)
    parts = [shares.users(rate, k) for k in range(nodes)]
    assert sum(parts) == rate
    assert max(parts) - min(parts) <= 1
