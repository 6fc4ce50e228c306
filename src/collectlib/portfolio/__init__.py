"""Whole portfolios: the collection agenda, the reports, and the simulation of a policy."""

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
from collectlib.portfolio.simulation import (
    DEFAULT_RESPONSE,
    BalancePoint,
    Behaviour,
    CashIn,
    Simulation,
    Workload,
    simulate,
)

__all__ = [
    "DEFAULT_RESPONSE",
    "AgedBalance",
    "AgendaEntry",
    "BalancePoint",
    "Behaviour",
    "CashIn",
    "DaysSalesOutstanding",
    "DisputeResolutionTime",
    "OverdueRatio",
    "QualificationRate",
    "SalesPeriod",
    "Simulation",
    "Tally",
    "Workload",
    "aged_balance",
    "agenda",
    "dispute_resolution_time",
    "dso",
    "due_actions",
    "exposure",
    "holds",
    "overdue_ratio",
    "qualification_rate",
    "simulate",
    "sort_agenda",
]
