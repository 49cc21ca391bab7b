"""The egress policy: every spelling of a special address is one address, every answer of a
lookup is checked, and a refusal says what was refused and how to allow it."""

from __future__ import annotations

import socket

import pytest

from loadscout.errors import BadInput, TargetError
from loadscout.plan.egress import (
    EgressPolicy,
    EgressRefused,
    check_literal,
    check_url,
    normalise_host,
    policy_for,
    resolve_checked,
)

TEAM = EgressPolicy.team()
LOCAL = EgressPolicy.local()

# (as written in a URL, normalised, refused in team mode)
SPELLINGS = [
    ("127.0.0.1", "127.0.0.1", True),
    ("2130706433", "127.0.0.1", True),  # decimal
    ("0x7f000001", "127.0.0.1", True),  # hex
    ("0177.0.0.1", "127.0.0.1", True),  # octal
    ("127.1", "127.0.0.1", True),  # short
    ("0x7f.1", "127.0.0.1", True),  # mixed
    ("0X7F.0.0.1", "127.0.0.1", True),  # upper case
    ("127.0.0.1.", "127.0.0.1", True),  # trailing dot
    ("%31%32%37.0.0.1", "127.0.0.1", True),  # percent-encoded
    ("[::1]", "::1", True),  # bracketed
    ("::ffff:127.0.0.1", "::ffff:7f00:1", True),  # IPv4-mapped
    ("[::FFFF:7F00:1]", "::ffff:7f00:1", True),
    ("::ffff:169.254.169.254", "::ffff:a9fe:a9fe", True),
    ("64:ff9b::a9fe:a9fe", "64:ff9b::a9fe:a9fe", True),  # NAT64 of the metadata address
    ("2002:a00:1::1", "2002:a00:1::1", True),  # 6to4 of 10.0.0.1
    ("169.254.169.254", "169.254.169.254", True),
    ("2852039166", "169.254.169.254", True),
    ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254", True),
    ("10.0.0.1", "10.0.0.1", True),
    ("012.0.0.1", "10.0.0.1", True),
    ("172.16.5.4", "172.16.5.4", True),
    ("192.168.0.1", "192.168.0.1", True),
    ("100.64.0.1", "100.64.0.1", True),
    ("0.0.0.0", "0.0.0.0", True),
    ("0", "0.0.0.0", True),
    ("0.1.2.3", "0.1.2.3", True),
    ("224.0.0.1", "224.0.0.1", True),
    ("240.0.0.1", "240.0.0.1", True),
    ("255.255.255.255", "255.255.255.255", True),
    ("[fe80::1]", "fe80::1", True),
    ("fd00::1", "fd00::1", True),
    ("fd00:ec2::254", "fd00:ec2::254", True),
    ("ff02::1", "ff02::1", True),
    ("[::]", "::", True),
    ("8.8.8.8", "8.8.8.8", False),
    ("134744072", "8.8.8.8", False),
    ("::ffff:8.8.8.8", "::ffff:808:808", False),
    ("2606:4700::1111", "2606:4700::1111", False),
    ("Shop.Example.", "shop.example", False),  # a name: checked when resolved
    ("cafe.babe", "cafe.babe", False),
]


@pytest.mark.parametrize(("written", "normal", "refused"), SPELLINGS)
def test_spellings(written: str, normal: str, refused: bool) -> None:
    assert normalise_host(written) == normal
    check_literal(LOCAL, written)  # local mode: anything goes
    if refused:
        with pytest.raises(EgressRefused):
            check_literal(TEAM, written)
    else:
        check_literal(TEAM, written)


def test_a_refusal_names_the_address_why_and_the_setting() -> None:
    with pytest.raises(EgressRefused) as caught:
        check_literal(TEAM, "0xa9fea9fe")
    assert str(caught.value) == (
        "169.254.169.254 is a link-local address (cloud metadata); this server refuses it; "
        "an admin may allow it with LOADSCOUT_EGRESS_ALLOW=169.254.169.254/32"
    )
    assert isinstance(caught.value, TargetError)


def test_allowed_networks_let_special_addresses_through() -> None:
    policy = EgressPolicy.team(allow="127.0.0.1/32, 10.0.0.0/8")
    check_literal(policy, "127.1")
    check_literal(policy, "::ffff:10.1.2.3")  # mapped: judged as the IPv4 inside
    with pytest.raises(EgressRefused):
        check_literal(policy, "127.0.0.2")
    with pytest.raises(EgressRefused):
        check_literal(policy, "169.254.169.254")


def test_the_setting_parses_and_reports_every_bad_entry() -> None:
    policy = policy_for("team", "127.0.0.1/32,10.0.0.0/8, intranet.example ,::1,")
    assert [str(net) for net in policy.allowed_networks] == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
    ]
    assert policy.allowed_hosts == frozenset({"intranet.example"})
    assert policy_for("local", "") == LOCAL
    with pytest.raises(BadInput) as caught:
        policy_for("team", "10.0.0.1/8,intranet.example:8080,10.0.0.0/33")
    message = str(caught.value)
    assert message.startswith("LOADSCOUT_EGRESS_ALLOW: '10.0.0.1/8' is not a CIDR network")
    assert "'intranet.example:8080' is neither" in message and "'10.0.0.0/33'" in message
    with pytest.raises(BadInput, match="LOADSCOUT_MODE"):
        policy_for("shared", "")


def test_the_policy_round_trips_as_json() -> None:
    """It travels to worker processes inside the load plan."""
    policy = EgressPolicy.team(allow="127.0.0.1/32,::1,intranet.example")
    assert EgressPolicy.model_validate_json(policy.model_dump_json()) == policy


class StubResolver:
    """Answers from a table and counts the lookups; never touches the network."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        queue = self.answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]


async def test_a_name_resolving_privately_is_refused() -> None:
    resolver = StubResolver({"shop.test": [["10.0.0.7"]]})
    with pytest.raises(EgressRefused) as caught:
        await resolve_checked(TEAM, "shop.test", 80, resolver)
    assert str(caught.value).startswith("shop.test resolves to 10.0.0.7: 10.0.0.7 is a private")
    assert resolver.calls == ["shop.test"]


async def test_one_private_answer_refuses_a_mixed_answer() -> None:
    resolver = StubResolver({"shop.test": [["93.184.216.34", "169.254.169.254"]]})
    with pytest.raises(EgressRefused, match=r"169\.254\.169\.254 \(of 169\.254\.169\.254, 93"):
        await resolve_checked(TEAM, "SHOP.test.", 443, resolver)
    assert resolver.calls == ["shop.test"]


async def test_the_checked_answer_is_pinned_whatever_the_next_lookup_says() -> None:
    """Rebinding: the first lookup answers public, a second would answer private. The caller
    connects to what the one lookup returned."""
    resolver = StubResolver({"shop.test": [["93.184.216.34"], ["127.0.0.1"]]})
    assert await resolve_checked(TEAM, "shop.test", 80, resolver) == ["93.184.216.34"]
    assert resolver.calls == ["shop.test"]
    with pytest.raises(EgressRefused):  # what a second lookup would have led to
        await resolve_checked(TEAM, "shop.test", 80, resolver)


async def test_literals_are_not_looked_up_and_allowed_names_pass() -> None:
    resolver = StubResolver({"intranet.example": [["10.1.1.1", "10.1.1.2"]]})
    assert await resolve_checked(TEAM, "8.8.8.8", 80, resolver) == ["8.8.8.8"]
    with pytest.raises(EgressRefused):
        await resolve_checked(TEAM, "[::ffff:10.0.0.1]", 80, resolver)
    policy = EgressPolicy.team(allow="intranet.example")
    found = await resolve_checked(policy, "intranet.example", 80, resolver)
    assert found == ["10.1.1.1", "10.1.1.2"]
    assert resolver.calls == ["intranet.example"]
    assert await resolve_checked(LOCAL, "intranet.example", 80, resolver) == found


async def test_no_answer_is_a_lookup_error() -> None:
    with pytest.raises(socket.gaierror):
        await resolve_checked(TEAM, "shop.test", 80, StubResolver({"shop.test": [[]]}))


async def test_check_url_reads_the_host_and_default_port() -> None:
    seen: list[tuple[str, int]] = []

    async def resolver(host: str, port: int) -> list[str]:
        seen.append((host, port))
        return ["93.184.216.34"]

    assert await check_url(TEAM, "https://Shop.Test/x", resolver) == ["93.184.216.34"]
    assert seen == [("shop.test", 443)]
    with pytest.raises(EgressRefused):
        await check_url(TEAM, "http://0x7f.1:8000/", resolver)
    with pytest.raises(EgressRefused, match="not a URL with a host"):
        await check_url(TEAM, "file:///etc/passwd", resolver)
