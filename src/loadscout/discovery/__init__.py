"""Browser engine: explores a web app in headless Chromium and records replayable flows.

Entry points: ``engine.discover`` with an ``options.DiscoveryConfig`` (``DiscoveryOptions`` plus
the start page), and ``probe.probe_target``.
"""
