"""Dates, times and amounts as each language writes them (standard library only: two languages
need a month table and two separators, not Babel's CLDR data and its import time).

English: ``05 Mar``, ``05 Mar 2026 14:30``, ``1,234.56 EUR``.
German: ``05.03.``, ``05.03.2026 14:30``, ``1.234,56 EUR`` (DIN 5008 numeric dates, as SAP
Business Network shows them to German users).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from . import language

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month(moment: date) -> str:
    """A day of this year, short."""
    if language() == "de":
        return f"{moment.day:02d}.{moment.month:02d}."
    return f"{moment.day:02d} {_EN_MONTHS[moment.month - 1]}"


def full_date(moment: date) -> str:
    if language() == "de":
        return f"{moment.day:02d}.{moment.month:02d}.{moment.year}"
    return f"{moment.day:02d} {_EN_MONTHS[moment.month - 1]} {moment.year}"


def date_time(moment: datetime) -> str:
    """Date and minute (the caller picks the time zone: local for the screen)."""
    return f"{full_date(moment)} {moment.hour:02d}:{moment.minute:02d}"


def number(value: float | Decimal, decimals: int = 2) -> str:
    """Grouped thousands and decimals: ``1,234.56`` / ``1.234,56``."""
    text = f"{value:,.{decimals}f}"
    if language() == "de":
        return text.translate(str.maketrans(",.", ".,"))
    return text


def count(value: int) -> str:
    """A whole number with grouped thousands: ``12,000`` / ``12.000``."""
    return number(value, 0)


def amount(value: float | Decimal, currency: str) -> str:
    """Money: ``1,234.56 EUR`` / ``1.234,56 EUR`` (the code after the number in both)."""
    return f"{number(value)} {currency}"
