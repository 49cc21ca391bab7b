"""Month arithmetic for the endless calendar (pure)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True, slots=True, kw_only=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, raw: str) -> Month | None:
        """``YYYY-MM`` with a real month and year 1..9999, else None."""
        match = _MONTH.fullmatch(raw)
        if not match:
            return None
        year, month = int(match.group(1)), int(match.group(2))
        return cls(year=year, month=month) if year >= 1 and 1 <= month <= 12 else None

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(year=day.year, month=day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    def shifted(self, months: int) -> Month | None:
        """The month ``months`` away, None past the ends of the calendar (years 1 and 9999)."""
        index = self.year * 12 + self.month - 1 + months
        year, month = divmod(index, 12)
        return Month(year=year, month=month + 1) if 1 <= year <= 9999 else None

    def weeks(self) -> list[list[int]]:
        """Day numbers per week, Monday first, 0 for days outside the month."""
        return calendar.Calendar(firstweekday=0).monthdayscalendar(self.year, self.month)
