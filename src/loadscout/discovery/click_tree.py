"""Which control of a page to click next, as a person exploring it would choose.

A click that opens something (a panel, an operation, a menu) reveals new controls; those are
clicked next, before the rest of the page (depth first), so "open → Try it out → Execute"
sequences run to the end. Controls of one family (tag and class) usually do the same thing: a
family is dropped once its clicks stop finding anything new, unless they keep finding new
requests. A click is credited with what the clicks it revealed found, so the control that
opens an operation is worth clicking again as long as the operations it opens call new APIs.
What a family is worth is learnt across the pages of a crawl: a docs site's "copy" buttons are
given up once, not on each of its 500 pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

MISSES_ALLOWED = 4  # clicks of a family in a row that found nothing new, before it is dropped


class Control(Protocol):
    @property
    def key(self) -> str:
        """Stable across re-renders of the page: which control this is."""
        ...

    @property
    def family(self) -> str: ...


C = TypeVar("C", bound=Control)


@dataclass(slots=True)
class _Click:
    key: str
    family: str
    parent: _Click | None


@dataclass(slots=True)
class Families:
    """What clicks of each family found, over the whole crawl."""

    misses: Counter[str] = field(default_factory=Counter)  # in a row
    finds: Counter[str] = field(default_factory=Counter)  # clicks (or their reveals) that found

    def exhausted(self, family: str) -> bool:
        return self.misses[family] >= max(MISSES_ALLOWED, self.finds[family])


@dataclass(slots=True)
class ClickTree:
    """Clicks made on one page, and the order of the next ones."""

    families: Families = field(default_factory=Families)
    done: set[str] = field(default_factory=set)
    _revealed: list[tuple[str, _Click]] = field(default_factory=list)  # (key, revealed by)
    _clicks: dict[str, _Click] = field(default_factory=dict)

    def next(self, controls: Sequence[C]) -> C | None:
        """The newest revealed control still on the page, else the first one in page order;
        never one clicked already or of a dropped family."""
        present = {c.key: c for c in controls}
        while self._revealed:
            key, _ = self._revealed[-1]
            found = present.get(key)
            if found is not None and self._open(found):
                return found
            self._revealed.pop()
        return next((c for c in controls if self._open(c)), None)

    def _open(self, control: Control) -> bool:
        return control.key not in self.done and not self.families.exhausted(control.family)

    def start(self, control: Control) -> None:
        """``control`` is being clicked (or skipped): never again."""
        self.done.add(control.key)
        parent = next((by for key, by in reversed(self._revealed) if key == control.key), None)
        self._clicks[control.key] = _Click(control.key, control.family, parent)

    def finish(self, control: Control, *, found: bool, revealed: Sequence[Control]) -> None:
        """What the click did: ``found`` something new (a request or route), ``revealed``
        controls that were not on the page before it. A find is credited up the chain of
        clicks that revealed this one."""
        click = self._clicks[control.key]
        if found:
            node: _Click | None = click
            while node is not None:
                self.families.misses[node.family] = 0
                self.families.finds[node.family] += 1
                node = node.parent
        else:
            self.families.misses[click.family] += 1
        # revealed controls come first, in page order (the stack pops its last)
        self._revealed.extend((c.key, click) for c in reversed(revealed) if c.key not in self.done)

    def forget_reveals(self) -> None:
        """The page was loaded again: what a click had opened is closed."""
        self._revealed.clear()

    def path(self, control: Control) -> list[str]:
        """The keys to click, from a fresh page, to reach ``control`` (itself last)."""
        keys: list[str] = []
        node: _Click | None = self._clicks.get(control.key)
        while node is not None:
            keys.append(node.key)
            node = node.parent
        return keys[::-1]
