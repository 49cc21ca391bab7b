"""Which URLs belong to the target; the rule lives in ``plan.scope``, shared with the load
engine (page assets are fetched only in scope)."""

from __future__ import annotations

from loadscout.plan.scope import Scope, origin_of

__all__ = ["Scope", "origin_of"]
