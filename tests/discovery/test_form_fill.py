from __future__ import annotations

import re
from datetime import date

import pytest

from loadscout.discovery.form_fill import SEARCH_WORD, fill_field, fill_form, form_kind
from loadscout.discovery.page_model import FieldSpec, FormSpec, Option

BASE = "http://127.0.0.1:8000"


def _form(*fields: FieldSpec, action: str = "/checkout", method: str = "post") -> FormSpec:
    return FormSpec(index=0, action=BASE + action, method=method, fields=fields)


def _value(spec: FieldSpec, kind: str = "write") -> str | None:
    return fill_field(spec, kind=kind, unique="abc123").value  # type: ignore[arg-type]


def test_form_kinds() -> None:
    login = _form(
        FieldSpec(name="csrf_token", type="hidden", value="t"),
        FieldSpec(name="user"),
        FieldSpec(name="pw", type="password"),
        action="/login",
    )
    signup = _form(
        FieldSpec(name="email", type="email"),
        FieldSpec(name="pw", type="password"),
        action="/register",
    )
    search = _form(FieldSpec(name="q"), action="/search", method="get")
    filters = _form(FieldSpec(name="sort"), action="/products", method="get")
    assert form_kind(login) == "login"
    assert form_kind(signup) == "write"
    assert form_kind(search) == "search"
    assert form_kind(filters) == "read"
    assert form_kind(_form(FieldSpec(name="comment", tag="textarea", type="textarea"))) == "write"
    sort = FieldSpec(name="sort", tag="select", type="select-one")
    assert form_kind(_form(FieldSpec(name="q"), sort)) == "search"  # a POST search with a filter


def test_an_entry_form_with_a_search_like_field_is_a_write() -> None:
    """Roundup's new-issue and edit forms (POST) carry a "keyword" field: they write."""
    fields = ("title", "priority", "status", "nosy", "assignedto", "keyword")
    issue = _form(*(FieldSpec(name=n) for n in fields), action="/tracker/issue")
    assert form_kind(issue) == "write"
    noted = _form(FieldSpec(name="keyword"), FieldSpec(name="@note", tag="textarea"))
    assert form_kind(noted) == "write"
    upload = _form(FieldSpec(name="search"), FieldSpec(name="@file", type="file"))
    assert form_kind(upload) == "write"


@pytest.mark.parametrize(
    ("spec", "check"),
    [
        (FieldSpec(name="q"), lambda v: v == SEARCH_WORD),
        (FieldSpec(name="phone", type="tel"), lambda v: v.isdigit()),
        (FieldSpec(name="n", type="number", min="5", max="9"), lambda v: v == "5"),
        (FieldSpec(name="n", type="number", max="0"), lambda v: v == "0"),
        (FieldSpec(name="qty", type="number"), lambda v: v == "1"),
        (FieldSpec(name="when", type="date"), lambda v: v == date.today().isoformat()),
        (FieldSpec(name="when", type="date", min="2030-01-02"), lambda v: v == "2030-01-02"),
        (FieldSpec(name="zip", pattern="[0-9]{5}"), lambda v: re.fullmatch(r"\d{5}", v)),
        (
            FieldSpec(name="code", pattern="[A-Z]{2}-\\d{3}"),
            lambda v: re.fullmatch("[A-Z]{2}-\\d{3}", v),
        ),
        (FieldSpec(name="x", pattern="(abc|def)+"), lambda v: v == "abc"),
        (FieldSpec(name="city"), lambda v: v == "Springfield"),
        (FieldSpec(name="full_name"), lambda v: v == "Alex Doe"),
        (FieldSpec(name="notes", tag="textarea", type="textarea"), lambda v: len(v) > 5),
        (FieldSpec(name="nick2", minlength=30), lambda v: len(v) >= 30),
        (FieldSpec(name="message", maxlength=4), lambda v: len(v) == 4),
        (FieldSpec(name="zzz"), lambda v: v == "loadscout-abc123"),
    ],
)
def test_values_by_type_name_and_constraints(spec: FieldSpec, check: object) -> None:
    value = _value(spec)
    assert value is not None
    assert check(value), value  # type: ignore[operator]


def test_server_values_are_kept() -> None:
    assert (
        fill_field(
            FieldSpec(name="csrf", type="hidden", value="tok"), kind="write", unique="u"
        ).value
        is None
    )
    assert fill_field(FieldSpec(name="city", value="Paris"), kind="write", unique="u").value is None


def test_select_takes_first_non_empty_option_unless_one_is_chosen() -> None:
    choose = FieldSpec(
        name="country",
        tag="select",
        type="select-one",
        value="",
        options=(
            Option(value="", text="-- choose --", selected=True),
            Option(value="fr"),
            Option(value="de"),
        ),
    )
    chosen = FieldSpec(
        name="country",
        tag="select",
        type="select-one",
        value="de",
        options=(Option(value=""), Option(value="de", selected=True)),
    )
    assert _value(choose) == "fr"
    assert fill_field(chosen, kind="write", unique="u").value is None


def test_checkboxes_required_checked_optional_left_and_first_radio_chosen() -> None:
    form = _form(
        FieldSpec(name="terms", type="checkbox", required=True),
        FieldSpec(name="news", type="checkbox"),
        FieldSpec(name="ship", type="radio", value="std"),
        FieldSpec(name="ship", type="radio", value="fast"),
        FieldSpec(name="pay", type="radio", value="card"),
        FieldSpec(name="pay", type="radio", value="cash", checked=True),
    )
    fills = fill_form(form, unique="u")
    assert [f.checked for f in fills] == [True, False, True, None, None, None]


def test_write_forms_get_run_unique_emails_recorded_as_templates() -> None:
    form = _form(FieldSpec(name="email", type="email"), FieldSpec(name="handle"))
    email, handle = fill_form(form, unique="r1")
    assert email.value == "ls-r1@example.com"
    assert email.template == "ls-${unique}@example.com"
    assert handle.template == "loadscout-${unique}"
    search = _form(FieldSpec(name="email", type="email"), action="/find", method="get")
    assert fill_form(search, unique="r1")[0].template is None


def test_user_data_wins_and_lists_become_per_user_templates() -> None:
    form = FormSpec(
        index=0,
        action="http://h/checkout",
        method="post",
        fields=(
            FieldSpec(name="email", type="email"),
            FieldSpec(name="postcode", pattern="[0-9]{5}"),
            FieldSpec(name="quantity", type="number", min="1", max="9"),
        ),
    )
    data: dict[str, str | list[str]] = {
        "email": ["a@x.org", "b@x.org"],
        "/checkout.postcode": "10115",
    }
    email, postcode, quantity = fill_form(form, data=data)
    assert (email.value, email.template) == ("a@x.org", "${user.data_email}")
    assert (postcode.value, postcode.template) == ("10115", None)
    assert quantity.value == "1"
    retry = fill_form(form, variant=1)
    assert retry[2].value == "9"  # the other end of the range
    assert retry[0].value is not None and retry[0].value.startswith("other-")
