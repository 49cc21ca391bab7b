"""The admin-like records section: 300 records, paginated, each with a detail and an edit page.

Built deterministically so tests can name records; edits change the shop's copy only.
"""

from __future__ import annotations

from dataclasses import dataclass

RECORD_COUNT = 300
PAGE_SIZE = 25
_TEAMS = ("ops", "sales", "support", "research", "legal")


@dataclass(slots=True, kw_only=True)
class Record:
    id: int
    name: str
    team: str
    notes: str = ""


def build_records() -> dict[int, Record]:
    return {
        n: Record(id=n, name=f"Customer {n:03d}", team=_TEAMS[n % len(_TEAMS)])
        for n in range(1, RECORD_COUNT + 1)
    }


def page_count() -> int:
    return -(-RECORD_COUNT // PAGE_SIZE)


def records_page(records: dict[int, Record], page: int) -> list[Record] | None:
    """The records of 1-based ``page``, None past the last page."""
    if not 1 <= page <= page_count():
        return None
    ordered = sorted(records.values(), key=lambda r: r.id)
    return ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
