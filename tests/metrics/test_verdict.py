import pytest

from loadscout.metrics.summary import ThresholdResult
from loadscout.metrics.verdict import ERROR_LEVEL, Verdict, judge


def result(expression: str, passed: bool, observed: float | None = 1.0) -> ThresholdResult:
    return ThresholdResult(expression=expression, passed=passed, observed=observed)


@pytest.mark.parametrize(
    ("thresholds", "errors", "aborted", "threshold_stop", "verdict"),
    [
        ([], 0, False, False, Verdict.PASSED),
        ([result("p95<5ms", True)], 0, False, False, Verdict.PASSED),
        ([result("p95<5ms", False)], 0, False, False, Verdict.THRESHOLDS_FAILED),
        ([], 495, False, False, Verdict.ERRORS),  # 49.5% errors and no thresholds: not green
        ([result("error_rate<60%", True, 0.495)], 495, False, False, Verdict.PASSED),  # user's own
        ([result("error_rate[step=a]<60%", True)], 495, False, False, Verdict.ERRORS),  # scoped
        ([result("p95<5ms", False)], 0, True, False, Verdict.ABORTED),
        ([result("p95<5ms", False)], 0, True, True, Verdict.THRESHOLDS_FAILED),  # abort-on-fail
    ],
)
def test_judge(
    thresholds: list[ThresholdResult],
    errors: int,
    aborted: bool,
    threshold_stop: bool,
    verdict: Verdict,
) -> None:
    got = judge(
        thresholds=thresholds,
        requests=1000,
        errors=errors,
        aborted=aborted,
        threshold_stop=threshold_stop,
    )
    assert got is verdict
    assert got.ok is (verdict is Verdict.PASSED)


def test_error_level_is_a_fraction() -> None:
    at = int(ERROR_LEVEL * 1000)
    assert judge(thresholds=[], requests=1000, errors=at, aborted=False) is Verdict.PASSED
    assert judge(thresholds=[], requests=1000, errors=at + 1, aborted=False) is Verdict.ERRORS


@pytest.mark.parametrize(
    ("expression", "observed", "unit", "text"),
    [
        ("error_rate<1%", 0.495, "%", "49.50%"),
        ("p95<5ms", 30.94, "ms", "30.94 ms"),
        ("max[step=login]<1s", 1234.5, "ms", "1,234.50 ms"),
        ("rps>100", 14.83, "req/s", "14.8 req/s"),
        ("requests>10", 5.0, "", "5"),
        ("p99<1s", None, "ms", "–"),
    ],
)
def test_observed_values_carry_their_unit(
    expression: str, observed: float | None, unit: str, text: str
) -> None:
    th = ThresholdResult(expression=expression, passed=False, observed=observed)
    assert (th.unit, th.observed_text, th.observed) == (unit, text, observed)
    again = ThresholdResult.model_validate_json(th.model_dump_json())  # stored and read back
    assert again == th
