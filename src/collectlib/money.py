"""Amounts of money: ``Decimal`` only, coerced and quantized by stated rules.

Inputs accept ``Decimal``, ``int`` and ``str``; a ``float`` goes through ``str()`` first,
so ``100.1`` becomes ``Decimal("100.1")`` and not the binary approximation.  NaN and the
infinities are not amounts.  Computed amounts are quantized once, to the currency's
minor unit, with ``ROUND_HALF_UP``:

>>> from decimal import Decimal
>>> quantize(Decimal("10.005"), "EUR")
Decimal('10.01')
>>> quantize(Decimal("1234.5"), "JPY")
Decimal('1235')
>>> minor_unit_digits("KWD")
3
>>> to_amount(100.1)
Decimal('100.1')
"""

from __future__ import annotations

import re
from decimal import MAX_PREC, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Final

import attrs

from collectlib.errors import ValidationError

__all__ = ["Amount", "Money", "minor_unit_digits", "quantize", "to_amount"]

Amount = Decimal | int | str | float
"""What an amount argument accepts; it is stored as ``Decimal``."""

ZERO: Final = Decimal(0)

# ISO 4217 currencies whose minor unit is not the cent.  Every other code has 2 digits.
_MINOR_UNIT_DIGITS: Final = {
    "BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0,
    "JOD": 3, "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0,
    "RWF": 0, "TND": 3, "UGX": 0, "UYI": 0, "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0,
    "XOF": 0, "XPF": 0,
}  # fmt: skip
_EXPONENTS: Final = {digits: Decimal(1).scaleb(-digits) for digits in range(5)}
_CURRENCY: Final = re.compile(r"[A-Z]{3}")
# Rounding reads this context, never the thread's: a caller's precision or traps must
# not change (or break) a result.  Any precision: quantizing only adds or drops places.
_ROUNDING: Final = Context(prec=MAX_PREC, rounding=ROUND_HALF_UP, traps=[InvalidOperation])


def minor_unit_digits(currency: str) -> int:
    """Return how many decimal places the currency's minor unit has (``EUR`` 2, ``JPY`` 0)."""
    return _MINOR_UNIT_DIGITS.get(currency, 2)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round ``amount`` to the currency's minor unit, half up (``2.345 EUR`` -> ``2.35``)."""
    return amount.quantize(
        _EXPONENTS[minor_unit_digits(currency)], rounding=ROUND_HALF_UP, context=_ROUNDING
    )


def coerce_amount(value: Amount) -> Decimal:
    """Convert ``value`` to ``Decimal`` when it is a readable amount, else return it as is.

    Used as an attrs converter: the class's validation then reports a value that is
    not an amount with the object's name and the field, which a converter cannot know.
    """
    if type(value) is Decimal:  # the common case, kept fast
        return value
    if isinstance(value, bool):
        return value  # type: ignore[return-value]  # rejected by the class's validation
    try:
        if isinstance(value, float):
            return Decimal(str(value))
        if isinstance(value, int | str | Decimal):
            return Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        pass
    return value  # type: ignore[return-value]  # rejected by the class's validation


def is_amount(value: object) -> bool:
    """Tell whether ``value`` is a finite ``Decimal`` (what a coerced amount must be)."""
    return isinstance(value, Decimal) and value.is_finite()


def is_currency(value: object) -> bool:
    """Tell whether ``value`` reads as an ISO 4217 code: three capital letters (``EUR``)."""
    return isinstance(value, str) and _CURRENCY.fullmatch(value) is not None


def to_amount(value: Amount, what: str = "amount") -> Decimal:
    """Convert ``value`` to a finite ``Decimal`` or raise ``ValidationError`` naming ``what``.

    >>> to_amount("12.50")
    Decimal('12.50')
    >>> to_amount("NaN", "penalties.annual_rate")
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: penalties.annual_rate: not an amount: 'NaN'
    """
    result = coerce_amount(value)
    if not is_amount(result):
        raise ValidationError(f"{what}: not an amount: {value!r}")
    return result


@attrs.frozen(kw_only=True)
class Money:
    """An amount with its currency, as a template shows it (``str`` is locale-neutral).

    >>> str(Money(amount="-1234.5", currency="EUR"))
    '-1,234.50 EUR'
    >>> str(Money(amount=1234, currency="JPY"))
    '1,234 JPY'
    """

    amount: Decimal = attrs.field(converter=coerce_amount)
    currency: str = "EUR"

    def __attrs_post_init__(self) -> None:
        if not is_amount(self.amount):
            raise ValidationError(f"money: amount: not an amount: {self.amount!r}")
        if not is_currency(self.currency):
            raise ValidationError(
                f"money: currency must be an ISO 4217 code like 'EUR', not {self.currency!r}"
            )

    def __str__(self) -> str:
        amount = quantize(self.amount, self.currency)
        if not amount:
            amount = abs(amount)  # no "-0.00"
        return f"{amount:,.{minor_unit_digits(self.currency)}f} {self.currency}"
