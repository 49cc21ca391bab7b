"""Discovery measured on real third-party apps (issue 11): ``python -m bench.discovery``."""
