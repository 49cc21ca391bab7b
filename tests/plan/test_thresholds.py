import pytest

from loadscout.plan.profiles import ConstantUsers, LoadPlan
from loadscout.plan.thresholds import parse_threshold


@pytest.mark.parametrize(
    ("text", "metric", "op", "value", "scope", "name"),
    [
        ("p95<500ms", "p95", "<", 500, None, None),
        ("p99 < 1s", "p99", "<", 1000, None, None),
        ("p99.9<=2s", "p99.9", "<=", 2000, None, None),
        ("error_rate<1%", "error_rate", "<", 0.01, None, None),
        ("error_rate<0.05", "error_rate", "<", 0.05, None, None),
        ("rps>100", "rps", ">", 100, None, None),
        ("p95[step=login]<300ms", "p95", "<", 300, "step", "login"),
        ("mean[flow=checkout cart]>=2", "mean", ">=", 2, "flow", "checkout cart"),
    ],
)
def test_parse(text: str, metric: str, op: str, value: float, scope: str, name: str) -> None:
    t = parse_threshold(text)
    assert (t.metric, t.op, t.value, t.scope, t.name) == (
        metric,
        op,
        pytest.approx(value),
        scope,
        name,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("p95", "cannot read threshold"),
        ("latency<5ms", "unknown metric"),
        ("p95<5%", "not %"),
        ("error_rate<5ms", "percentage"),
        ("error_rate<5", "not 5"),
        ("rps>5s", "plain number"),
        ("p95[user=x]<5ms", "cannot read threshold"),
    ],
)
def test_bad_thresholds_are_rejected_clearly(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_threshold(text)


def test_plan_accepts_threshold_text() -> None:
    plan = LoadPlan(
        profile=ConstantUsers(users=1, duration_s=1),
        thresholds=["p95<1s", "rps>2"],  # type: ignore[list-item]
    )
    assert [t.value for t in plan.thresholds] == [1000, 2]
    assert plan.thresholds[0].holds(999) and not plan.thresholds[0].holds(1000)
