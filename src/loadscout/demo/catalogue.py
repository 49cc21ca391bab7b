"""The catalogue section's items: 320 of them in four categories, named from a few words each,
so searches for a colour, a material or a kind of thing find many items (never random)."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = (("lamps", "Lamp"), ("chairs", "Chair"), ("tables", "Table"), ("rugs", "Rug"))
COLOURS = (
    "Amber",
    "Birch",
    "Cobalt",
    "Dune",
    "Ember",
    "Fjord",
    "Garnet",
    "Harbor",
    "Indigo",
    "Jade",
)
MATERIALS = ("Oak", "Walnut", "Linen", "Wool", "Brass", "Copper", "Marble", "Rattan")
PER_CATEGORY = len(COLOURS) * len(MATERIALS)
ITEM_COUNT = len(CATEGORIES) * PER_CATEGORY
PAGE_SIZE = 20
RELATED = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    id: int
    name: str
    category: str

    @property
    def words(self) -> list[str]:
        return self.name.lower().split()


def build_items() -> dict[int, Item]:
    items = {}
    for n in range(ITEM_COUNT):
        slug, noun = CATEGORIES[n // PER_CATEGORY]
        k = n % PER_CATEGORY
        name = f"{COLOURS[k % len(COLOURS)]} {MATERIALS[k // len(COLOURS)]} {noun}"
        items[n + 1] = Item(id=n + 1, name=name, category=slug)
    return items


ITEMS = build_items()


def page_of(items: list[Item], page: int) -> list[Item] | None:
    """The items of 1-based ``page``, None past the last page."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    if not 1 <= page <= pages:
        return None
    return items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def pages_of(items: list[Item]) -> int:
    return max(1, -(-len(items) // PAGE_SIZE))


def in_category(slug: str) -> list[Item]:
    return [i for i in ITEMS.values() if i.category == slug]


def search(query: str) -> list[Item]:
    """Items whose name has every word of ``query`` (case-insensitive), first PAGE_SIZE."""
    words = query.lower().split()
    if not words:
        return []
    return [i for i in ITEMS.values() if all(w in i.words for w in words)][:PAGE_SIZE]


def related(item: Item) -> list[Item]:
    """A few items of the same category, spread over it (not the neighbours only)."""
    group = in_category(item.category)
    at = group.index(item)
    return [group[(at + step * 17) % len(group)] for step in range(1, RELATED + 1)]
