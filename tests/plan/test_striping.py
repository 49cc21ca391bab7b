"""Users and arrivals dealt to parts of a run (processes, nodes): exact at every total."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loadscout.plan.striping import Striping

weights = st.lists(st.integers(min_value=0, max_value=16), min_size=1, max_size=8).filter(any)


def test_equal_parts_deal_round_robin() -> None:
    even = Striping.even(3)
    assert [even.share(10, p) for p in range(3)] == [4, 3, 3]
    assert [even.owner(i) for i in range(1, 7)] == [0, 1, 2, 0, 1, 2]
    assert [even.item(1, k) for k in range(3)] == [2, 5, 8]
    assert Striping.even(2).share(1, 1) == 0


def test_seven_users_on_three_nodes_split_three_two_two() -> None:
    assert [Striping.even(3).share(7, p) for p in range(3)] == [3, 2, 2]


def test_a_node_with_twice_the_cpus_takes_twice_the_users_at_every_step() -> None:
    striping = Striping([4, 2, 2])
    assert [striping.share(8, p) for p in range(3)] == [4, 2, 2]
    assert [striping.owner(i) for i in range(1, 9)] == [0, 1, 2, 0, 0, 1, 2, 0]
    assert [striping.share(100, p) for p in range(3)] == [50, 25, 25]


@given(weights, st.integers(min_value=0, max_value=10_000))
def test_shares_always_sum_to_the_total_and_stay_within_one_of_proportion(
    ws: list[int], total: int
) -> None:
    striping = Striping(ws)
    shares = [striping.share(total, p) for p in range(len(ws))]
    assert sum(shares) == total
    for part, share in enumerate(shares):
        exact = total * ws[part] / sum(ws)
        assert abs(share - exact) < 1 + 1e-9


@given(weights, st.integers(min_value=1, max_value=500))
def test_each_item_has_one_owner_and_each_part_numbers_its_own_items(
    ws: list[int], total: int
) -> None:
    striping = Striping(ws)
    for part in range(len(ws)):
        mine = [striping.item(part, k) for k in range(striping.share(total, part))]
        assert mine == [i for i in range(1, total + 1) if striping.owner(i) == part]


@given(weights, st.integers(min_value=0, max_value=2_000))
def test_a_part_s_share_never_shrinks_as_the_total_grows(ws: list[int], total: int) -> None:
    striping = Striping(ws)
    for part in range(len(ws)):
        assert striping.share(total, part) <= striping.share(total + 1, part)


def test_weights_that_deal_to_no_one_are_refused() -> None:
    with pytest.raises(ValueError, match="not all 0"):
        Striping([0, 0])
    with pytest.raises(ValueError, match="non-negative"):
        Striping([2, -1])
