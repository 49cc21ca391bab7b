from __future__ import annotations

from loadscout.discovery.correlation import (
    changed_fields,
    form_selector,
    is_token_field,
    looks_random,
    template_form,
    token_extractors,
    variable_name,
)
from loadscout.discovery.page_model import FieldSpec, FormSpec

BASE = "http://127.0.0.1:8000"
TOKEN = "f3a9c1e07b2d4e8fa6c5d9b0e1f2a3b4"


def _login_form() -> FormSpec:
    return FormSpec(
        index=0,
        action=BASE + "/login",
        action_attr="/login",
        method="post",
        fields=(
            FieldSpec(name="csrf_token", type="hidden", value=TOKEN),
            FieldSpec(name="next", type="hidden", value="/account"),
            FieldSpec(name="username"),
            FieldSpec(name="password", type="password"),
        ),
    )


def test_token_fields_by_name_or_random_value() -> None:
    assert is_token_field(FieldSpec(name="authenticity_token", type="hidden", value="abc"))
    assert is_token_field(FieldSpec(name="_wpnonce", type="hidden", value="1a2b"))
    assert is_token_field(FieldSpec(name="state", type="hidden", value="Zx81-kq0PpL2mN7vRt5Y"))
    assert not is_token_field(FieldSpec(name="next", type="hidden", value="/account"))
    assert not is_token_field(FieldSpec(name="product_id", type="hidden", value="17"))
    assert not is_token_field(FieldSpec(name="csrf_token", type="text", value=TOKEN))


def test_looks_random() -> None:
    assert looks_random(TOKEN)
    assert not looks_random("aaaaaaaaaaaaaaaaaaaaaaa1")
    assert not looks_random("/account/settings/page")
    assert not looks_random("short1a")


def test_every_hidden_field_becomes_a_form_extractor_keyed_by_the_raw_action() -> None:
    extractors = token_extractors(_login_form())
    assert list(extractors) == ["csrf_token", "next"]
    ext = extractors["csrf_token"]
    assert ext.name == "csrf_token_login"
    assert ext.source == "form"
    assert ext.expression == 'form[action="/login"]'
    assert ext.attribute == "csrf_token"


def test_a_visible_value_that_changed_between_sessions_is_extracted_too() -> None:
    first = _login_form()
    second = FormSpec(
        index=0,
        action=first.action,
        action_attr="/login",
        method="post",
        fields=(
            *first.fields[:2],
            FieldSpec(name="username", value="prefilled-2"),
            first.fields[3],
        ),
    )
    changed = changed_fields(first, second)
    assert changed == {"username"}
    assert set(token_extractors(second, changed=changed)) == {"csrf_token", "next", "username"}


def test_form_without_action_attribute_and_odd_names() -> None:
    form = FormSpec(
        index=0,
        action=BASE + "/",
        fields=(FieldSpec(name='we"ird_token', type="hidden", value="x"),),
    )
    assert form_selector(form, 'we"ird_token') == 'form input[name="we\\"ird_token"]'
    assert token_extractors(form)['we"ird_token'].expression == "form"
    assert variable_name("_csrf", form) == "csrf_root"


def test_submission_never_records_the_token_value() -> None:
    form = _login_form()
    posted = [
        ("csrf_token", TOKEN),
        ("next", "/account"),
        ("username", "alice"),
        ("password", "pw"),
        ("email", "ls-r1@example.com"),
    ]
    body = template_form(
        posted, extractors=token_extractors(form), templates={"email": "ls-${unique}@example.com"}
    )
    assert body == [
        ("csrf_token", "${csrf_token_login}"),
        ("next", "${next_login}"),
        ("username", "alice"),
        ("password", "pw"),
        ("email", "ls-${unique}@example.com"),
    ]
    assert TOKEN not in str(body)


def test_a_repeated_hidden_field_reads_each_of_its_values() -> None:
    form = FormSpec(
        index=0,
        action=BASE + "/filter",
        action_attr="/filter",
        method="post",
        fields=(
            FieldSpec(name="ids", type="hidden", value="1"),
            FieldSpec(name="tags", type="checkbox", value="a", checked=True),
            FieldSpec(name="ids", type="hidden", value="2"),
            FieldSpec(name="tags", type="checkbox", value="b", checked=True),
        ),
    )
    extractors = token_extractors(form)
    assert [(k, e.name, e.index) for k, e in extractors.items()] == [
        ("ids", "ids_filter", None),
        ("ids#1", "ids_filter_2", 1),
    ]
    posted = [("ids", "1"), ("tags", "a"), ("ids", "2"), ("tags", "b")]
    assert template_form(posted, extractors=extractors, templates={}) == [
        ("ids", "${ids_filter}"),
        ("tags", "a"),
        ("ids", "${ids_filter_2}"),
        ("tags", "b"),
    ]


def test_a_get_forms_constant_hidden_values_stay_literal() -> None:
    """A read-only GET form (Datasette's ``?sql=…&_hide_sql=1``) keeps its hidden values in the
    URL as recorded; only a token-like or per-session one is re-read."""
    form = FormSpec(
        index=0,
        action=BASE + "/shop",
        action_attr="/shop",
        fields=(
            FieldSpec(name="sql", type="hidden", value="select * from products"),
            FieldSpec(name="_hide_sql", type="hidden", value="1"),
            FieldSpec(name="csrf", type="hidden", value=TOKEN),
        ),
    )
    assert set(token_extractors(form)) == {"csrf"}
    assert set(token_extractors(form, changed=frozenset({"sql"}))) == {"sql", "csrf"}
