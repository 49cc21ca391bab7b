"""FlowSets to and from YAML text, with errors that point at the broken field (files are read
and written by :mod:`loadscout.files.flows_file`)."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from loadscout.errors import FlowsFileError
from loadscout.flows.model import FlowSet
from loadscout.flows.secrets import redact_secrets


class _Pair(list[str]):
    """A form ``[name, value]`` pair, written on one line."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Pair, lambda dumper, pair: dumper.represent_sequence("tag:yaml.org,2002:seq", pair, True)
)


def _describe(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (and {err.error_count() - 1} more problems)" if err.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def parse_flowset(data: Any, *, source: str = "flows") -> FlowSet:
    if not isinstance(data, dict):
        raise FlowsFileError(
            f"{source}: expected a mapping with 'version', 'target_url' and 'flows'"
        )
    try:
        return FlowSet.model_validate(data)
    except ValidationError as err:
        raise FlowsFileError(f"{source}: invalid flows file: {_describe(err)}") from None


class _NoAliasLoader(yaml.SafeLoader):
    """Refuses YAML aliases: a few hundred bytes of nested ``*refs`` expand to gigabytes once
    validated (a "billion laughs"), and a flows file never needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.YAMLError(
                f"YAML aliases (*{event.anchor}) are not allowed in a flows file "
                f"(line {event.start_mark.line + 1}); write the value out"
            )
        return super().compose_node(parent, index)


def loads_flowset(text: str, *, source: str = "flows") -> FlowSet:
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader: no Python objects
    except yaml.YAMLError as err:
        raise FlowsFileError(f"{source}: not valid YAML: {err}".splitlines()[0]) from None
    return parse_flowset(data, source=source)


def dumps_flowset(flowset: FlowSet) -> str:
    """YAML without any password (secret user_data cells become ``${secret.COLUMN}``)."""
    data = redact_secrets(flowset).model_dump(mode="json", exclude_none=True)
    for name in ("journeys", "pools"):
        if not data.get(name):
            data.pop(name, None)
    transitions = [
        t for j in data.get("journeys", []) for s in j["states"] for t in s["transitions"]
    ]
    steps = [*data.get("setup", []), *(s for f in data["flows"] for s in f["steps"])]
    for step in [*steps, *transitions]:
        if "form" in step:
            step["form"] = [_Pair(pair) for pair in step["form"]]
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
