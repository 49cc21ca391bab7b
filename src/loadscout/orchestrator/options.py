"""The options of one run, shared by the CLI and the API, and how they become a RunSpec.

:class:`RunOptions` composes the typed parts: ``load`` (plan/options.py ``LoadOptions``, also
a flows file's ``load:``) and ``discovery`` (discovery/options.py ``DiscoveryOptions``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from loadscout.discovery.har import har_target
from loadscout.discovery.options import DiscoveryConfig, DiscoveryOptions
from loadscout.files.credentials import resolve_secrets
from loadscout.flows.model import FlowSet
from loadscout.flows.secrets import redact_secrets
from loadscout.orchestrator.pipeline import RunSpec
from loadscout.plan.options import LoadOptions, make_plan
from loadscout.plan.profiles import LoadPlan

__all__ = ["DiscoveryOptions", "LoadOptions", "RunOptions", "discovery_target", "run_artifacts_dir"]

_RENAMED = {"max_discovery_s": "max_time_s"}
"""Flat document names that differ from the field they fill (``max_time_s`` reads as the load's
time in a flat list)."""
_FLAT_NAMES = {field: name for name, field in _RENAMED.items()}
RAY_ADDRESS = r"^(auto|(ray://)?([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):[0-9]{1,5})$"


class RunOptions(BaseModel):
    """Everything a user can set for a run; validated once, at the edge.

    ``load`` options set here win over the flows file's ``load:`` section (only those the user
    gave: ``load.model_fields_set``). Runs are stored, and the API takes them, as one flat
    document (:meth:`document`, :meth:`from_document`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_url: str = Field(min_length=1, description="Start page of the application under test")
    load: LoadOptions = Field(default_factory=LoadOptions)
    discovery: DiscoveryOptions = Field(default_factory=DiscoveryOptions)
    flowset: FlowSet | None = Field(default=None, description="Replay these flows, skip discovery")
    ray_address: str | None = Field(
        default=None,
        pattern=RAY_ADDRESS,
        description="Run the load on this Ray cluster: auto, HOST:PORT, or ray://HOST:PORT "
        "through Ray Client (docs/cluster.md)",
    )
    ray_nodes: int | None = Field(
        default=None, ge=1, le=1000, description="With ray_address: this many nodes (default all)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> RunOptions:
        if self.load.ramp_up_s > self.load.duration_s:
            raise ValueError("ramp_up_s cannot be longer than duration_s")
        if self.load.think_time_max_s < self.load.think_time_min_s:
            raise ValueError("think_time_max_s is below think_time_min_s")
        self.plan()  # profile and thresholds are checked before any run starts
        if self.ray_nodes is not None and self.ray_address is None:
            raise ValueError("ray_nodes needs ray_address")
        if self.ray_address is not None and importlib.util.find_spec("ray") is None:
            raise ValueError(
                "ray_address: Ray is not installed here; install the extra: "
                "pip install 'loadscout[ray]'"
            )
        return self

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> RunOptions:
        """Options from their flat form (the API's body, a stored run): each name goes to the
        part it belongs to; only the names present count as given."""
        load: dict[str, Any] = {}
        discovery: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        for name, value in document.items():
            if name in _RENAMED:
                discovery[_RENAMED[name]] = value
            elif name in LoadOptions.model_fields:
                load[name] = value
            elif name in DiscoveryOptions.model_fields and name not in _FLAT_NAMES:
                discovery[name] = value
            else:
                rest[name] = value  # target_url, flowset; anything else is refused
        return cls.model_validate({**rest, "load": load, "discovery": discovery})

    def document(self, *, secrets: bool = False, given_only: bool = False) -> dict[str, Any]:
        """The flat JSON form ``from_document`` reads back, without the flowset. Passwords are
        masked unless ``secrets``; ``given_only`` leaves out what the user did not set, so a
        flows file's ``load:`` section still applies when it is read back."""
        parts: list[BaseModel] = [self, self.load, self.discovery]
        flat: dict[str, Any] = {}
        for part in parts:
            dumped = part.model_dump(
                mode="json", exclude={"flowset", "load", "discovery"}, exclude_unset=given_only
            )
            for name, value in dumped.items():
                attribute = getattr(part, name)
                if secrets and isinstance(attribute, SecretStr):
                    value = attribute.get_secret_value()
                flat[_FLAT_NAMES.get(name, name)] = value
        return flat

    def plan(self) -> LoadPlan:
        """The load plan: options set here win over the flows file's ``load:`` section."""
        from_file = self.flowset.load if self.flowset is not None else None
        return make_plan(self.load.over(from_file))

    def resolved_flowset(self, flowset: FlowSet) -> FlowSet:
        """``flowset`` with its ``${secret.*}`` references filled from ``password``,
        ``credentials_file`` or the environment; BadInput names what is missing."""
        return resolve_secrets(
            flowset,
            password=self.discovery.password_text,
            credentials_file=self.discovery.credentials_file,
            storage_state_file=self.discovery.storage_state_file,
        )

    def check_secrets(self) -> None:
        """Fail before queueing a flowset whose passwords will not survive being stored (the
        database keeps references only) and that nothing else provides."""
        if self.flowset is not None:
            self.resolved_flowset(redact_secrets(self.flowset))

    def spec(
        self, run_id: str, *, chromium_path: str | None, screenshots_dir: Path | None = None
    ) -> RunSpec:
        """The run as the pipeline takes it; ``screenshots_dir`` (chosen by the server, never by
        an API caller) wins over the option of the same name."""
        if self.flowset is not None:
            return RunSpec(
                run_id=run_id,
                target_url=self.target_url,
                plan=self.plan(),
                flowset=self.resolved_flowset(self.flowset),
                ray_address=self.ray_address,
                ray_nodes=self.ray_nodes,
            )
        mine = dict(self.discovery)
        if screenshots_dir is not None:
            mine["screenshots_dir"] = str(screenshots_dir)
        discovery = DiscoveryConfig(
            **mine, start_url=self.target_url, scope=self.load.scope, chromium_path=chromium_path
        )
        return RunSpec(
            run_id=run_id,
            target_url=self.target_url,
            plan=self.plan(),
            discovery=discovery,
            ray_address=self.ray_address,
            ray_nodes=self.ray_nodes,
        )


def discovery_target(url: str | None, har_file: Path | None) -> str:
    """The page a discovery starts from: ``url``, else the first page of the HAR recording."""
    return url if url is not None else har_target(har_file)


def run_artifacts_dir(root: Path, run_id: int | str) -> Path:
    """The folder of one run's files (``screenshots/``, ...) under the server's artifacts root."""
    return root / "runs" / str(run_id)
