"""Flows prepared for replay: templates parsed and constant URLs resolved once, up front."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urljoin

from loadscout.flows.model import Extractor, FlowSet, Step
from loadscout.load.errors import status_error
from loadscout.load.streams import StreamSpec
from loadscout.load.template import (
    Template,
    compile_json,
    is_relative_date,
    json_names,
    relative_date,
    render_json,
)

BUILTINS = frozenset({"vu", "iteration", "unique", "uuid"})


class RenderedRequest(NamedTuple):
    """A tuple: a journey renders one per page, and a frozen dataclass costs several times more
    to build."""

    url: str
    headers: dict[str, str] | None
    form: list[tuple[str, str]] | None
    json_body: Any
    body: bytes | None
    messages: tuple[str, ...] = ()  # a WebSocket step's frames


@dataclass(frozen=True, slots=True)
class CompiledStep:
    """One step ready to render; ``id`` is its index in ``metrics.catalog.step_catalog``."""

    id: int
    name: str
    method: str
    base_url: str
    url: Template
    headers: dict[str, Template]
    form: tuple[tuple[str, Template], ...] | None  # in order; a name may repeat
    json_body: Any
    body: Template | None
    extractors: tuple[Extractor, ...]
    expect_status: int | None
    think_time_s: float | None
    builtins: frozenset[str]  # the built-in variables this step references
    wants_headers: bool = True  # an extractor reads a response header
    body_contains: bytes | None = None  # the check ``expect_body``
    fixed: RenderedRequest | None = None  # the request, when no part of it is a template
    is_document: bool = False  # a page a browser would render (and fetch the assets of)
    stream: StreamSpec | None = None  # a WebSocket / EventSource step (``load.streams``)
    url_only: bool = False  # nothing but the URL to render (a journey's page: ${journey.url})

    def render(self, variables: Mapping[str, str]) -> RenderedRequest:
        """Substitute variables; raises ``MissingVariable`` for an undefined one."""
        if self.fixed is not None:
            return self.fixed
        url = self.url.render(variables)
        if self.url_only:
            if not url.startswith(("http://", "https://")):
                url = urljoin(self.base_url, url)
            return RenderedRequest(url, None, None, None, None)
        if not self.url.is_constant and not url.startswith(("http://", "https://")):
            url = urljoin(self.base_url, url)
        headers = {k: t.render(variables) for k, t in self.headers.items()} or None
        form = None if self.form is None else [(k, t.render(variables)) for k, t in self.form]
        json_body = None if self.json_body is None else render_json(self.json_body, variables)
        body = None if self.body is None else self.body.render(variables).encode()
        messages = tuple(m.render(variables) for m in self.stream.messages) if self.stream else ()
        return RenderedRequest(
            url=url, headers=headers, form=form, json_body=json_body, body=body, messages=messages
        )

    def verdict(self, status: int, body: bytes) -> str | None:
        """The error kind of a response that fails this step's checks (status class, then
        ``expect_body``), else None."""
        kind = status_error(status, self.expect_status)
        if kind is None and self.body_contains is not None and self.body_contains not in body:
            kind = "check_failed"
        return kind

    def why(self, kind: str, status: int) -> str:
        """A human reason for a failed :meth:`verdict`."""
        if kind == "check_failed":
            return f"HTTP {status}, body lacks {self.body_contains!r}"
        expected = f" (expected {self.expect_status})" if self.expect_status else ""
        return f"HTTP {status}{expected}"


@dataclass(frozen=True, slots=True)
class CompiledFlow:
    name: str
    weight: float
    steps: tuple[CompiledStep, ...]


def builtin_values(
    names: frozenset[str],
    *,
    vu: int,
    iteration: int,
    unique: Callable[[], str],
    today: dt.date | None = None,
) -> dict[str, str]:
    """Values of the built-ins a step uses; ``unique()`` is called only when it needs one.
    Relative dates (``date:+2d``) count from ``today``, the day of replay by default."""
    values = {"vu": str(vu), "iteration": str(iteration)}
    if "unique" in names:
        values["unique"] = unique()
    if "uuid" in names:
        values["uuid"] = str(uuid.uuid4())
    for name in names:
        if is_relative_date(name):
            values[name] = relative_date(name, today or dt.date.today())
    return values


def compile_flowset(flowset: FlowSet) -> list[CompiledFlow]:
    """Compile every flow; step ids follow document order, like the metrics catalog."""
    flows: list[CompiledFlow] = []
    next_id = 0
    for flow in flowset.flows:
        steps = []
        for step in flow.steps:
            steps.append(compile_step(step, next_id, flowset.target_url))
            next_id += 1
        flows.append(CompiledFlow(name=flow.name, weight=flow.weight, steps=tuple(steps)))
    return flows


def compile_setup(flowset: FlowSet) -> tuple[CompiledStep, ...]:
    """The setup steps; their ids follow every flow step's (as in the metrics catalog)."""
    first = sum(len(f.steps) for f in flowset.flows)
    return tuple(
        compile_step(step, first + i, flowset.target_url) for i, step in enumerate(flowset.setup)
    )


def compile_step(step: Step, step_id: int, target_url: str) -> CompiledStep:
    url = Template(step.url)
    if url.is_constant:  # resolve once instead of on every request
        url = Template(urljoin(target_url, step.url))
    headers = {k: Template(v) for k, v in step.headers.items()}
    form = None if step.form is None else tuple((k, Template(v)) for k, v in step.form)
    json_body = None if step.json_body is None else compile_json(step.json_body)
    body = None if step.body is None else Template(step.body)
    stream = StreamSpec.of(step)
    names = url.names | json_names(json_body) | (stream.names if stream else frozenset())
    for t in [*headers.values(), *(t for _, t in form or ()), *([body] if body else [])]:
        names |= t.names
    compiled = CompiledStep(
        id=step_id,
        name=step.name,
        method=step.method,
        base_url=target_url,
        url=url,
        headers=headers,
        form=form,
        json_body=json_body,
        body=body,
        extractors=tuple(step.extract),
        expect_status=step.expect_status,
        think_time_s=step.think_time_s,
        builtins=frozenset(n for n in names if n in BUILTINS or is_relative_date(n)),
        wants_headers=any(e.source == "header" for e in step.extract),
        body_contains=None if step.expect_body is None else step.expect_body.encode(),
        is_document=step.kind == "document",
        stream=stream,
        url_only=not (headers or form or body or stream) and json_body is None,
    )
    if names or json_body is not None:  # JSON bodies are rebuilt: a request must not share one
        return compiled
    return dataclasses.replace(compiled, fixed=compiled.render({}))
