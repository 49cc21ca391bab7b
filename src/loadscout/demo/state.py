"""All mutable state of one shop instance, held on ``app.state.shop`` (no module-level state)."""

from __future__ import annotations

import itertools
import secrets
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from loadscout.demo.catalog import Catalog
from loadscout.demo.records import build_records

MAX_SESSIONS = 100_000


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(slots=True, kw_only=True)
class ShopSession:
    """A visitor's server-side session; the cookie carries only ``id``."""

    id: str = field(default_factory=new_token)
    csrf_token: str = field(default_factory=new_token)
    username: str | None = None
    cart: dict[int, int] = field(default_factory=dict)
    order_ids: list[int] = field(default_factory=list)
    wishlist: list[int] = field(default_factory=list)
    ratings: dict[int, int] = field(default_factory=dict)

    @property
    def cart_count(self) -> int:
        return sum(self.cart.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderLine:
    product_id: int
    name: str
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Order:
    id: int
    lines: tuple[OrderLine, ...]
    details: dict[str, str]

    @property
    def total_cents(self) -> int:
        return sum(line.quantity * line.unit_price_cents for line in self.lines)


class SessionStore:
    """In-memory sessions; least recently used go first, so cookie-less load stays bounded."""

    def __init__(self, *, max_sessions: int = MAX_SESSIONS) -> None:
        self._sessions: OrderedDict[str, ShopSession] = OrderedDict()
        self._max = max_sessions

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, session_id: str | None) -> ShopSession | None:
        session = self._sessions.get(session_id) if session_id else None
        if session is not None:
            self._sessions.move_to_end(session.id)
        return session

    def create(self) -> ShopSession:
        return self._add(ShopSession())

    def cycle(self, old: ShopSession, *, keep_data: bool) -> ShopSession:
        """New id and CSRF token (like Django on login); keeps cart and orders if asked."""
        self._sessions.pop(old.id, None)
        new = ShopSession()
        if keep_data:
            new.cart, new.order_ids = old.cart, old.order_ids
        return self._add(new)

    def _add(self, session: ShopSession) -> ShopSession:
        self._sessions[session.id] = session
        while len(self._sessions) > self._max:
            self._sessions.popitem(last=False)
        return session


class ShopState:
    """Catalog, sessions, orders, deleted accounts, the admin-like records and the request
    counters (per route, and per URL for the catalogue section)."""

    def __init__(self, *, catalog: Catalog, today: Callable[[], date]) -> None:
        self.catalog = catalog
        self.today = today
        self.sessions = SessionStore()
        self.orders: dict[int, Order] = {}
        self.deleted_users: set[str] = set()
        self.records = build_records()
        self.hits: Counter[str] = Counter()
        # GET URLs (path and query) of the catalogue section: the truth journeys' spread is
        # measured against (bounded: only that section, whose URL space is finite)
        self.catalogue_urls: Counter[str] = Counter()
        self._order_ids = itertools.count(1001)

    def place_order(self, *, lines: tuple[OrderLine, ...], details: dict[str, str]) -> Order:
        order = Order(id=next(self._order_ids), lines=lines, details=details)
        self.orders[order.id] = order
        return order
