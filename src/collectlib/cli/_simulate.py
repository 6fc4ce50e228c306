"""``collectlib simulate``: a policy replayed over the portfolio, week by week."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO

from collectlib.cli._commands import _accounts, _check_options, _policy
from collectlib.cli._paid import HALF_LIFE_DAYS, Profiles
from collectlib.cli._progress import Progress
from collectlib.cli._writers import count, totals, write_rows
from collectlib.forecast import (
    PaymentProfile,
    Settlement,
    portfolio_profile,
    settlements_from_journal,
)
from collectlib.io.converters import unstructure
from collectlib.io.files import load_settlements
from collectlib.model import Account, Policy
from collectlib.money import ZERO
from collectlib.portfolio import Behaviour, Simulation, simulate

__all__ = ["DEFAULT_DAYS", "TYPICAL_DELAYS", "simulate_command"]

DEFAULT_DAYS = 91
"""How many days ``simulate`` replays without ``--end``: 13 weeks, a quarter."""

TYPICAL_DELAYS = (-5, 0, 0, 0, 0, 0, 3, 5, 7, 10, 10, 14, 15, 20, 25, 30, 30, 45, 60, 90)
"""Days late of a typical business customer's payments: how customers pay in a simulation
without a history (no ``--history``, no payment in the accounts' journals)."""


def _typical(on: dt.date) -> PaymentProfile:
    """Return the profile of a customer who paid ``TYPICAL_DELAYS``, a year before ``on``."""
    due = on - dt.timedelta(days=365)
    return portfolio_profile(
        [
            Settlement(account_id="typical", item_id=f"T-{n}",
                       issue_date=due - dt.timedelta(days=30), due_date=due,
                       settled_on=due + dt.timedelta(days=late), amount=100)
            for n, late in enumerate(TYPICAL_DELAYS)
        ],
        on,
    )  # fmt: skip


def _behaviour(
    args: argparse.Namespace, accounts: Sequence[Account], policy: Policy, start: dt.date
) -> tuple[Behaviour, str]:
    """Return how the customers pay, and where that comes from (for the heading)."""
    if args.history is not None:
        history: list[Settlement] = list(load_settlements(args.history))
        source = f"the history in {args.history}"
    else:
        history = [s for a in accounts for s in settlements_from_journal(a, policy)]
        source = "the accounts' journals"
    if not any(s.settled_on < start for s in history):
        fallback = _typical(start)
        return Behaviour(fallback=fallback, seed=args.seed), "typical delays (no history)"
    # The same profiles as ``forecast`` and ``agenda --order risk`` (recency-weighted);
    # a simulation's fallback is of one currency: the one most payments are in.
    found = Profiles(history, start, HALF_LIFE_DAYS)
    paid = Counter(s.currency for s in history if s.settled_on < start)
    return (
        Behaviour(
            profiles=found.by_account,
            fallback=found.fallback(paid.most_common(1)[0][0]),
            seed=args.seed,
        ),
        source,
    )


def _weeks(result: Simulation) -> list[dict[str, Any]]:
    """One row per week from the start (and currency): the work, the cash, the receivable."""
    start = result.start
    work: dict[int, Counter[str]] = {}
    for row in result.workload:
        counts = work.setdefault((row.on - start).days // 7, Counter())
        counts.update(performed=row.performed, automatic=row.automatic, waiting=row.waiting)
    cash: dict[tuple[int, str], list[Decimal]] = {}
    for paid in result.cash:
        cash.setdefault(((paid.on - start).days // 7, paid.currency), []).append(paid.amount)
    rows = []
    for point in result.balances:
        week = (point.on - start).days // 7
        counts = work.get(week, Counter())
        rows.append(
            {
                "week": start + dt.timedelta(days=7 * week),
                "performed": counts["performed"],
                "automatic": counts["automatic"],
                "waiting": counts["waiting"],
                "currency": point.currency,
                "cash_in": sum(cash.get((week, point.currency), ()), ZERO),
                "receivables": point.receivables,
                "overdue": point.overdue,
                "dso": None
                if point.dso is None or point.dso.standard is None
                else round(point.dso.standard, 1),
            }
        )
    return rows


def simulate_command(args: argparse.Namespace, out: TextIO, progress: Progress) -> None:
    """``collectlib simulate``: the work, cash and receivable of each week, as a table or data."""
    _check_options(args)
    policy = _policy(args)
    accounts, start = _accounts(args, progress)
    accounts = tuple(accounts)
    end = args.end or start + dt.timedelta(days=DEFAULT_DAYS - 1)
    behaviour, source = _behaviour(args, accounts, policy, start)
    result = simulate(accounts, policy, start, end, behaviour, args.capacity)
    progress.clear()
    if args.format == "json":  # the simulation's figures; the final accounts are left out
        data = unstructure(result)
        del data["accounts"]
        json.dump(data, out, indent=1, ensure_ascii=False)
        out.write("\n")
        return
    rows = _weeks(result)
    columns = ["week", "performed", "automatic", "waiting", "currency", "cash_in",
               "receivables", "overdue", "dso"]  # fmt: skip
    if args.format == "csv":
        write_rows(rows, "csv", out, columns, set(), args.raw_csv)
        return
    capacity = "no limit" if args.capacity is None else f"{args.capacity} a collector a day"
    out.write(
        f"Simulation from {start} to {end}: {count(len(accounts), 'account')}, "
        f"capacity {capacity}, seed {args.seed}, payments drawn from {source}\n\n"
    )
    right = {i for i, h in enumerate(columns) if h not in {"week", "currency"}}
    write_rows(rows, "table", out, columns, right)
    performed = sum(row.performed for row in result.workload)
    automatic = sum(row.automatic for row in result.workload)
    cash_in = totals((paid.amount, paid.currency) for paid in result.cash) or "nothing"
    out.write(
        f"\n{count(performed, 'action')} performed, {count(automatic, 'automatic message')}, "
        f"{cash_in} paid\n"
    )
