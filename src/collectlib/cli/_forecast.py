"""``collectlib forecast`` and the agenda's risk order: the history of paid invoices read."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TextIO

from collectlib.cli._commands import _accounts, _check_options, _policy, _some_account, _tally
from collectlib.cli._paid import Profiles, by_currency
from collectlib.cli._paid import profiles as read_profiles
from collectlib.cli._progress import Progress
from collectlib.cli._writers import count, totals, write_rows
from collectlib.forecast import (
    CashWeek,
    cash_forecast,
    predict_payment,
)
from collectlib.model import Account, Policy
from collectlib.money import ZERO

__all__ = ["forecast_command"]


def forecast_command(args: argparse.Namespace, out: TextIO, progress: Progress) -> None:
    """``collectlib forecast``: the cash expected per week, or each open invoice's prediction."""
    _check_options(args)
    policy = _policy(args)
    accounts, on = _accounts(args, progress)
    collectors: set[str | None] = set()
    groups = by_currency(_tally(accounts, collectors))
    progress.clear()
    _some_account(args, collectors)
    profiles = read_profiles(args, on)
    if args.items:
        _write_predictions(args, groups, profiles, policy, on, out)
        return
    weeks: list[CashWeek] = []
    later: dict[str, Decimal] = {}
    for currency, group in groups.items():
        forecast = cash_forecast(
            group, profiles.by_account, policy, on, args.weeks, profiles.fallback(currency)
        )
        weeks.extend(forecast.rows)
        later.update(forecast.later)
    weeks.sort(key=lambda row: (row.start, row.currency))
    records: list[dict[str, Any]] = [
        {"week": r.week, "start": r.start, "currency": r.currency, "amount": r.amount,
         "items": r.items}
        for r in weeks
    ]  # fmt: skip
    records.extend(
        {"week": "later", "start": None, "currency": currency, "amount": amount, "items": None}
        for currency, amount in sorted(later.items())
    )
    headers = ["week", "start", "currency", "amount", "items"]
    if args.format != "table":
        write_rows(records, args.format, out, headers, set(), args.raw_csv)
        return
    out.write(
        f"Cash forecast on {on} for {count(args.weeks, 'week')}, from "
        f"{count(profiles.paid, 'invoice')} paid before\n\n"
    )
    if not records:
        out.write("no open invoice to collect\n")
        return
    write_rows(records, "table", out, ["week", "start", "amount", "items"], {2, 3})
    expected = totals((row.amount, row.currency) for row in weeks) or "0"
    after = totals((amount, currency) for currency, amount in later.items() if amount)
    later_text = f"{after} later" if after else "nothing later"
    out.write(f"\n{expected} expected in {count(args.weeks, 'week')}, {later_text}\n")


def _write_predictions(
    args: argparse.Namespace,
    groups: Mapping[str, list[Account]],
    profiles: Profiles,
    policy: Policy,
    on: dt.date,
    out: TextIO,
) -> None:
    """``forecast --items``: when each open debit is expected, by expected date."""
    records: list[dict[str, Any]] = []
    for currency, group in groups.items():
        fallback = profiles.fallback(currency)
        for account in group:
            profile = profiles.by_account.get(account.id)
            for item in account.items:
                if item.open_amount <= ZERO:
                    continue
                forecast = predict_payment(item, profile, policy, on, fallback)
                records.append(
                    {"account_id": account.id, "item_id": item.id, "due_date": item.due_date,
                     "expected_on": forecast.expected_on, "days_late": forecast.days_late,
                     "late_probability": round(forecast.late_probability, 3),
                     "basis": forecast.basis, "disputed": forecast.disputed,
                     "amount": item.open_amount, "currency": currency}
                )  # fmt: skip
    records.sort(key=lambda r: (r["expected_on"], r["account_id"], r["item_id"]))
    headers = list(records[0]) if records else ["account_id", "item_id", "expected_on"]
    if args.format != "table":
        write_rows(records, args.format, out, headers, set(), args.raw_csv)
        return
    out.write(
        f"Payment predictions on {on}, from {count(profiles.paid, 'invoice')} paid before\n\n"
    )
    if not records:
        out.write("no open invoice\n")
        return
    for record in records:
        record["late"] = f"{record['late_probability']:.0%}"
        record["disputed"] = "yes" if record["disputed"] else None
    shown = ["expected_on", "days_late", "late", "account_id", "item_id", "due_date", "amount",
             "basis", "disputed"]  # fmt: skip
    if not any(r["disputed"] for r in records):
        shown.remove("disputed")
    write_rows(records, "table", out, shown, {1, 2, 6})
    due = totals((r["amount"], r["currency"]) for r in records)
    out.write(f"\n{count(len(records), 'open invoice')}, {due}\n")
