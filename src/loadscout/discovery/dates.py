"""Recorded dates stay valid: a date near the recording day is stored relative to it.

A delivery date recorded today is in the past next week and the server rejects it. So a form
value, query value or JSON string that is an ISO date (``2026-11-28``), a date and time
(``2026-11-28T14:30``: the time is kept as recorded) or an ISO week (``2026-W48``), or a
month (``2026-12``) sent by a month input, within a year of the recording day becomes
``${date:+2d}`` / ``${week:+0w}`` / ``${month:+1m}``; the load engine resolves it with the day
of replay (load/template.py). Other values, and dates far away (birthdays), stay as recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import unquote_plus

from loadscout.flows.model import Step

WINDOW_DAYS = 366
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})([T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _week(year: int, week: int) -> dt.date | None:
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def relative_value(value: str, *, today: dt.date, month: bool = False) -> str | None:
    """The template for a date-like ``value`` within a year of ``today``, else None.

    ``month``: the value came from a month input, so ``YYYY-MM`` is a month, not a code.
    """
    if match := _DATE.match(value):
        day = _date(match.group(1))
        if day is None or abs((day - today).days) > WINDOW_DAYS:
            return None
        return f"${{date:{(day - today).days:+d}d}}{match.group(2) or ''}"
    if match := _WEEK.match(value):
        monday = _week(int(match.group(1)), int(match.group(2)))
        this_monday = today - dt.timedelta(days=today.weekday())
        if monday is None or abs((monday - this_monday).days) > WINDOW_DAYS:
            return None
        return f"${{week:{(monday - this_monday).days // 7:+d}w}}"
    if month and (match := _MONTH.match(value)):
        months = (int(match.group(1)) - today.year) * 12 + int(match.group(2)) - today.month
        if not 1 <= int(match.group(2)) <= 12 or abs(months) > 12:
            return None
        return f"${{month:{months:+d}m}}"
    return None


def _relative_json(value: Any, today: dt.date) -> Any:
    if isinstance(value, str):
        return relative_value(value, today=today) or value
    if isinstance(value, dict):
        return {k: _relative_json(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative_json(v, today) for v in value]
    return value


def _relative_query(url: str, today: dt.date) -> str:
    """``url`` with date values of its query templated; everything else byte for byte."""
    path, sep, query = url.partition("?")
    if not sep:
        return url
    parts = []
    for part in query.split("&"):
        name, eq, value = part.partition("=")
        template = relative_value(unquote_plus(value), today=today) if eq else None
        parts.append(f"{name}={template}" if template else part)
    return path + "?" + "&".join(parts)


def relative_dates(
    step: Step, *, today: dt.date, month_fields: frozenset[str] = frozenset()
) -> Step:
    """``step`` with every recorded date near ``today`` relative to the day of replay."""
    update: dict[str, Any] = {}
    url = _relative_query(step.url, today)
    if url != step.url:
        update["url"] = url
    if step.form is not None:
        form = [
            (k, relative_value(v, today=today, month=k in month_fields) or v) for k, v in step.form
        ]
        if form != step.form:
            update["form"] = form
    if step.json_body is not None:
        body = _relative_json(step.json_body, today)
        if body != step.json_body:
            update["json_body"] = body
    return step.model_copy(update=update) if update else step
