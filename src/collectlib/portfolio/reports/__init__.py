"""Portfolio reports: qualification rate, aged balance, overdue ratio, dispute time, DSO.

Every report but DSO is a pure function over any iterable of accounts, read once, one
account at a time: memory grows with what the report keeps (collectors and statuses,
or one line per account for the aged balance), never with the number of items.

The reports describe the **whole receivable**: every open item counts, whether or not
the scenario works on it (items in a specific action, items below
``policy.ignore_below``).  So the aged balance's total is not ``balance()``, which
is the scenario's balance.  Overdue means what ``Item.is_overdue`` says: an open
debit whose due date is before the report date.

Reports take accounts in several currencies and keep one figure per currency, never
a sum across currencies: a report of amounts over one currency holds its figures
itself (``report.currency``); over several, ``report.by_currency`` (also
``for_currency(code)``) gives each currency's report, equal to the report over that
currency's accounts alone, and an amount of the whole is a ``RuleViolation``.  The
dispute resolution time counts days, not money: one figure for every currency.
Reports over parts of a portfolio combine with ``merge`` (or ``+``) into the report
over the whole, so they can be computed per partition.  Sums are exact, whatever the
caller's decimal context (they run in ``money.CONTEXT``).  ``rows()`` gives plain dicts
for a CSV writer or a data frame.  The definitions, with examples, are in
``docs/explanation/kpis.md``.
"""

from collectlib.portfolio.reports.aged import AgedBalance, aged_balance
from collectlib.portfolio.reports.days_sales_outstanding import (
    DaysSalesOutstanding,
    SalesPeriod,
    dso,
)
from collectlib.portfolio.reports.disputes import DisputeResolutionTime, dispute_resolution_time
from collectlib.portfolio.reports.overdue import OverdueRatio, overdue_ratio
from collectlib.portfolio.reports.qualification import QualificationRate, Tally, qualification_rate

__all__ = [
    "AgedBalance",
    "DaysSalesOutstanding",
    "DisputeResolutionTime",
    "OverdueRatio",
    "QualificationRate",
    "SalesPeriod",
    "Tally",
    "aged_balance",
    "dispute_resolution_time",
    "dso",
    "overdue_ratio",
    "qualification_rate",
]
