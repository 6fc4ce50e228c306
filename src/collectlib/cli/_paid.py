"""The history of paid invoices the forecast and the agenda's risk order read."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Mapping

from collectlib import demo
from collectlib.forecast import PaymentProfile, Settlement, payment_profiles, portfolio_profile
from collectlib.io.files import load_settlements
from collectlib.model import Account, Policy
from collectlib.portfolio import AgendaEntry, agenda
from collectlib.rules import Exposure

__all__ = ["HALF_LIFE_DAYS", "Profiles", "by_currency", "profiles", "risk_agenda"]

HALF_LIFE_DAYS = 90
"""The profiles' half-life by default: what ``benchmarks/forecast.py --tune`` chose."""


def _history(args: argparse.Namespace) -> tuple[Settlement, ...]:
    """Return ``--history``, else the demo's without a portfolio."""
    if args.history is not None:
        return load_settlements(args.history)
    if args.portfolio is not None:
        args.usage.error("a portfolio needs its --history file (the invoices paid before)")
    return demo.history()


class Profiles:
    """Each account's payment profile, and each currency's portfolio profile (fallback)."""

    def __init__(self, settlements: Iterable[Settlement], on: dt.date, half_life: int) -> None:
        settlements = tuple(settlements)
        self.by_account: Mapping[str, PaymentProfile] = payment_profiles(settlements, on, half_life)
        by_currency: dict[str, list[Settlement]] = {}
        for settlement in settlements:
            by_currency.setdefault(settlement.currency, []).append(settlement)
        self.fallbacks = {
            currency: portfolio_profile(group, on, half_life)
            for currency, group in by_currency.items()
        }
        self.paid = sum(1 for s in settlements if s.settled_on < on)
        if not self.paid:
            sys.stderr.write(
                f"collectlib: warning: no invoice paid before {on} in the history: every "
                "invoice is expected on its due date\n"
            )

    def fallback(self, currency: str) -> PaymentProfile | None:
        """Return the portfolio's profile in ``currency``, when the history has some."""
        return self.fallbacks.get(currency)


def by_currency(accounts: Iterable[Account]) -> dict[str, list[Account]]:
    """Return the accounts by currency, the currencies in alphabetical order."""
    groups: dict[str, list[Account]] = {}
    for account in accounts:
        groups.setdefault(account.currency, []).append(account)
    return dict(sorted(groups.items()))


def profiles(args: argparse.Namespace, on: dt.date) -> Profiles:
    return Profiles(_history(args), on, args.half_life or HALF_LIFE_DAYS)


def risk_agenda(
    args: argparse.Namespace,
    accounts: Iterable[Account],
    policy: Policy,
    on: dt.date,
    horizon: int,
    limits: Exposure | None,
) -> tuple[AgendaEntry, ...]:
    """``agenda --order risk``: each currency's agenda ranked with its portfolio's fallback.

    The risk order ranks within each currency, the currencies in alphabetical order,
    so the agendas of each currency's accounts, one after the other, are the agenda.
    """
    read = profiles(args, on)
    rows: list[AgendaEntry] = []
    for currency, group in by_currency(accounts).items():
        rows.extend(
            agenda(group, policy, on, horizon, limits, order="risk",
                   profiles=read.by_account, fallback=read.fallback(currency))
        )  # fmt: skip
    return tuple(rows)
