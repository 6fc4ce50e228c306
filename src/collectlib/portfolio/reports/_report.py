"""What the portfolio reports share: the merge protocol, the one-currency rule, ratios."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, TypeVar

from collectlib._checks import fail
from collectlib.model import Account

Row = dict[str, Any]
"""One row of a report's ``rows()``: column name to a plain value."""

_R = TypeVar("_R", bound="Report")


class Report:
    """What the portfolio reports share: ``a + b`` is ``a.merge(b)``."""

    __slots__ = ()
    _what: ClassVar[str]
    """How error messages name the report."""

    def merge(self: _R, other: _R) -> _R:  # pragma: no cover - every report defines it
        raise NotImplementedError

    def __add__(self: _R, other: _R) -> _R:
        if type(other) is not type(self):
            return NotImplemented
        return self.merge(other)

    def _check_mergeable(self, other: Report, *fields: str) -> None:
        """Check that both reports have the same ``fields`` (their date and parameters)."""
        for field in fields:
            mine, theirs = getattr(self, field), getattr(other, field)
            if mine != theirs:
                fail(self._what, f"cannot merge reports whose {field} differ: {mine} and {theirs}")


def merged_currency(what: str, mine: str | None, theirs: str | None) -> str | None:
    """Return the currency of a merged report; two different ones do not merge."""
    if mine is not None and theirs is not None and mine != theirs:
        fail(what, f"cannot merge a report in {mine} with one in {theirs}")
    return mine if mine is not None else theirs


def same_currency(what: str, currency: str | None, account: Account) -> str:
    """Return the account's currency, checking that the accounts before it had it too."""
    if currency is not None and account.currency != currency:
        fail(
            what,
            f"account {account.id!r} is in {account.currency}, the accounts before it in "
            f"{currency}: report one currency at a time",
        )
    return account.currency


def ratio_of(part: Decimal | int, whole: Decimal | int) -> float | None:
    """Return ``part / whole`` as a float rounded once from the exact ratio; None if whole is 0."""
    if not whole:
        return None
    return float(Fraction(part) / Fraction(whole))
