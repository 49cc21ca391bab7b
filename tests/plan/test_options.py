"""LoadOptions: one typed model for the load a user asks for, and the plan made from it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from loadscout.plan.options import LoadOptions, make_plan
from loadscout.plan.profiles import ConstantUsers, RampingUsers


def test_an_unknown_key_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as err:
        LoadOptions.model_validate({"duraton_s": 5})
    assert err.value.errors()[0]["loc"] == ("duraton_s",)
    assert err.value.errors()[0]["type"] == "extra_forbidden"


def test_options_are_frozen() -> None:
    options = LoadOptions()
    with pytest.raises(ValidationError, match="frozen"):
        options.users = 3  # type: ignore[misc]


def test_make_plan_reads_the_typed_options() -> None:
    plan = make_plan(
        LoadOptions(
            users=4,
            duration_s=12,
            ramp_up_s=2,
            think_time_min_s=0.1,
            think_time_max_s=0.2,
            pacing_s=1.5,
            thresholds=["p95<500ms"],
            workers=2,
            fetch_assets=True,
            request_timeout_s=7,
            scope="^https://cdn\\.example/",
        )
    )
    assert plan.profile == ConstantUsers(users=4, duration_s=12, ramp_up_s=2)
    assert (plan.think_time.min_s, plan.think_time.max_s) == (0.1, 0.2)
    assert (plan.workers, plan.pacing_s, plan.request_timeout_s) == (2, 1.5, 7)
    assert [t.expression for t in plan.thresholds] == ["p95<500ms"]
    assert plan.fetch_assets and plan.scope == "^https://cdn\\.example/"


def test_make_plan_defaults_come_from_the_options() -> None:
    plan = make_plan(LoadOptions(workers=1))
    assert plan.profile == ConstantUsers(users=10, duration_s=60)
    assert (plan.think_time.min_s, plan.think_time.max_s, plan.think_time.recorded) == (
        0.5,
        1.5,
        True,
    )
    assert plan.request_timeout_s == 30 and not plan.abort_on_fail


def test_make_plan_takes_stages_instead_of_constant_users() -> None:
    plan = make_plan(LoadOptions(stages="10s:5,10s:0", workers=1))
    assert isinstance(plan.profile, RampingUsers)
    assert plan.profile.users == 5


def test_given_values_win_over_the_base_and_defaults_never_do() -> None:
    from_file = LoadOptions(users=3, duration_s=1.5, workers=1)
    given = LoadOptions(users=2, think_time_min_s=0.0, think_time_max_s=0.0)
    merged = given.over(from_file)
    assert (merged.users, merged.duration_s, merged.workers) == (2, 1.5, 1)
    assert merged.think_time_max_s == 0.0
    assert merged.model_fields_set == {
        "users",
        "duration_s",
        "workers",
        "think_time_min_s",
        "think_time_max_s",
    }
    # a default here (pacing_s, users when not given) leaves the base's value alone
    assert LoadOptions().over(from_file).users == 3
    assert given.over(None) is given
