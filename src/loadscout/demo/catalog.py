"""The shop's deterministic catalog: the same products, names and prices on every start."""

from __future__ import annotations

from dataclasses import dataclass

_ADJECTIVES = ("Classic", "Illustrated", "Pocket", "Deluxe", "Vintage", "Modern", "Mini", "Grand")

# slug, title, how many products, nouns (len(_ADJECTIVES) and len(nouns) must give unique pairs)
_CATEGORIES: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("books", "Books", 24, ("Novel", "Atlas", "Cookbook", "Poetry Book", "Field Guide", "Memoir")),
    ("garden", "Garden", 12, ("Watering Can", "Trowel", "Planter", "Hose Reel", "Bird Feeder")),
    ("kitchen", "Kitchen", 10, ("Teapot", "Skillet", "Knife Set", "Mixing Bowl", "Grater")),
    ("toys", "Toys", 8, ("Kite", "Puzzle", "Robot", "Yo-yo", "Train Set")),
    ("music", "Music", 6, ("Ukulele", "Harmonica", "Drum Pad", "Metronome", "Songbook")),
)

PAGE_SIZE = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Category:
    slug: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Product:
    id: int
    name: str
    category: Category
    price_cents: int
    description: str

    @property
    def deal_price_cents(self) -> int:
        return self.price_cents * 80 // 100

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category.slug,
            "price": self.price_cents / 100,
            "url": f"/products/{self.id}",
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One page of a category listing; ``number`` counts from 1."""

    items: tuple[Product, ...]
    number: int
    count: int

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count


class Catalog:
    """Read-only product data with the three queries the shop needs."""

    def __init__(self, products: tuple[Product, ...], categories: tuple[Category, ...]) -> None:
        self.products = products
        self.categories = categories
        self._by_id = {p.id: p for p in products}
        self._by_slug = {c.slug: c for c in categories}

    def product(self, product_id: int) -> Product | None:
        return self._by_id.get(product_id)

    def category(self, slug: str) -> Category | None:
        return self._by_slug.get(slug)

    def page(self, category: Category, number: int) -> Page | None:
        """Page ``number`` of a category, or None when it is out of range."""
        items = [p for p in self.products if p.category == category]
        count = max(1, -(-len(items) // PAGE_SIZE))
        if not 1 <= number <= count:
            return None
        start = (number - 1) * PAGE_SIZE
        return Page(items=tuple(items[start : start + PAGE_SIZE]), number=number, count=count)

    def search(self, query: str) -> list[Product]:
        """Products whose name, description or category contain every word of ``query``."""
        words = query.lower().split()
        if not words:
            return []
        haystacks = (
            (p, f"{p.name} {p.description} {p.category.title}".lower()) for p in self.products
        )
        return [p for p, text in haystacks if all(w in text for w in words)]

    def deals(self) -> list[Product]:
        """Every sixth product is on sale (20 % off)."""
        return [p for p in self.products if p.id % 6 == 0]


def build_catalog() -> Catalog:
    """Sixty products in five categories of different sizes (so pagination has 1 to 3 pages)."""
    categories: list[Category] = []
    products: list[Product] = []
    for slug, title, size, nouns in _CATEGORIES:
        category = Category(slug=slug, title=title)
        categories.append(category)
        for i in range(size):
            adjective, noun = _ADJECTIVES[i % len(_ADJECTIVES)], nouns[i % len(nouns)]
            product_id = len(products) + 1
            products.append(
                Product(
                    id=product_id,
                    name=f"{adjective} {noun}",
                    category=category,
                    price_cents=499 + (product_id * 737) % 5000,
                    description=f"A {adjective.lower()} {noun.lower()} from our {title.lower()} "
                    f"range. Item #{product_id}.",
                )
            )
    return Catalog(tuple(products), tuple(categories))
