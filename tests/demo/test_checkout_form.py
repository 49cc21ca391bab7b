from datetime import date

import pytest

from loadscout.demo.checkout_form import DeliveryWindow, validate_checkout

WINDOW = DeliveryWindow.starting(date(2025, 3, 10))


def valid() -> dict[str, str]:
    return {
        "email": "ann@example.com",
        "phone": "+49 30 1234567",
        "full_name": "Ann Example",
        "address": "1 Main Street",
        "postcode": "10115",
        "country": "DE",
        "delivery_date": "2025-03-11",
        "invoice_copies": "1",
        "payment": "card",
        "notes": "",
        "gift_wrap": "",
        "terms": "on",
    }


def test_valid_form_has_no_errors() -> None:
    assert validate_checkout(valid(), WINDOW) == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("phone", "call me"),
        ("full_name", ""),
        ("address", "x"),
        ("postcode", "1234"),
        ("postcode", "1234a"),
        ("country", "XX"),
        ("delivery_date", "2025-03-10"),  # today: too early
        ("delivery_date", "2025-05-10"),  # beyond 60 days
        ("delivery_date", "soon"),
        ("invoice_copies", "0"),
        ("invoice_copies", "4"),
        ("invoice_copies", "-1"),
        ("payment", "cash"),
        ("notes", "n" * 501),
        ("terms", ""),
    ],
)
def test_each_invalid_field_is_reported_alone(field: str, value: str) -> None:
    values = valid() | {field: value}
    assert list(validate_checkout(values, WINDOW)) == [field]
