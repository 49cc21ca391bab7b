"""The heap freeze of a run: nested runs share it, the last one to end lifts it."""

from __future__ import annotations

import gc

from loadscout.load import gcfreeze


def test_nested_holds_freeze_once_and_the_last_release_unfreezes() -> None:
    assert gc.get_freeze_count() == 0
    gcfreeze.hold()
    assert gc.get_freeze_count() > 0
    gcfreeze.hold()  # a second run in the same process
    gcfreeze.release()
    # still frozen for the first run (the count itself shrinks as frozen objects are freed)
    assert gc.get_freeze_count() > 0
    gcfreeze.release()
    assert gc.get_freeze_count() == 0
