"""What the portfolio reports share: the merge protocol, one figure per currency, ratios."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, TypeVar

from collectlib._checks import check_currency, fail
from collectlib._frozen import FrozenMap
from collectlib.errors import RuleViolation

Row = dict[str, Any]
"""One row of a report's ``rows()``: column name to a plain value."""

_R = TypeVar("_R", bound="Report")
_C = TypeVar("_C", bound="CurrencyReport")


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


class CurrencyReport(Report):
    """A report of amounts: one currency's figures, or one such report per currency.

    Amounts of two currencies are never added.  A report over accounts in one currency
    (or none) holds its figures itself, in ``currency``; over several, ``currency`` is
    ``None``, ``parts`` holds each currency's report, and reading an amount of the whole
    is a ``RuleViolation`` that says where to read it: ``for_currency(code)``, or
    ``by_currency``, which every report has.
    """

    __slots__ = ()
    _parameters: ClassVar[tuple[str, ...]]
    """The fields two reports must share to merge: the date and the parameters."""
    currency: str | None
    parts: FrozenMap[str, Any]

    def _check_currencies(self) -> None:
        """Check ``currency`` and ``parts``: each part a one-currency report of the same kind."""
        if self.currency is not None:
            check_currency(self._what, "currency", self.currency)
        if not isinstance(self.parts, FrozenMap):
            fail(self._what, f"parts must be a mapping currency -> report, not {self.parts!r}")
        if not self.parts:
            return
        if self.currency is not None or len(self.parts) < 2:
            fail(self._what, "parts are for a report in two currencies or more, with currency None")
        for currency, part in self.parts.items():
            if type(part) is not type(self) or part.currency != currency or part.parts:
                fail(self._what, f"parts[{currency!r}] must be its {currency} report, not {part!r}")
            self._check_mergeable(part, *self._parameters)

    @property
    def by_currency(self: _C) -> FrozenMap[str, _C]:
        """The report of each currency's accounts, codes sorted (``{currency: self}`` for one)."""
        if self.parts:
            return self.parts
        return FrozenMap() if self.currency is None else FrozenMap({self.currency: self})

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies of the accounts, sorted (none for a report over no account)."""
        return tuple(self.by_currency)

    def for_currency(self: _C, currency: str) -> _C:
        """Return the report over the accounts in ``currency`` (with no figure when none is)."""
        check_currency("for_currency", "currency", currency)
        part = self.by_currency.get(currency)
        return self._empty(currency) if part is None else part

    def _one_currency(self, figure: str) -> None:
        """Refuse to read the amount ``figure`` of a report over several currencies."""
        if self.parts:
            codes = list(self.parts)
            raise RuleViolation(
                f"{self._what}: the accounts are in {', '.join(codes[:-1])} and {codes[-1]}, "
                f"and amounts of two currencies are never added: read {figure} in each, "
                f"e.g. report.for_currency({codes[0]!r}).{figure}"
            )

    def _empty(self: _C, currency: str | None) -> _C:  # pragma: no cover - every report has it
        """Return the report over no account in ``currency``, with this one's parameters."""
        raise NotImplementedError

    def _merge_one(self: _C, other: _C) -> _C:  # pragma: no cover - every report has it
        """Return the report over both reports' accounts, both in the same one currency."""
        raise NotImplementedError

    def _several(self: _C, parts: FrozenMap[str, _C]) -> _C:  # pragma: no cover - idem
        """Return the report over two currencies or more, from each currency's report."""
        raise NotImplementedError

    def _of(self: _C, parts: Mapping[str, _C]) -> _C:
        """Return the report of ``parts`` (currency -> report): none, one currency's, or several."""
        if not parts:
            return self._empty(None)
        if len(parts) == 1:
            return next(iter(parts.values()))
        return self._several(FrozenMap(dict(sorted(parts.items()))))

    def merge(self: _C, other: _C) -> _C:
        """Return the report over both reports' accounts: per currency, never across.

        Both must have the same date and parameters; a report over no account merges
        with any.
        """
        self._check_mergeable(other, *self._parameters)
        parts = dict(self.by_currency)
        for currency, part in other.by_currency.items():
            mine = parts.get(currency)
            parts[currency] = part if mine is None else mine._merge_one(part)
        return self._of(parts)


def to_parts(value: object) -> object:
    """Convert a mapping currency -> report to a ``FrozenMap``, codes sorted (an attrs converter).

    What is not a mapping of codes is returned as is, for the report to refuse.
    """
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return FrozenMap(dict(sorted(value.items())))
    return value


def ratio_of(part: Decimal | int, whole: Decimal | int) -> float | None:
    """Return ``part / whole`` as a float rounded once from the exact ratio; None if whole is 0."""
    if not whole:
        return None
    return float(Fraction(part) / Fraction(whole))
