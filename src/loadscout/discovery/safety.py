"""Safety policy: which actions discovery may take. On by default, enforced twice.

Actions are classified from their URL, link/button text and form action; logout and destructive
actions are never taken, writes (non-GET) only for login/search forms unless ``allow_writes``.
The same policy is applied again to every request at the network layer (see browser.py).
"""

from __future__ import annotations

from loadscout.plan.risk import Risk, classify

__all__ = ["Risk", "SafetyPolicy", "classify"]


def _reason(risk: Risk) -> str:
    if risk is Risk.LOGOUT:
        return "logout action (would end the session)"
    if risk is Risk.DESTRUCTIVE:
        return "destructive action"
    return "write (non-GET) not allowed; pass allow_writes to submit it"


class SafetyPolicy:
    """Decides links, forms and raw requests; each verdict is None (go) or the reason to skip."""

    def __init__(self, *, allow_writes: bool = False) -> None:
        self.allow_writes = allow_writes

    def link_verdict(self, url: str, text: str = "") -> str | None:
        risk = classify(url=url, text=text)
        return None if risk is Risk.SAFE else _reason(risk)

    def form_verdict(self, *, action: str, method: str, texts: str, kind: str) -> str | None:
        """``kind`` is the form's role from form_fill.form_kind (login, search, read, write)."""
        risk = classify(url=action, text=texts, method=method)
        if risk in (Risk.LOGOUT, Risk.DESTRUCTIVE):
            return _reason(risk)
        if risk is Risk.WRITE and kind not in ("login", "search") and not self.allow_writes:
            return _reason(risk)
        return None

    def request_verdict(self, *, method: str, url: str, write_allowed: bool) -> str | None:
        """Network-layer check: ``write_allowed`` says this non-GET was submitted on purpose."""
        risk = classify(url=url, method=method)
        if risk in (Risk.LOGOUT, Risk.DESTRUCTIVE):
            return "blocked at network layer: " + _reason(risk)
        if risk is Risk.WRITE and not (write_allowed or self.allow_writes):
            return "blocked at network layer: " + _reason(risk)
        return None
