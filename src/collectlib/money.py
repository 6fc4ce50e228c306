"""Amounts of money: ``Decimal`` only, coerced and quantized by stated rules.

Inputs accept ``Decimal``, ``int`` and ``str``; a ``float`` goes through ``str()`` first,
so ``100.1`` becomes ``Decimal("100.1")`` and not the binary approximation.  NaN and the
infinities are not amounts, nor is a number out of the amount range (more than 18 digits
before the decimal point or 18 after it).  Computed amounts are quantized once, to the
currency's minor unit, with ``ROUND_HALF_UP``:

>>> from decimal import Decimal
>>> quantize(Decimal("10.005"), "EUR")
Decimal('10.01')
>>> quantize(Decimal("1234.5"), "JPY")
Decimal('1235')
>>> minor_unit_digits("KWD")
3
>>> to_amount(100.1)
Decimal('100.1')

The library never computes in the caller's decimal context: every public function that
adds, multiplies or rounds amounts runs in ``CONTEXT`` (see ``exact``), so a thread at
``prec=3`` or with the ``Inexact`` trap set gets the same results as any other.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Final, ParamSpec, TypeVar

import attrs

from collectlib._frozen import FrozenMap
from collectlib.errors import ValidationError

__all__ = [
    "CONTEXT",
    "CURRENCIES",
    "MAX_INTEGER_DIGITS",
    "MAX_PLACES",
    "MAX_TOTAL_DIGITS",
    "ZERO",
    "Amount",
    "Money",
    "PerCurrency",
    "amount_problem",
    "coerce_amount",
    "coerce_per_currency",
    "exact",
    "in_currency",
    "is_amount",
    "is_currency",
    "minor_unit_digits",
    "money_text",
    "per_currency_problem",
    "per_currency_text",
    "quantize",
    "quantize_for_people",
    "quantize_in_context",
    "quantize_ratio",
    "read_amount",
    "to_amount",
]

Amount = Decimal | int | str | float
"""What an amount argument accepts; it is stored as ``Decimal``."""

ZERO: Final = Decimal(0)
"""Zero as a ``Decimal``: the start of a sum of amounts."""

MAX_INTEGER_DIGITS: Final = 18
"""An amount has at most 18 digits before the decimal point: ``|amount| < 10**18``."""
MAX_PLACES: Final = 18
"""An amount has at most 18 digits after the decimal point (its exponent is at least -18)."""
MAX_TOTAL_DIGITS: Final = 30
"""A total over a portfolio (a report's tally, sales, receivables) has at most 30 digits
before the decimal point: room for the sum of a million million amounts."""

CONTEXT: Final = Context(
    prec=100,
    rounding=ROUND_HALF_UP,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""The decimal context the library computes in, whatever the caller's (never mutated).

Sums are exact: an amount's digits span at most 18 + 18 places, so a sum of a million
million of them spans 48 and a product of an amount, a rate and a number of days 62,
within the 100 digits of precision (beyond them, only zeros written after the last
digit could be dropped).  A ratio (interest over the days of a year, a total over a
number of installments) is rounded once, exactly, by ``quantize_ratio``; quantizing
names its rounding (``ROUND_HALF_UP``).  Every field is given, none read from
``decimal.DefaultContext``; ``Inexact`` and ``Rounded`` are not trapped.
"""

_P = ParamSpec("_P")
_R = TypeVar("_R")

# ISO 4217 currencies whose minor unit is not the cent.  Every other code has 2 digits.
_MINOR_UNIT_DIGITS: Final = {
    "BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0,
    "JOD": 3, "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0,
    "RWF": 0, "TND": 3, "UGX": 0, "UYI": 0, "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0,
    "XOF": 0, "XPF": 0,
}  # fmt: skip
_EXPONENTS: Final = {digits: Decimal(1).scaleb(-digits) for digits in range(5)}

CURRENCIES: Final = frozenset({
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS",
    "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD",
    "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND",
    "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
})  # fmt: skip
"""The active ISO 4217 currency codes that have a minor unit (list one of the standard).

Not in it: withdrawn codes (``HRK``, ``SLL``, ``ZWL``...), the codes without a minor
unit (gold ``XAU`` and the other metals, the bond-market units, ``XDR``, ``XSU``,
``XUA``), the testing code ``XTS`` and ``XXX`` (no currency).  An account, an amount
with its currency and every ``currency`` argument take one of these.
"""
_PLACES_SCALE: Final = 10**MAX_PLACES
_RANGE: Final = "out of range: at most {} digits before the decimal point and {} after: {}"


def exact(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Make ``function`` compute in the library's decimal context (``CONTEXT``).

    The caller's context is set aside for the call and restored after it, whatever
    happens; ``CONTEXT`` itself is copied, never changed.  Entering costs about half a
    microsecond, so a public function is decorated once and calls undecorated helpers
    inside (nesting is correct, only slower).  A generator function is refused: its
    body would run after the call has returned, in the caller's context.

    >>> from decimal import localcontext
    >>> @exact
    ... def total(amounts):
    ...     return sum(amounts, ZERO)
    >>> with localcontext(prec=2):
    ...     total([Decimal("1234.56"), Decimal("0.01")])
    Decimal('1234.57')
    """
    if inspect.isgeneratorfunction(function):
        raise TypeError(f"exact: {function.__qualname__} is a generator function")

    @functools.wraps(function)
    def in_context(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(CONTEXT):
            return function(*args, **kwargs)

    return in_context


def minor_unit_digits(currency: str) -> int:
    """Return how many decimal places the currency's minor unit has (``EUR`` 2, ``JPY`` 0)."""
    _check_currency("minor_unit_digits", currency)
    return _MINOR_UNIT_DIGITS.get(currency, 2)


@exact
def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round ``amount`` to the currency's minor unit, half up (``2.345 EUR`` -> ``2.35``).

    ``amount`` is any finite number (a ratio may have many decimals); like every amount
    argument it may be given as an ``int``, a ``str`` or a ``float`` too.  One too large
    to write to the minor unit in the library's 100 digits is a ``ValidationError``.
    """
    value: object = coerce_amount(amount)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(f"quantize: amount must be a finite number, not {amount!r}")
    _check_currency("quantize", currency)
    try:
        return quantize_in_context(value, currency)
    except InvalidOperation:
        raise ValidationError(
            f"quantize: amount {value} has too many digits to round to the minor unit"
        ) from None


def quantize_in_context(amount: Decimal, currency: str) -> Decimal:
    """Round like ``quantize``, without entering the library's context: for code already in it.

    For the library's code already running in ``CONTEXT`` (inside an ``exact``
    function), which saves entering it again; anywhere else, call ``quantize``.
    """
    return amount.quantize(_EXPONENTS[_MINOR_UNIT_DIGITS.get(currency, 2)], rounding=ROUND_HALF_UP)


def quantize_for_people(amount: Decimal, currency: str) -> Decimal:
    """Round like ``quantize_in_context``, and never to ``-0``: an amount as a person sees it.

    For code already running in ``CONTEXT``: ``Money`` and ``format_amount`` write this
    (``-0.004 EUR`` shows ``0.00 EUR``, not ``-0.00 EUR``).
    """
    shown = quantize_in_context(amount, currency)
    return shown if shown else abs(shown)  # abs(-0.00) is 0.00


def quantize_ratio(numerator: Decimal | int, denominator: int, currency: str) -> Decimal:
    """Return ``numerator / denominator`` rounded once, half up, to the currency's minor unit.

    ``denominator`` is a positive whole number.  The ratio is exact (whole numbers) until
    that one rounding, so no digit of a long quotient can tip it, and no decimal context
    is read.

    >>> quantize_ratio(Decimal("100.00"), 3, "EUR"), quantize_ratio(Decimal("-0.05"), 2, "EUR")
    (Decimal('33.33'), Decimal('-0.03'))
    """
    digits = _MINOR_UNIT_DIGITS.get(currency, 2)
    top, bottom = numerator.as_integer_ratio()  # exact: numerator == top / bottom
    top *= 10**digits
    bottom *= denominator
    units = (2 * abs(top) + bottom) // (2 * bottom)  # |ratio| in minor units, half up
    return Decimal(f"{-units if top < 0 else units}E-{digits}")


def coerce_amount(value: Amount) -> Decimal:
    """Convert ``value`` to ``Decimal`` when it is a readable amount, else return it as is.

    Used as an attrs converter: the class's validation then reports a value that is
    not an amount (or out of the amount range) with the object's name and the field,
    which a converter cannot know.  Text that does not read as a finite number is
    returned as is, so the message shows it as given, whatever the decimal context.
    """
    if type(value) is Decimal:  # the common case, kept fast
        return value
    if isinstance(value, float):  # a NaN too: the class names it as Decimal('NaN')
        return Decimal(str(value))
    number = read_amount(value)
    return value if number is None else number  # type: ignore[return-value]


def read_amount(value: object) -> Decimal | None:
    """Read an outside value as an amount, or return ``None`` when it is not one.

    The one reading of amounts from outside (records, files, tables, the command
    line): a ``Decimal`` as is, an ``int`` exactly, text with surrounding spaces
    ignored, a ``float`` through ``str()`` (``100.1`` is ``Decimal("100.1")``).  NaN,
    the infinities, ``bool`` and every other type are not amounts.  Whether the amount
    is in range is the record's check (``amount_problem``).

    >>> read_amount(" 12.50 "), read_amount(100.1), read_amount("NaN"), read_amount(True)
    (Decimal('12.50'), Decimal('100.1'), None, None)
    """
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, str):
            # Without the InvalidOperation trap, Decimal() reads bad text as NaN.
            number = Decimal(value.strip())
        elif isinstance(value, float):
            number = Decimal(str(value))
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        else:
            return None
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def amount_problem(value: object, *, total: bool = False) -> str | None:
    """Say why ``value`` is not an amount (a finite ``Decimal`` in range), or return ``None``.

    The range: at most 18 digits before the decimal point and 18 after it (trailing
    zeros after the point do not count: ``12.50000000000000000000`` is ``12.5``), so
    ``999999999999999999.99`` and ``0.000000000000000001`` are amounts, ``1E+18`` and
    ``1E-19`` are not.  A ``total`` over a portfolio may have 30 digits before the point.

    >>> amount_problem(Decimal("1E+18"))
    'out of range: at most 18 digits before the decimal point and 18 after: 1E+18'
    """
    if not isinstance(value, Decimal) or not value.is_finite():
        return f"not an amount: {value!r}"
    digits = MAX_TOTAL_DIGITS if total else MAX_INTEGER_DIGITS
    if not _in_range(value, digits):
        return _RANGE.format(digits, MAX_PLACES, value)
    return None


def _in_range(value: Decimal, digits: int) -> bool:
    """Whether the finite ``value`` has at most ``digits`` digits before the point, 18 after."""
    # adjusted() is the exponent of the first digit (a zero's own exponent): it bounds
    # the size and keeps a tiny exponent away from as_integer_ratio (10**999999 ...).
    # The denominator of the reduced ratio divides 10**18 when the value is a whole
    # number of 10**-18, whatever zeros are written after its last digit.
    return (
        -MAX_PLACES <= value.adjusted() < digits
        and _PLACES_SCALE % value.as_integer_ratio()[1] == 0
    )


def is_amount(value: object) -> bool:
    """Tell whether ``value`` is a finite ``Decimal`` within the amount range."""
    return isinstance(value, Decimal) and value.is_finite() and _in_range(value, MAX_INTEGER_DIGITS)


def is_currency(value: object) -> bool:
    """Tell whether ``value`` is an active ISO 4217 currency code (``EUR``; not ``XYZ``).

    >>> is_currency("KWD"), is_currency("XYZ"), is_currency("eur")
    (True, False, False)
    """
    return isinstance(value, str) and value in CURRENCIES


def _check_currency(what: str, currency: object) -> None:
    """Refuse the argument ``currency`` of ``what`` unless it reads as an ISO 4217 code."""
    if not is_currency(currency):
        raise ValidationError(
            f"{what}: currency must be an ISO 4217 code like 'EUR', not {currency!r}"
        )


def to_amount(value: Amount, what: str = "amount", *, total: bool = False) -> Decimal:
    """Convert ``value`` to an amount or raise ``ValidationError`` naming ``what``.

    An amount is a finite ``Decimal`` with at most 18 digits before the decimal point
    (30 for a ``total`` over a portfolio) and 18 after it.

    >>> to_amount("12.50")
    Decimal('12.50')
    >>> to_amount("NaN", "penalties.annual_rate")
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: penalties.annual_rate: not an amount: 'NaN'
    >>> to_amount("1e999999999", "total")
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: total: out of range: at most 18 digits before the \
decimal point and 18 after: 1E+999999999
    """
    if not isinstance(what, str):
        raise ValidationError(f"to_amount: what must be a string, not {what!r}")
    if type(total) is not bool:
        raise ValidationError(f"to_amount: total must be True or False, not {total!r}")
    result: object = coerce_amount(value)
    problem = amount_problem(result, total=total)
    if problem is not None:
        if not isinstance(result, Decimal) or not result.is_finite():
            problem = f"not an amount: {value!r}"  # as given, not as converted
        raise ValidationError(f"{what}: {problem}")
    return result  # type: ignore[return-value]  # an amount: a Decimal


@attrs.frozen(kw_only=True)
class Money:
    """An amount with its currency, as a template shows it (``str`` is locale-neutral).

    The amount may be a total: up to 30 digits before the decimal point, 18 after.

    >>> str(Money(amount="-1234.5", currency="EUR"))
    '-1,234.50 EUR'
    >>> str(Money(amount=1234, currency="JPY"))
    '1,234 JPY'
    """

    amount: Decimal = attrs.field(converter=coerce_amount)
    currency: str = "EUR"

    def __attrs_post_init__(self) -> None:
        problem = amount_problem(self.amount, total=True)  # an account's total, say
        if problem is not None:
            raise ValidationError(f"money: amount: {problem}")
        if not is_currency(self.currency):
            raise ValidationError(
                f"money: currency must be an ISO 4217 code like 'EUR', not {self.currency!r}"
            )

    @exact
    def __str__(self) -> str:
        return money_text(self.amount, self.currency)


def money_text(amount: Decimal, currency: str) -> str:
    """Return what ``str(Money(amount=amount, currency=currency))`` gives, no ``Money`` built.

    For the library's code already running in ``CONTEXT`` with an amount and a currency
    already valid (a template's table writes three per row): the one way an amount is
    written without a locale.
    """
    shown = quantize_for_people(amount, currency)
    return f"{shown:,.{_MINOR_UNIT_DIGITS.get(currency, 2)}f} {currency}"


PerCurrency = Decimal | FrozenMap[str, Decimal]
"""An amount for every currency, or one per currency (a currency not named: 0)."""


def coerce_per_currency(value: object) -> object:
    """Convert an amount, or a mapping currency -> amount, for a ``PerCurrency`` field.

    Used as an attrs converter; the class reports what is not an amount or a mapping of
    currency codes to amounts.
    """
    if isinstance(value, Mapping):
        return FrozenMap({key: coerce_amount(amount) for key, amount in value.items()})
    return coerce_amount(value)  # type: ignore[arg-type]


def per_currency_problem(value: object, *, minimum: Decimal | None = ZERO) -> str | None:
    """Return what is wrong with a ``PerCurrency`` value, or ``None``."""
    amounts = value.items() if isinstance(value, FrozenMap) else [(None, value)]
    for currency, amount in amounts:
        if currency is not None and not is_currency(currency):
            return f"{currency!r} is not an ISO 4217 code like 'EUR'"
        problem = amount_problem(amount)
        if problem is not None:
            return problem if currency is None else f"{currency}: {problem}"
        if minimum is not None and amount < minimum:  # type: ignore[operator]
            where = "" if currency is None else f" ({currency})"
            return f"must be at least {minimum}{where}, not {amount}"
    return None


def in_currency(value: PerCurrency, currency: str) -> Decimal:
    """Return the amount a ``PerCurrency`` value sets for ``currency`` (0 when not named).

    A rule reads a threshold once per account: ``in_currency(policy.ignore_below,
    account.currency)``.  Where that is the hot loop, test ``type(value) is Decimal``
    first (the usual plain amount) and call this only for a mapping.

    >>> limits = FrozenMap({"EUR": Decimal(50), "JPY": Decimal(5000)})
    >>> in_currency(limits, "JPY"), in_currency(limits, "USD"), in_currency(Decimal(5), "USD")
    (Decimal('5000'), Decimal('0'), Decimal('5'))
    """
    # The plain amount is the common case: tested before an abstract class's slow isinstance.
    if type(value) is Decimal or not isinstance(value, FrozenMap):
        return value
    return value.get(currency, ZERO) or ZERO


def per_currency_text(value: PerCurrency) -> str:
    """Write a ``PerCurrency`` value for people: an amount as given, a mapping as ``Money``.

    >>> per_currency_text(Decimal("50.00")), per_currency_text(FrozenMap({"EUR": Decimal(1000),
    ...     "JPY": Decimal(150_000)}))
    ('50.00', '1,000.00 EUR, 150,000 JPY')
    """
    if isinstance(value, FrozenMap):
        return ", ".join(
            str(Money(amount=amount, currency=currency)) for currency, amount in value.items()
        )
    return str(value)
