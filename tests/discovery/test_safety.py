from __future__ import annotations

import pytest

from loadscout.discovery.safety import Risk, SafetyPolicy, classify

BASE = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("url", "text", "method", "risk"),
    [
        ("/logout", "", "GET", Risk.LOGOUT),
        ("/session/end", "Log out", "GET", Risk.LOGOUT),
        ("/bye", "Sign out", "GET", Risk.LOGOUT),
        ("/user/signOut", "", "GET", Risk.LOGOUT),
        ("/account/delete", "", "POST", Risk.DESTRUCTIVE),
        ("/account", "Delete my account", "POST", Risk.DESTRUCTIVE),
        ("/cart/remove?id=3", "", "GET", Risk.DESTRUCTIVE),
        ("/settings", "Cancel account", "POST", Risk.DESTRUCTIVE),
        ("/api/deleteUser", "", "POST", Risk.DESTRUCTIVE),
        ("/newsletter/unsubscribe", "", "GET", Risk.DESTRUCTIVE),
        ("/password/reset", "", "GET", Risk.DESTRUCTIVE),
        ("/cart/add", "Add to cart", "POST", Risk.WRITE),
        ("/products/dropdown-menu", "", "GET", Risk.SAFE),
        ("/removals-company", "Our partners", "GET", Risk.SAFE),
        ("/products/3", "Blue shoes", "GET", Risk.SAFE),
    ],
)
def test_classify(url: str, text: str, method: str, risk: Risk) -> None:
    assert classify(url=BASE + url, text=text, method=method) is risk


def test_host_name_does_not_count() -> None:
    assert classify(url="http://delete.example/products") is Risk.SAFE


def test_forms_login_and_search_may_post_but_other_writes_need_allow_writes() -> None:
    safe, permissive = SafetyPolicy(), SafetyPolicy(allow_writes=True)
    login = {"action": BASE + "/login", "method": "post", "texts": "Sign in", "kind": "login"}
    cart = {"action": BASE + "/cart/add", "method": "post", "texts": "Add", "kind": "write"}
    delete = {"action": BASE + "/account/delete", "method": "post", "texts": "", "kind": "write"}
    assert safe.form_verdict(**login) is None
    assert safe.form_verdict(**cart) is not None
    assert permissive.form_verdict(**cart) is None
    reason = permissive.form_verdict(**delete)
    assert reason is not None
    assert "destructive" in reason


def test_request_verdict_blocks_unrequested_writes_and_any_logout() -> None:
    policy = SafetyPolicy()
    assert policy.request_verdict(method="GET", url=BASE + "/p", write_allowed=False) is None
    assert policy.request_verdict(method="POST", url=BASE + "/api/t", write_allowed=False)
    assert policy.request_verdict(method="POST", url=BASE + "/login", write_allowed=True) is None
    assert policy.request_verdict(method="GET", url=BASE + "/logout", write_allowed=True)
