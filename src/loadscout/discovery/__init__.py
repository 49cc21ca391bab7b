"""Browser engine: explores a web app in headless Chromium and records replayable flows.

Public entry points: ``DiscoveryConfig`` (``DiscoveryOptions`` plus the start page),
``probe_target`` and ``discover``.
"""

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.probe import probe_target

__all__ = ["DiscoveryConfig", "discover", "probe_target"]
