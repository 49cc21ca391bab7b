"""Browser engine: explores a web app in headless Chromium and records replayable flows.

Public entry points: ``DiscoveryOptions``, ``probe_target`` and ``discover``.
"""

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryOptions
from loadscout.discovery.probe import probe_target

__all__ = ["DiscoveryOptions", "discover", "probe_target"]
