import pytest

from loadscout.errors import IllegalTransition
from loadscout.status import TRANSITIONS, RunStatus, transition


def test_happy_path_is_legal() -> None:
    status = RunStatus.QUEUED
    for new in (RunStatus.DISCOVERING, RunStatus.LOADING, RunStatus.COMPLETED):
        status = transition(status, new)
    assert status is RunStatus.COMPLETED


def test_flows_given_skip_discovery() -> None:
    assert transition(RunStatus.QUEUED, RunStatus.LOADING) is RunStatus.LOADING


@pytest.mark.parametrize("final", [RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED])
def test_final_states_are_final(final: RunStatus) -> None:
    assert final.is_final
    for new in RunStatus:
        with pytest.raises(IllegalTransition, match=f"from {final} to {new}"):
            transition(final, new)


def test_cannot_go_back_to_discovery() -> None:
    with pytest.raises(IllegalTransition):
        transition(RunStatus.LOADING, RunStatus.DISCOVERING)


def test_every_status_has_a_row() -> None:
    assert set(TRANSITIONS) == set(RunStatus)
