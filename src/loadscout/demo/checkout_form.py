"""The checkout form's fields and their server-side validation (pure: no request, no state)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

COUNTRIES = {"DE": "Germany", "FR": "France", "NL": "Netherlands", "ES": "Spain", "IT": "Italy"}
PAYMENTS = {"card": "Credit card", "invoice": "Invoice", "paypal": "PayPal"}
DELIVERY_WINDOW_DAYS = 60
TEXT_FIELDS = (
    "email",
    "phone",
    "full_name",
    "address",
    "postcode",
    "country",
    "delivery_date",
    "invoice_copies",
    "payment",
    "notes",
)
CHECKBOXES = ("gift_wrap", "terms")

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ()/-]{6,20}")
_POSTCODE = re.compile(r"[0-9]{5}")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryWindow:
    """The dates the form offers (also the ``min``/``max`` of the date input)."""

    first: date
    last: date

    @classmethod
    def starting(cls, today: date) -> DeliveryWindow:
        return cls(
            first=today + timedelta(days=1), last=today + timedelta(days=DELIVERY_WINDOW_DAYS)
        )


def _check_date(raw: str, window: DeliveryWindow) -> str | None:
    try:
        chosen = date.fromisoformat(raw)
    except ValueError:
        return "Choose a delivery date."
    if not window.first <= chosen <= window.last:
        return f"Choose a delivery date between {window.first} and {window.last}."
    return None


def _check_copies(raw: str) -> str | None:
    if not raw.isdigit() or not 1 <= int(raw) <= 3:
        return "Invoice copies must be a whole number from 1 to 3."
    return None


def validate_checkout(values: dict[str, str], window: DeliveryWindow) -> dict[str, str]:
    """Error message per field name; empty when the order may be placed."""
    checks: dict[str, str | None] = {
        "email": None if _EMAIL.fullmatch(values["email"]) else "Enter a valid email address.",
        "phone": None if _PHONE.fullmatch(values["phone"]) else "Enter a valid phone number.",
        "full_name": None if 2 <= len(values["full_name"]) <= 80 else "Enter your name.",
        "address": None if 5 <= len(values["address"]) <= 500 else "Enter your address.",
        "postcode": None if _POSTCODE.fullmatch(values["postcode"]) else "Postcode: 5 digits.",
        "country": None if values["country"] in COUNTRIES else "Choose a country.",
        "delivery_date": _check_date(values["delivery_date"], window),
        "invoice_copies": _check_copies(values["invoice_copies"]),
        "payment": None if values["payment"] in PAYMENTS else "Choose a payment method.",
        "notes": None if len(values["notes"]) <= 500 else "Notes: at most 500 characters.",
        "terms": None if values["terms"] else "You must accept the terms.",
    }
    return {name: message for name, message in checks.items() if message}
