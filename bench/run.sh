#!/usr/bin/env bash
# `make bench`: loadscout against wrk and Locust on nginx, then memory per user and latency.
# Not a test: it prints figures. Needs root for apt-get when nginx or wrk are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light wrk
fi
if [ ! -x bench/.venv/bin/locust ]; then  # Locust apart, so its pins never touch loadscout's
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet locust==2.47.0
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

echo "== requests per load-generator CPU-second (nginx on core 0, generator on core 1) =="
$PY bench/measure.py "$@"
echo
echo "== memory per virtual user (each sends one request a second) =="
$PY bench/memory.py
echo
echo "== latency honesty =="
$PY bench/latency.py
echo
echo "== journeys against recorded flows (CPU per request) =="
(cd bench && ../$PY journeys_cost.py)
echo
echo "== a whole run against its worker's own CPU (start-up, parent, live view, storage) =="
(cd bench && ../$PY whole_run.py)
