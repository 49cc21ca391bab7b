"""The order controls are clicked in: what a click opens first, families dropped once their
clicks stop finding anything, unless what they open keeps finding new calls."""

from __future__ import annotations

from dataclasses import dataclass

from loadscout.discovery.click_tree import MISSES_ALLOWED, ClickTree, Families


@dataclass(frozen=True)
class Ctl:
    key: str
    family: str = "button.op"


def test_what_a_click_opens_is_clicked_before_the_rest_of_the_page() -> None:
    tree = ClickTree()
    page = [Ctl("op1"), Ctl("op2")]
    first = tree.next(page)
    assert first == Ctl("op1")
    tree.start(first)
    opened = [Ctl("op1/try", "button.try")]
    tree.finish(first, found=False, revealed=opened)
    assert tree.next([Ctl("op1"), *opened, Ctl("op2")]) == Ctl("op1/try", "button.try")


def test_revealed_controls_go_in_page_order_and_vanished_ones_are_passed_over() -> None:
    tree = ClickTree()
    opener = Ctl("menu", "div.menu")
    tree.start(opener)
    tree.finish(opener, found=False, revealed=[Ctl("a", "li.item"), Ctl("b", "li.item")])
    assert tree.next([Ctl("a", "li.item"), Ctl("b", "li.item")]) == Ctl("a", "li.item")
    # the menu closed again: its items are gone, the page's next control comes
    assert tree.next([Ctl("menu", "div.menu"), Ctl("other")]) == Ctl("other")


def test_a_family_that_finds_nothing_is_dropped() -> None:
    tree = ClickTree()
    rows = [Ctl(f"row{n}", "tr.row") for n in range(10)]
    clicked = []
    while (row := tree.next(rows)) is not None:
        tree.start(row)
        tree.finish(row, found=row.key == "row0", revealed=())
        clicked.append(row.key)
    # one that found, then misses until the family is given up
    assert clicked == [f"row{n}" for n in range(1 + MISSES_ALLOWED)]


def test_an_opener_is_credited_with_what_the_clicks_it_revealed_found() -> None:
    """Open → Try → Execute: the opener finds nothing itself, yet its family stays alive as
    long as the operations it opens call something new; writes that find nothing in a row
    do not end it."""
    tree = ClickTree()
    ops = [Ctl(f"op{n}") for n in range(12)]
    executed = []
    while (op := tree.next(ops)) is not None:
        tree.start(op)
        tree.finish(op, found=False, revealed=[Ctl(f"{op.key}/try", "button.try")])
        try_it = tree.next([Ctl(f"{op.key}/try", "button.try")])
        assert try_it is not None
        tree.start(try_it)
        run = Ctl(f"{op.key}/run", "button.run")
        tree.finish(try_it, found=False, revealed=[run])
        assert tree.next([run]) == run
        tree.start(run)
        tree.finish(run, found=op.key[-1] in "0369", revealed=())  # every third op is new
        executed.append(op.key)
        assert tree.path(run) == [op.key, try_it.key, run.key]
    assert executed == [f"op{n}" for n in range(12)]


def test_families_are_learnt_across_pages() -> None:
    families = Families()
    for page in range(3):
        tree = ClickTree(families)
        copy = Ctl(f"p{page}/copy", "span.copy")
        if tree.next([copy]) is None:
            break
        tree.start(copy)
        tree.finish(copy, found=False, revealed=())
    assert families.misses["span.copy"] == 3
    for page in range(3, 10):
        tree = ClickTree(families)
        copy = Ctl(f"p{page}/copy", "span.copy")
        if tree.next([copy]) is not None:
            tree.start(copy)
            tree.finish(copy, found=False, revealed=())
    assert families.exhausted("span.copy") and families.misses["span.copy"] == MISSES_ALLOWED
