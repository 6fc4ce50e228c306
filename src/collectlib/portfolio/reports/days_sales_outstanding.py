"""Days sales outstanding, by the standard and the count-back methods."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs

from collectlib._checks import check_amount, check_instances, check_int, check_text, fail, to_tuple
from collectlib.money import ZERO, Amount, coerce_amount, exact, to_amount
from collectlib.portfolio.reports._report import Row

__all__ = ["DaysSalesOutstanding", "SalesPeriod", "dso"]


@attrs.frozen(kw_only=True)
class SalesPeriod:
    """The credit sales (tax included) of one period, usually a month, and its length in days.

    ``sales`` is a total: up to 30 digits before the decimal point, 18 after.

    >>> SalesPeriod.month(2026, 2, "800000.00")
    SalesPeriod(days=28, sales=Decimal('800000.00'), label='2026-02')
    """

    days: int
    sales: Decimal = attrs.field(converter=coerce_amount)
    label: str = ""

    def __attrs_post_init__(self) -> None:
        owner = f"sales period {self.label!r}" if self.label else "sales period"
        check_int(owner, "days", self.days, minimum=1)
        check_amount(owner, "sales", self.sales, minimum=ZERO, total=True)
        check_text(owner, "label", self.label)

    @classmethod
    def month(cls, year: int, month: int, sales: Amount) -> SalesPeriod:
        """Return the period of a calendar month, labelled ``YYYY-MM``, with its true length."""
        for field, value, last in (("year", year, dt.MAXYEAR), ("month", month, 12)):
            if type(value) is not int or not 1 <= value <= last:
                fail("sales period", f"{field} must be 1 to {last}, not {value!r}")
        return cls(
            days=calendar.monthrange(year, month)[1], sales=sales, label=f"{year:04d}-{month:02d}"
        )


@attrs.frozen(kw_only=True)
class DaysSalesOutstanding:
    """Days sales outstanding by the standard and the count-back methods.

    ``standard`` is ``receivables / sales * days`` over all the periods given.
    ``count_back`` walks back from the last period, taking each period's sales off the
    receivables and counting its days, until the receivables are used up (the last
    period counts pro rata).  ``current`` is the count-back of the receivables not yet
    due, ``overdue`` the rest: ``count_back - current``.  Days are floats, ``None``
    when undefined: ``standard`` with no sales at all, a count-back when the sales of
    all the periods do not cover the receivables (the DSO is then longer than the
    ``days`` of history given).  Built by ``dso``.
    """

    receivables: Decimal
    overdue_receivables: Decimal
    sales: Decimal
    """The sales of all the periods."""
    days: int
    """The days of all the periods."""
    standard: float | None
    count_back: float | None
    current: float | None
    overdue: float | None

    def rows(self) -> list[Row]:
        """One row: every field, by name."""
        return [attrs.asdict(self, recurse=False)]


def _count_back(receivables: Decimal, periods: tuple[SalesPeriod, ...]) -> Fraction | None:
    remaining = Fraction(receivables)
    days = Fraction(0)
    for period in reversed(periods):
        if not remaining:
            return days
        sales = Fraction(period.sales)
        if remaining >= sales:
            remaining -= sales
            days += period.days
        else:
            return days + remaining / sales * period.days
    return None if remaining else days


@exact
def dso(
    receivables: Amount, sales: Iterable[SalesPeriod], *, overdue_receivables: Amount = 0
) -> DaysSalesOutstanding:
    """Return the DSO of ``receivables`` against the credit sales of the periods before them.

    ``sales`` are the periods oldest first, the last one ending on the date of the
    receivables.  ``overdue_receivables`` is the overdue part of the receivables, for
    the current / overdue split (``overdue_ratio`` gives both figures).  Accounts hold
    no sales, so the caller passes them in.

    The count-back example of https://support.benjipays.com/support/solutions/articles/\
150000179580-mastering-dso-calculation-the-count-back-method-explained
    (receivables 212,000; three months of 30 days with sales of 70,000, 80,000 and
    100,000): 30 + 30 + 32,000 / 70,000 * 30 = 73.7 days.

    >>> months = [SalesPeriod(days=30, sales=s) for s in (70_000, 80_000, 100_000)]
    >>> report = dso(212_000, months, overdue_receivables=112_000)
    >>> round(report.count_back, 1), round(report.standard, 1)
    (73.7, 76.3)
    >>> report.current, round(report.overdue, 1)
    (30.0, 43.7)
    """
    owner = "dso"
    amount = to_amount(receivables, "dso: receivables", total=True)
    overdue = to_amount(overdue_receivables, "dso: overdue_receivables", total=True)
    check_amount(owner, "receivables", amount, minimum=ZERO, total=True)
    check_amount(owner, "overdue_receivables", overdue, minimum=ZERO, total=True)
    if overdue > amount:
        fail(owner, f"overdue_receivables {overdue} exceed receivables {amount}")
    periods = to_tuple(sales)
    check_instances(owner, "sales", periods, SalesPeriod)
    if not periods:
        fail(owner, "sales must hold at least one period")
    total_sales = sum((period.sales for period in periods), ZERO)
    total_days = sum(period.days for period in periods)
    count_back = _count_back(amount, periods)
    current = _count_back(amount - overdue, periods)
    return DaysSalesOutstanding(
        receivables=amount,
        overdue_receivables=overdue,
        sales=total_sales,
        days=total_days,
        standard=(
            float(Fraction(amount) / Fraction(total_sales) * total_days) if total_sales else None
        ),
        count_back=None if count_back is None else float(count_back),
        current=None if current is None else float(current),
        overdue=None if count_back is None or current is None else float(count_back - current),
    )
