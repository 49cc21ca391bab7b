"""Run the dashboard's own unit tests (vitest) as part of the Python test run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"


def test_dashboard_unit_tests_pass() -> None:
    npm = shutil.which("npm")
    assert npm, "npm is not on PATH: install Node.js >= 20.19 to test the dashboard"
    assert (WEB / "node_modules").is_dir(), (
        f"{WEB / 'node_modules'} is missing: run `bash scripts/build-web.sh` (make test does)"
    )
    proc = subprocess.run(
        [npm, "test", "--silent", "--", "--reporter=dot"],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"vitest failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    assert "passed" in proc.stdout, proc.stdout[-2000:]


def test_committed_openapi_spec_matches_the_api() -> None:
    """web/openapi.json feeds the generated client; regenerate both when the API changes."""
    from loadscout.api.app import create_app
    from loadscout.settings import Settings

    committed = json.loads((WEB / "openapi.json").read_text())
    current = create_app(Settings()).openapi()
    assert committed == current, (
        "web/openapi.json is out of date: run `npm run gen:spec && npm run gen:api` in web/"
    )


def test_generated_client_matches_the_committed_spec(tmp_path: Path) -> None:
    npx = shutil.which("npx")
    assert npx, "npx is not on PATH: install Node.js >= 20.19 to test the dashboard"
    out = tmp_path / "schema.d.ts"
    subprocess.run(
        [npx, "--no-install", "openapi-typescript", "openapi.json", "-o", str(out)],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    committed = (WEB / "src" / "client" / "schema.d.ts").read_text()
    assert out.read_text() == committed, (
        "web/src/client/schema.d.ts is stale or hand-edited: run `npm run gen:api` in web/"
    )


def test_the_form_defaults_are_the_servers() -> None:
    """web/src/client/defaults.ts is generated from the spec: one default per option."""
    from loadscout.discovery.options import DiscoveryOptions
    from loadscout.plan.options import LoadOptions

    text = (WEB / "src" / "client" / "defaults.ts").read_text()
    load, discovery = LoadOptions.model_fields, DiscoveryOptions.model_fields
    expected = {
        "ramp_up_s": load["ramp_up_s"].default,
        "think_time_min_s": load["think_time_min_s"].default,
        "think_time_max_s": load["think_time_max_s"].default,
        "max_pages": discovery["max_pages"].default,
        "max_discovery_s": discovery["max_time_s"].default,
    }
    for name, value in expected.items():
        assert f"  {name}: {json.dumps(value).removesuffix('.0')}," in text, (name, value)
