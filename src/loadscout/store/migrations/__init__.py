"""Alembic environment for the store; a package so the wheel ships env.py and the revisions."""
