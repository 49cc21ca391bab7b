"""The frontier's order (pure logic): what a limited budget is spent on first."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from loadscout.discovery.frontier import FormTask, Frontier, VisitTask
from loadscout.discovery.page_model import FormSpec


def test_a_form_of_a_kind_already_queued_waits_for_new_pages() -> None:
    page: Any = SimpleNamespace(depth=2)  # only its depth is read
    frontier = Frontier()
    search = FormSpec(index=0, action="http://h/a/", method="get")
    first = FormTask(page, search)
    again = FormTask(page, search, repeat=1)
    new_page = VisitTask("http://h/new/", 2, None)
    for task in (again, new_page, first):
        frontier.push(task)
    assert [frontier.pop() for _ in range(3)] == [new_page, first, again]
