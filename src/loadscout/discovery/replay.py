"""A minimal plain-HTTP replay of flows, the way a virtual user would run them.

Verification needs this before load, and the layer rules keep discovery from importing the
load engine, so this is a small, faithful copy of its semantics: own cookie jar per session,
redirects followed, ``${var}`` / ``${user.COLUMN}`` / ``${unique}`` templates, the same
extractor sources (css, regex, header, cookie, json, form), status checked by class.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from selectolax.lexbor import LexborHTMLParser
from yarl import URL

from loadscout.flows.model import Extractor, Step

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]*)\}")
_COUNTER = itertools.count(1)


class ReplayError(Exception):
    """A step failed: ``str()`` says which step and why."""


def render(text: str, variables: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise ReplayError(f"variable ${{{name}}} is not defined")
        return variables[name]

    return _VAR.sub(one, text)


def render_json(value: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return render(value, variables)
    if isinstance(value, dict):
        return {k: render_json(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [render_json(v, variables) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    url: str
    headers: Mapping[str, str]
    text: str


def json_path(document: Any, path: str) -> str | None:
    node = document
    for segment in path.split("."):
        if isinstance(node, dict) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return None
    if node is None:
        return None
    return node if isinstance(node, str) else json.dumps(node)


def form_value(tree: LexborHTMLParser, selector: str, name: str) -> str | None:
    """The value a browser would submit for field ``name`` of the form at ``selector``."""
    form = tree.css_first(selector)
    if form is None:
        return None
    for node in form.css("input, select, textarea"):
        attrs = node.attributes
        if attrs.get("name") != name or "disabled" in attrs:
            continue
        if node.tag == "textarea":
            return node.text()
        if node.tag == "select":
            options = node.css("option")
            chosen = next((o for o in options if "selected" in o.attributes), None)
            chosen = chosen or (options[0] if options else None)
            return None if chosen is None else chosen.attributes.get("value") or chosen.text()
        if (attrs.get("type") or "").lower() in ("checkbox", "radio"):
            if "checked" in attrs:
                return attrs.get("value") or "on"
            continue
        return attrs.get("value") or ""
    return None


class ReplaySession:
    """One fresh session: its own jar; ``user`` is its row of ``FlowSet.user_data``."""

    def __init__(self, *, base_url: str, vu: int, user: Mapping[str, str], timeout_s: float):
        self.base_url = base_url
        self.variables: dict[str, str] = {"vu": str(vu), "iteration": "1"}
        self.variables.update({f"user.{k}": v for k, v in user.items()})
        self._jar = aiohttp.CookieJar(unsafe=True)
        self._http = aiohttp.ClientSession(
            cookie_jar=self._jar,
            timeout=aiohttp.ClientTimeout(total=timeout_s),
            headers={"User-Agent": "loadscout-verify"},
        )
        self._vu = vu

    async def close(self) -> None:
        await self._http.close()

    def _cookie(self, name: str, url: str) -> str | None:
        morsel = self._jar.filter_cookies(URL(url)).get(name)
        return morsel.value if morsel is not None else None

    async def send(self, step: Step) -> Response:
        variables = {
            **self.variables,
            "unique": f"v{uuid.uuid4().hex[:6]}-{self._vu}-{next(_COUNTER)}",
            "uuid": str(uuid.uuid4()),
        }
        url = urljoin(self.base_url, render(step.url, variables))
        headers = {k: render(v, variables) for k, v in step.headers.items()}
        data: Any = None
        if step.form is not None:
            data = {k: render(v, variables) for k, v in step.form.items()}
        elif step.body is not None:
            data = render(step.body, variables).encode()
        body_json = None if step.json_body is None else render_json(step.json_body, variables)
        async with self._http.request(
            step.method, url, headers=headers, data=data, json=body_json, allow_redirects=True
        ) as resp:
            text = (await resp.read()).decode(resp.charset or "utf-8", errors="replace")
            return Response(status=resp.status, url=str(resp.url), headers=resp.headers, text=text)

    def extract(self, extractors: list[Extractor], response: Response) -> None:
        tree: LexborHTMLParser | None = None
        for ex in extractors:
            value: str | None = None
            if ex.source in ("css", "form"):
                tree = tree or LexborHTMLParser(response.text)
                value = _css_or_form(tree, ex)
            elif ex.source == "regex":
                match = re.search(ex.expression, response.text)
                value = (match.group(1) if match.re.groups else match.group(0)) if match else None
            elif ex.source == "header":
                value = response.headers.get(ex.expression)
            elif ex.source == "cookie":
                value = self._cookie(ex.expression, response.url)
            else:
                try:
                    value = json_path(json.loads(response.text), ex.expression)
                except ValueError:
                    value = None
            if value is not None:
                self.variables[ex.name] = value
            elif ex.required:
                raise ReplayError(
                    f"extractor {ex.name!r} ({ex.source} {ex.expression!r}) found nothing"
                )

    async def run(self, step: Step, *, check_rejection: bool = True) -> Response:
        """Send, check the status class (and that a form was not refused), extract;
        ReplayError says why a step failed."""
        try:
            response = await self.send(step)
        except (aiohttp.ClientError, OSError, TimeoutError) as err:
            raise ReplayError(f"{type(err).__name__}: {err}") from None
        expected = step.expect_status
        bad = (
            response.status >= 400
            if expected is None
            else response.status // 100 != expected // 100
        )
        if bad:
            suffix = f" (recorded {expected})" if expected else ""
            raise ReplayError(f"HTTP {response.status}{suffix}")
        refused = check_rejection and step.kind == "form"
        if refused and (reason := rejection(response)) is not None:
            raise ReplayError(reason)
        self.extract(step.extract, response)
        return response


_ERROR_MARKERS = (
    "[role=alert], .error, .errors, .invalid, .is-invalid, [aria-invalid=true], .field-error, "
    ".alert-danger, .form-error"
)


def rejection(response: Response) -> str | None:
    """A form post answered with the same form and an error message: the server said no."""
    if "<form" not in response.text:
        return None
    tree = LexborHTMLParser(response.text)
    here = urlsplit(response.url).path
    same_form = any(
        urlsplit(urljoin(response.url, f.attributes.get("action") or response.url)).path == here
        for f in tree.css("form")
    )
    messages = [n.text().strip() for n in tree.css(_ERROR_MARKERS) if n.text().strip()]
    if same_form and messages:
        return f"the server rejected the form: {' '.join(messages[0].split())[:120]}"
    return None


def is_login_attempt(step: Step) -> bool:
    """A flow's own login form post: refused by design when discovery made the account up."""
    return step.form is not None and any("pass" in name.lower() for name in step.form)


def _css_or_form(tree: LexborHTMLParser, ex: Extractor) -> str | None:
    if ex.source == "form":
        return form_value(tree, ex.expression, ex.attribute)
    node = tree.css_first(ex.expression)
    if node is None:
        return None
    return (
        " ".join(node.text().split())
        if ex.attribute == "text"
        else node.attributes.get(ex.attribute)
    )
