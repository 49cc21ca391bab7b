"""The crawl frontier: a priority queue of actions (visit a URL, submit a form, click).

Order (research §2): unseen URL patterns first (of patterns differing in one path segment, one
per family first: a template of each kind before its siblings), then shallow before deep,
links in the page's content before forms, forms before navigation links (header, nav, sidebar,
footer: the same on every page), those before generic clicks, and first come first served.
A form of a kind already queued (the same method and fields: each admin list's search) waits
like a repeated URL pattern, so new pages come before the tenth copy of a search;
so when a page or time limit cuts the crawl short it has seen as many templates as it could —
a list's records, not only the menu every page repeats.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field

from loadscout.discovery.page_model import FormSpec
from loadscout.discovery.records import FormSubmission, PageVisit


@dataclass(frozen=True, slots=True)
class VisitTask:
    url: str
    depth: int
    parent: PageVisit | None
    repeat: int = 0  # how many URLs of this pattern were queued before this one
    family: int = 0  # how many patterns of its family (one segment apart) were queued before
    nav: bool = False  # found in navigation (header, nav, aside, footer), not the content


@dataclass(frozen=True, slots=True)
class FormTask:
    page: PageVisit
    form: FormSpec
    attempt: int = 0  # 0 first try, 1 other values, 2 after a prerequisite write
    prerequisite: FormSubmission | None = None
    family: int = 0  # its page's place in its pattern family: the first list's search first
    repeat: int = 0  # forms of the same method and fields queued before (every list's search)


@dataclass(frozen=True, slots=True)
class ClickTask:
    page: PageVisit


Task = VisitTask | FormTask | ClickTask


def priority(task: Task) -> tuple[int, int, int, int]:
    if isinstance(task, VisitTask):
        return (task.repeat, task.family, task.depth, 2 if task.nav else 0)
    if isinstance(task, FormTask):
        return (max(task.attempt, task.repeat), task.family, task.page.depth, 1)
    return (0, 0, task.page.depth, 3)


@dataclass(slots=True)
class Frontier:
    _heap: list[tuple[tuple[int, int, int, int], int, Task]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=itertools.count)

    def push(self, task: Task) -> None:
        heapq.heappush(self._heap, (priority(task), next(self._seq), task))

    def pop(self) -> Task:
        return heapq.heappop(self._heap)[2]

    def __len__(self) -> int:
        return len(self._heap)
