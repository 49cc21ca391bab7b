"""encode_request: the one place a step's form or JSON body becomes bytes."""

from __future__ import annotations

from loadscout.load.client import encode_request


def test_form_and_json_get_their_content_type() -> None:
    headers, payload = encode_request({"X-A": "1"}, {"q": "a b", "n": "é"}, None, None)
    assert payload == b"q=a+b&n=%C3%A9"
    assert headers == {"X-A": "1", "Content-Type": "application/x-www-form-urlencoded"}
    headers, payload = encode_request(None, None, {"a": [1]}, None)
    assert (headers, payload) == ({"Content-Type": "application/json"}, b'{"a": [1]}')


def test_a_steps_own_content_type_wins_and_raw_bodies_pass_through() -> None:
    own = {"content-type": "application/vnd.api+json"}
    assert encode_request(own, None, {"a": 1}, None) == (own, b'{"a": 1}')
    plain = {"X-A": "1"}
    headers, payload = encode_request(plain, None, None, b"raw")
    assert headers is plain and payload == b"raw"
    assert encode_request(None, None, None, None) == (None, None)
