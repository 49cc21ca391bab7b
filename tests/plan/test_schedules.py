"""Every profile's schedule on a virtual clock: pure arithmetic, no sleeping."""

import itertools
from pathlib import Path

import pytest
from pydantic import ValidationError

from loadscout.plan.options import build_profile, load_shape, parse_stages
from loadscout.plan.profiles import (
    ConstantArrivalRate,
    ConstantUsers,
    RampingArrivalRate,
    RampingUsers,
    Spike,
    Stage,
)


def stages(*pairs: tuple[float, float]) -> list[Stage]:
    return [Stage(duration_s=d, target=t) for d, t in pairs]


def test_constant_users_with_ramp_up_changes_once_per_user() -> None:
    profile = ConstantUsers(users=4, duration_s=10, ramp_up_s=2)
    assert profile.user_changes() == [(0.0, 1), (0.5, 2), (1.0, 3), (1.5, 4)]
    assert ConstantUsers(users=3, duration_s=5).user_changes() == [(0.0, 3)]


def test_ramping_stages_rise_hold_and_fall() -> None:
    profile = RampingUsers(stages=stages((10, 5), (10, 5), (5, 0)))
    changes = profile.user_changes()
    assert changes[:6] == [(0.0, 0), (2.0, 1), (4.0, 2), (6.0, 3), (8.0, 4), (10.0, 5)]
    assert changes[6:] == [(21.0, 4), (22.0, 3), (23.0, 2), (24.0, 1), (25.0, 0)]
    assert profile.duration_s == 25
    assert profile.users == 5
    assert [profile.users_at(t) for t in (0, 3.9, 4, 15, 21.5, 24.99, 25)] == [0, 1, 2, 5, 4, 1, 0]


def test_stage_of_zero_duration_is_a_jump() -> None:
    profile = RampingUsers(start_users=2, stages=stages((5, 2), (0, 8), (5, 8)))
    assert profile.user_changes() == [(0.0, 2), (5.0, 8)]


def test_spike_jumps_from_base_to_peak_and_back() -> None:
    profile = Spike(base_users=2, peak_users=10, duration_s=30, spike_at_s=10, spike_hold_s=5)
    assert profile.user_changes() == [(0.0, 2), (10.0, 10), (15.0, 2)]
    assert [profile.users_at(t) for t in (9.9, 10, 14.9, 15, 29)] == [2, 10, 10, 2, 2]
    with pytest.raises(ValidationError, match="after the duration"):
        Spike(base_users=1, peak_users=5, duration_s=10, spike_at_s=8, spike_hold_s=5)


def test_constant_arrival_rate_spaces_iterations_evenly() -> None:
    times = list(ConstantArrivalRate(rate=4, duration_s=2).arrival_times())
    assert times == pytest.approx([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75])


def test_ramping_arrival_rate_follows_the_integral_of_the_rate() -> None:
    # 0 -> 10/s over 2 s: 10 arrivals, the k-th at sqrt(2k/5) seconds; then 10/s for 1 s.
    profile = RampingArrivalRate(stages=stages((2, 10), (1, 10)))
    times = list(profile.arrival_times())
    assert len(times) == 20
    assert times[:10] == pytest.approx([(2 * k / 10 * 2) ** 0.5 for k in range(10)])
    assert times[10:] == pytest.approx([2 + k / 10 for k in range(10)])
    assert all(b > a for a, b in itertools.pairwise(times))


def test_falling_arrival_rate_and_pause() -> None:
    profile = RampingArrivalRate(start_rate=4, stages=stages((1, 4), (1, 0), (1, 0), (1, 4)))
    times = list(profile.arrival_times())
    assert times[:4] == pytest.approx([0, 0.25, 0.5, 0.75])
    assert all(not (2.0 < t < 3.0) for t in times)  # the pause at rate 0
    assert len(times) == 4 + 2 + 2  # area: 4 + 2 + 0 + 2


def test_options_text_forms() -> None:
    assert parse_stages("30s:10, 1m:0") == stages((30, 10), (60, 0))
    with pytest.raises(ValueError, match="DURATION:TARGET"):
        parse_stages("30s-10")
    ramp = build_profile(users=1, duration_s=60, arrival_rate="10s:50,20s:50", max_users=20)
    assert isinstance(ramp, RampingArrivalRate)
    assert ramp.max_users == 20
    constant = build_profile(users=5, duration_s=60, arrival_rate="100/s")
    assert isinstance(constant, ConstantArrivalRate)
    assert constant.rate == 100
    with pytest.raises(ValueError, match="only one of"):
        build_profile(users=1, duration_s=1, stages="1s:1", arrival_rate="5")


def test_shape_from_csv_and_yaml(tmp_path: Path) -> None:
    csv_file = tmp_path / "shape.csv"
    csv_file.write_text("duration,users\n10s,5\n20s,5\n5s,0\n")
    profile = build_profile(users=1, duration_s=1, shape=load_shape(csv_file))
    assert isinstance(profile, RampingUsers)
    assert profile.duration_s == 35
    yaml_file = tmp_path / "shape.yaml"
    yaml_file.write_text(
        "kind: spike\nbase_users: 1\npeak_users: 4\nduration_s: 9\nspike_at_s: 2\nspike_hold_s: 3\n"
    )
    assert isinstance(build_profile(users=1, duration_s=1, shape=load_shape(yaml_file)), Spike)
    bad = tmp_path / "bad.csv"
    bad.write_text("time,people\n1,2\n")
    with pytest.raises(ValueError, match="columns"):
        load_shape(bad)
