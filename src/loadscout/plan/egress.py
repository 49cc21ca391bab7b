"""One egress policy for everything that leaves the server: the load engine's connections,
the browser's requests and the verifier's.

A shared deployment (``team`` mode) refuses special addresses (loopback, private, link-local
and cloud metadata, carrier-grade NAT, multicast, reserved...), in every spelling, unless an
admin allows them (``LOADSCOUT_EGRESS_ALLOW``). A name is looked up once, every answer is
checked (one refused answer refuses them all) and the caller connects to the checked
addresses, never to the name again: a second lookup could answer otherwise (DNS rebinding).
A single-user install (``local`` mode) allows everything, so the demo on 127.0.0.1 works.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict

from loadscout.errors import BadInput, TargetError

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]  # (host, port) -> addresses
Mode = Literal["local", "team"]

SETTING = "LOADSCOUT_EGRESS_ALLOW"
_DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}
# what inet_aton may read as an IPv4 address (it also ignores anything after a space)
_IPV4_LEGACY = re.compile(r"[0-9a-fx.]+")
_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
_METADATA = frozenset({IPv4Address("169.254.169.254"), IPv6Address("fd00:ec2::254")})
# special ranges the ipaddress properties do not all flag as non-global
_SPECIAL: tuple[tuple[IPNetwork, str], ...] = (
    (IPv4Network("0.0.0.0/8"), "in 0.0.0.0/8 ('this network')"),
    (IPv4Network("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
    (IPv4Network("192.0.0.0/24"), "an IETF protocol address"),
    (IPv4Network("198.18.0.0/15"), "a benchmarking address"),
    (IPv6Network("fc00::/7"), "a unique-local (private) address"),
    (IPv6Network("fec0::/10"), "a site-local address"),
    (IPv6Network("64:ff9b:1::/48"), "a local-use NAT64 address"),
)
# ipaddress's flags, checked in this order (the late ones after the networks above)
_FLAGS = (
    ("is_loopback", "a loopback address"),
    ("is_unspecified", "the unspecified address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
)
_LATE_FLAGS = (("is_private", "a private address"), ("is_reserved", "a reserved address"))
_NAT64 = IPv6Network("64:ff9b::/96")
_V4_COMPATIBLE = IPv6Network("::/96")


class EgressRefused(TargetError):
    """The policy forbids an address; ``reason`` says which, why, and how an admin allows it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EgressPolicy(BaseModel):
    """Where connections may go. ``allow_private`` lets every special address through (a
    single-user install); otherwise only ``allowed_networks`` (admin CIDRs) and
    ``allowed_hosts`` (names, whatever they resolve to) reach special addresses."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    allow_private: bool
    allowed_networks: tuple[IPNetwork, ...] = ()
    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def local(cls) -> EgressPolicy:
        """A single-user install: loopback and private targets allowed (the demo works)."""
        return cls(allow_private=True)

    @classmethod
    def team(cls, allow: str | Iterable[str] = ()) -> EgressPolicy:
        """A shared deployment: special addresses refused unless ``allow`` (CIDRs, addresses
        or host names; a comma-separated string or entries) names them."""
        entries = allow.split(",") if isinstance(allow, str) else list(allow)
        networks, hosts = parse_allow(entries)
        return cls(allow_private=False, allowed_networks=networks, allowed_hosts=hosts)

    @property
    def permits_all(self) -> bool:
        return self.allow_private

    def address_verdict(self, ip: IPAddress) -> str | None:
        """Why ``ip`` is refused (None: it may be reached)."""
        if self.allow_private:
            return None
        plain = _unscoped(ip)
        embedded = _embedded_v4(plain) if isinstance(plain, IPv6Address) else None
        judged = embedded or plain  # an IPv6 form of an IPv4 address is that address
        if any(judged in net for net in self.allowed_networks if net.version == judged.version):
            return None
        label = special_label(plain)
        if label is None:
            return None
        suggestion = f"{judged}/{judged.max_prefixlen}"
        return (
            f"{plain} is {label}; this server refuses it; an admin may allow it with "
            f"{SETTING}={suggestion}"
        )

    def name_allowed(self, host: str) -> bool:
        return normalise_host(host) in self.allowed_hosts


def policy_for(mode: str, allow: str = "") -> EgressPolicy:
    """The policy ``LOADSCOUT_MODE`` and ``LOADSCOUT_EGRESS_ALLOW`` give."""
    if mode == "local":
        parse_allow(allow.split(","))  # a typo is reported in either mode
        return EgressPolicy.local()
    if mode == "team":
        return EgressPolicy.team(allow)
    raise BadInput(f"LOADSCOUT_MODE must be 'local' or 'team', not {mode!r}")


def parse_allow(entries: Iterable[str]) -> tuple[tuple[IPNetwork, ...], frozenset[str]]:
    """Admin allow-list entries: CIDRs (``10.0.0.0/8``), addresses (``127.0.0.1``, taken as
    /32 or /128) or host names (``intranet.example``); every bad entry reported at once."""
    networks: list[IPNetwork] = []
    hosts: set[str] = set()
    problems: list[str] = []
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        if "/" in entry:
            try:
                networks.append(ip_network(entry))
            except ValueError as err:
                problems.append(f"{entry!r} is not a CIDR network ({err})")
            continue
        ip = parse_ip(normalise_host(entry))
        if ip is not None:
            networks.append(ip_network(ip))
            continue
        name = normalise_host(entry)
        if _HOST_NAME.fullmatch(name) is None:
            problems.append(f"{entry!r} is neither a CIDR, an address nor a host name (no port)")
            continue
        hosts.add(name)
    if problems:
        raise BadInput(f"{SETTING}: " + "; ".join(problems))
    return tuple(networks), frozenset(hosts)


def normalise_host(host: str) -> str:
    """A URL's host as one spelling: percent-decoded, lower case, no brackets or trailing
    dot, an IP literal in its canonical form (``0x7f.1`` -> ``127.0.0.1``)."""
    name = unquote(host).strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    name = name.rstrip(".")
    ip = parse_ip(name)
    return name if ip is None else str(ip)


def parse_ip(host: str) -> IPAddress | None:
    """``host`` as an address when it spells one, legacy IPv4 forms included (decimal
    ``2130706433``, hex ``0x7f000001``, octal ``0177.0.0.1``, short ``127.1``)."""
    try:
        return ip_address(host)
    except ValueError:
        pass
    if not host or _IPV4_LEGACY.fullmatch(host) is None:
        return None
    try:
        return IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def special_label(ip: IPAddress) -> str | None:
    """What kind of special address ``ip`` is (None: a global unicast one). IPv6 forms that
    carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address."""
    embedded = _embedded_v4(ip) if isinstance(ip, IPv6Address) else None
    if embedded is not None:
        inner = special_label(embedded)
        return None if inner is None else f"{inner} (as {embedded}, inside IPv6)"
    if ip in _METADATA:
        return "a link-local address (cloud metadata)"
    for flag, label in _FLAGS:
        if getattr(ip, flag):
            return label
    for net, label in _SPECIAL:
        if ip.version == net.version and ip in net:
            return label
    for flag, label in _LATE_FLAGS:
        if getattr(ip, flag):
            return label
    return None if ip.is_global else "not a global address"


def _embedded_v4(ip: IPv6Address) -> IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _V4_COMPATIBLE and int(ip) > 1):
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _unscoped(ip: IPAddress) -> IPAddress:
    if isinstance(ip, IPv6Address) and ip.scope_id:
        return IPv6Address(str(ip).split("%")[0])
    return ip


def check_literal(policy: EgressPolicy, host: str) -> None:
    """Raise EgressRefused when ``host`` is an IP literal the policy refuses; a name passes
    (it is checked when resolved, by :func:`resolve_checked`)."""
    ip = parse_ip(normalise_host(host))
    if ip is not None:
        reason = policy.address_verdict(ip)
        if reason is not None:
            raise EgressRefused(reason)


async def system_resolver(host: str, port: int) -> list[str]:
    """The system's answers for ``host``, as ``loop.create_connection`` would look it up."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def resolve_checked(
    policy: EgressPolicy, host: str, port: int, resolver: Resolver | None = None
) -> list[str]:
    """The addresses to connect to for ``host``: one lookup, every answer checked (one refused
    answer refuses the name). Connect to these, never to the name: a second lookup may answer
    otherwise. Raises EgressRefused, or the resolver's OSError."""
    name = normalise_host(host)
    literal = parse_ip(name)
    if literal is not None:
        check_literal(policy, name)
        return [str(literal)]
    answers = await (resolver or system_resolver)(name, port)
    addresses = [ip_address(answer) for answer in dict.fromkeys(answers)]
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, f"{name} has no address")
    if policy.permits_all or name in policy.allowed_hosts:
        return [str(ip) for ip in addresses]
    for ip in addresses:
        reason = policy.address_verdict(ip)
        if reason is not None:
            others = [str(other) for other in addresses if other != ip]
            mixed = f" (of {', '.join([str(ip), *others])})" if others else ""
            raise EgressRefused(f"{name} resolves to {ip}{mixed}: {reason}")
    return [str(ip) for ip in addresses]


async def check_url(policy: EgressPolicy, url: str, resolver: Resolver | None = None) -> list[str]:
    """:func:`resolve_checked` for a URL's host and port (an unreadable URL is refused)."""
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower(), 80)
    except ValueError:
        raise EgressRefused(f"{url!r} is not a URL this server can check") from None
    host = parts.hostname
    if not host:
        raise EgressRefused(f"{url!r} is not a URL with a host (http://host/...)")
    return await resolve_checked(policy, host, port, resolver)
