"""Whole portfolios: the collection agenda and the reports."""

from collectlib.portfolio.agenda import AgendaEntry, agenda, due_actions, sort_agenda
from collectlib.portfolio.exposure import exposure
from collectlib.portfolio.holds import holds
from collectlib.portfolio.reports import (
    AgedBalance,
    DaysSalesOutstanding,
    DisputeResolutionTime,
    OverdueRatio,
    QualificationRate,
    SalesPeriod,
    Tally,
    aged_balance,
    dispute_resolution_time,
    dso,
    overdue_ratio,
    qualification_rate,
)

__all__ = [
    "AgedBalance",
    "AgendaEntry",
    "DaysSalesOutstanding",
    "DisputeResolutionTime",
    "OverdueRatio",
    "QualificationRate",
    "SalesPeriod",
    "Tally",
    "aged_balance",
    "agenda",
    "dispute_resolution_time",
    "dso",
    "due_actions",
    "exposure",
    "holds",
    "overdue_ratio",
    "qualification_rate",
    "sort_agenda",
]
