"""RunRepository.list filters and sorts, and retention, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from loadscout.store.runs import RunRepository
from tests.store.conftest import StepClock
from tests.utils.factories import make_run_summary


async def _seed(repo: RunRepository) -> list[int]:
    ids = []
    for i, url in enumerate(
        ["http://127.0.0.1:1/shop", "http://127.0.0.1:2/blog", "http://127.0.0.1:1/shop%_x"]
    ):
        run = await repo.create(target_url=url, users=i + 1, duration_s=1, options={})
        ids.append(run.id)
    return ids


async def test_filters_combine(repo: RunRepository, clock: StepClock) -> None:
    _a, b, c = await _seed(repo)
    created = {r.id: r.created_at for r in (await repo.list())[0]}
    await repo.set_status(b, "loading")

    assert [r.id for r in (await repo.list(status="loading"))[0]] == [b]
    assert (await repo.list(target="127.0.0.1:1"))[1] == 2
    assert [r.id for r in (await repo.list(target="%_"))[0]] == [c]  # LIKE chars are literal
    window = await repo.list(created_after=created[b], created_before=created[c])
    assert [r.id for r in window[0]] == [b]
    page, total = await repo.list(limit=1, offset=1)
    assert total == 3 and [r.id for r in page] == [b]
    assert [r.id for r in (await repo.list(created_after=clock.now + timedelta(1)))[0]] == []


async def test_sort_by_any_listed_column(repo: RunRepository) -> None:
    a, b, c = await _seed(repo)
    await repo.save_result(b, make_run_summary())
    assert [r.id for r in (await repo.list(sort="users", descending=False))[0]] == [a, b, c]
    assert [r.id for r in (await repo.list(sort="created_at", descending=False))[0]] == [a, b, c]
    assert [r.id for r in (await repo.list())[0]] == [c, b, a]
    # Runs without numbers yet sort last whichever the direction.
    assert (await repo.list(sort="rps"))[0][0].id == b
    assert (await repo.list(sort="rps", descending=False))[0][0].id == b
    with pytest.raises(ValueError, match="cannot sort"):
        await repo.list(sort="options")


async def test_count_by_status_and_retention(repo: RunRepository, clock: StepClock) -> None:
    a, b, _c = await _seed(repo)
    await repo.set_status(a, "loading")
    await repo.set_status(a, "completed")
    done_at = clock.now
    await repo.set_status(b, "loading")
    assert await repo.count_by_status() == {"completed": 1, "loading": 1, "queued": 1}

    assert await repo.purge_finished_before(done_at) == 0
    assert await repo.purge_finished_before(done_at + timedelta(seconds=1)) == 1
    assert await repo.get(a) is None
    assert await repo.get(b) is not None
