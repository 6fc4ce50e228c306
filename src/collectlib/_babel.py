"""Amounts and dates written a locale's way, by Babel (the optional extra ``collectlib[i18n]``).

The only module that imports Babel; ``collectlib.rules.templates`` imports it only
when a locale is asked for, so the core never needs Babel.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from collectlib.errors import ValidationError
from collectlib.money import minor_unit_digits


def parse_locale(name: object) -> Locale:
    """Return Babel's locale ``name`` (``"fr_FR"``), or raise ``ValidationError``."""
    if not isinstance(name, str):
        raise ValidationError(f"locale must be a string like 'fr_FR', not {name!r}")
    try:
        return Locale.parse(name)
    except (ValueError, UnknownLocaleError) as error:
        raise ValidationError(f"locale {name!r}: {error}") from None


def amount(value: Decimal, currency: str, locale: Locale) -> str:
    """Write ``value`` (already quantized) in ``currency`` by the locale's standard pattern.

    With the ISO 4217 minor unit's digits (``1,200.125 KWD``, ``120,000 JPY``), not the
    digits Babel's data gives some currencies (none for ``IQD`` or ``MGA``), so Babel
    never rounds an amount again.
    """
    pattern = copy.copy(locale.currency_formats["standard"])
    digits = minor_unit_digits(currency)
    pattern.frac_prec = (digits, digits)
    text: str = pattern.apply(value, locale, currency=currency, currency_digits=False)
    return text


def date(day: dt.date, locale: Locale) -> str:
    """Write ``day`` in the locale's medium form (``4 févr. 2026`` in ``fr_FR``)."""
    return format_date(day, format="medium", locale=locale)
