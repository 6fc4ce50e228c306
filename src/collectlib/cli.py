"""The ``collectlib`` command: the collection agenda, policy checks, explanations, reports.

    collectlib agenda [PORTFOLIO] [--policy FILE] [--on DATE] [--horizon DAYS]
                      [--collector NAME] [--format table|json|csv]
    collectlib check POLICY
    collectlib next PORTFOLIO ACCOUNT [--policy FILE] [--on DATE]
    collectlib report aged|qualification [PORTFOLIO] [--policy FILE] [--on DATE]
                      [--format table|json|csv]

Without a portfolio, the commands run on the demo portfolio and policy shipped with
collectlib, as of the demo's date.  With a portfolio, ``--policy`` is required and
``--on`` defaults to the portfolio's ``as_of`` date, else today.  Exit codes: 0 ok, 1 a
rule, configuration or file error (one line on stderr), 2 a usage error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from collectlib import demo
from collectlib.errors import CollectError, LoadError
from collectlib.io.converters import unstructure
from collectlib.io.files import Portfolio, load_policy, load_portfolio, read_items_csv
from collectlib.model import Account, Policy, ScenarioActionRecorded
from collectlib.portfolio import AgendaEntry, aged_balance, agenda, qualification_rate
from collectlib.rules import idle_reason, leader_invoice, next_action, scenario_for
from collectlib.rules.dunning import last_cycle_action

__all__ = ["main"]

_PROGRESS_EVERY = 100_000


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="collectlib", description="Receivables collection: agenda, policy checks, reports."
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def portfolio_options(command: argparse.ArgumentParser, *, optional: bool = True) -> None:
        command.add_argument(
            "portfolio",
            nargs="?" if optional else None,
            type=Path,
            help="a portfolio JSON file or a CSV of open items (default: the demo portfolio)",
        )
        command.add_argument("--policy", type=Path, help="the policy file (TOML or JSON)")
        command.add_argument("--on", type=_date, help="the date (YYYY-MM-DD)")

    show = commands.add_parser("agenda", help="the actions due across the portfolio")
    portfolio_options(show)
    show.add_argument("--horizon", type=_days, default=0, help="also what falls due in DAYS days")
    show.add_argument("--collector", help="only this collector's actions")
    show.add_argument("--format", choices=("table", "json", "csv"), default="table")

    check = commands.add_parser("check", help="validate and summarise a policy file")
    check.add_argument("policy_file", type=Path, metavar="POLICY")

    explain = commands.add_parser("next", help="explain the next action of one account")
    explain.add_argument("portfolio", type=Path)
    explain.add_argument("account", help="the account id")
    explain.add_argument("--policy", type=Path)
    explain.add_argument("--on", type=_date)

    report = commands.add_parser("report", help="portfolio reports")
    report.add_argument("report", choices=("aged", "qualification"))
    portfolio_options(report)
    report.add_argument("--format", choices=("table", "json", "csv"), default="table")
    return parser


def _progress(accounts: Iterable[Account], stream: TextIO) -> Iterator[Account]:
    """Pass accounts through, telling the items read on a terminal every 100,000 items."""
    read = 0
    mark = _PROGRESS_EVERY
    for account in accounts:
        read += len(account.items)
        if read >= mark:
            stream.write(f"\r{read:,} items read")
            stream.flush()
            mark = read + _PROGRESS_EVERY
        yield account
    if read >= _PROGRESS_EVERY:
        stream.write("\n")


def _inputs(
    args: argparse.Namespace, parser: argparse.ArgumentParser
) -> tuple[Iterable[Account], Policy, dt.date]:
    """Return the accounts (streamed from a CSV), the policy and the date of a command."""
    if args.portfolio is None:
        policy = load_policy(args.policy) if args.policy else demo.policy()
        return demo.portfolio().accounts, policy, args.on or demo.AS_OF
    if args.policy is None:
        parser.error("a portfolio needs its --policy file")
    policy = load_policy(args.policy)
    accounts: Iterable[Account]
    if args.portfolio.suffix.lower() == ".csv":
        accounts = read_items_csv(args.portfolio)
        on = args.on or dt.date.today()  # the outer ring may read the clock
        if sys.stderr.isatty():
            accounts = _progress(accounts, sys.stderr)
        return accounts, policy, on
    portfolio: Portfolio = load_portfolio(args.portfolio)
    return portfolio.accounts, policy, args.on or portfolio.as_of or dt.date.today()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, frozenset | tuple | list):
        return " ".join(sorted(str(v) for v in value))
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int], out: TextIO
) -> None:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out.write(line(headers) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    for row in rows:
        out.write(line(row) + "\n")


def _write_rows(
    records: list[dict[str, Any]], fmt: str, out: TextIO, headers: Sequence[str], right: set[int]
) -> None:
    if fmt == "json":
        json.dump(records, out, indent=1, ensure_ascii=False, default=str)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(
            out, fieldnames=list(headers), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(
            {k: _cell(v) if not isinstance(v, Decimal) else str(v) for k, v in r.items()}
            for r in records
        )
    else:
        _table(headers, [[_cell(r.get(h)) for h in headers] for r in records], right, out)


def _agenda(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> None:
    accounts, policy, on = _inputs(args, parser)
    rows: Iterable[AgendaEntry] = agenda(accounts, policy, on, args.horizon)
    if args.collector:
        rows = [r for r in rows if r.collector == args.collector]
    rows = list(rows)
    if args.format == "json":
        json.dump(unstructure(rows), out, indent=1, ensure_ascii=False)
        out.write("\n")
        return
    records = [r._asdict() for r in rows]
    for record in records:
        record["items"] = len(record["item_ids"])
        record["kind"] = record["kind"].value.lower()
        record["channel"] = record["channel"].value.lower()
    if args.format == "csv":
        _write_rows(records, "csv", out, list(AgendaEntry._fields), set())
        return
    headers = [
        "due_on",
        "late_days",
        "account_id",
        "collector",
        "kind",
        "channel",
        "name",
        "items",
        "amount",
        "arrears",
    ]
    if any(r.send_at for r in rows):
        headers.append("send_at")
    out.write(
        f"Collection agenda on {on}" + (f" (+{args.horizon} days)" if args.horizon else "") + "\n\n"
    )
    _write_rows(records, "table", out, headers, {1, 7, 8, 9})
    total = sum((r.amount for r in rows), Decimal(0))
    out.write(f"\n{len(rows)} actions, {total:,.2f} at stake\n")


def _check(args: argparse.Namespace, out: TextIO) -> None:
    policy = load_policy(args.policy_file)
    out.write(f"{args.policy_file}: a valid policy (format 1)\n\n")
    out.write(f"statuses ({len(policy.statuses)}):\n")
    for status in policy.statuses:
        action = ""
        if status.action:
            follow = status.action
            action = f" -> {follow.name} ({follow.channel.value}, +{follow.delay_days} d)"
        out.write(f"  {status.code:20} {status.category.value:17} {status.label}{action}\n")
    out.write(f"scenarios ({len(policy.scenarios)}):\n")
    for scenario in policy.scenarios:
        marks = [
            m
            for m, on in (
                ("default", scenario.name == policy.default_scenario),
                ("catch-up", scenario.catch_up),
            )
            if on
        ]
        types = [t for t, s in policy.scenario_by_client_type.items() if s == scenario.name]
        if types:
            marks.append("client types: " + ", ".join(types))
        out.write(f"  {scenario.name}" + (f" ({'; '.join(marks)})" if marks else "") + "\n")
        for index, step in enumerate(scenario.steps):
            mode = (
                " automatic" + (" (to be confirmed)" if step.to_be_confirmed else "")
                if step.automatic
                else ""
            )
            out.write(f"    {index}. {step.name}: {step.channel.value}, {step.trigger}{mode}\n")
    out.write(
        f"minimum amount: {policy.minimum_amount}; ignore debits below: {policy.ignore_below}\n"
    )
    if policy.quick_promise:
        out.write(
            f"quick promise: {policy.quick_promise.status}, D+{policy.quick_promise.delay_days}\n"
        )
    if policy.dispute_resolved_status:
        out.write(f"dispute resolved status: {policy.dispute_resolved_status}\n")
    if policy.penalties:
        p = policy.penalties
        out.write(f"penalties: {p.annual_rate} a year ({p.year_days} days), ")
        out.write(f"recovery cost {p.recovery_cost}\n")
    if policy.sending_window:
        w = policy.sending_window
        slots = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in w.slots)
        out.write(f"sending window: weekdays {sorted(w.weekdays)}, {slots}\n")


def _next(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> None:
    accounts, policy, on = _inputs(args, parser)
    account = next((a for a in accounts if a.id == args.account), None)
    if account is None:
        raise LoadError(f"{args.portfolio}: no account {args.account!r}")
    scenario = scenario_for(account, policy)
    leader = leader_invoice(account, policy)
    out.write(f"account {account.id} ({account.name}) on {on}\n")
    out.write(f"scenario: {scenario.name if scenario else 'none'}\n")
    if leader is not None:
        out.write(f"leader: {leader.id}, due {leader.due_date}, open {leader.open_amount:,.2f}\n")
    if scenario is not None and leader is not None:
        last: ScenarioActionRecorded | None = last_cycle_action(
            account.journal, scenario.name, leader.id
        )
        if last is None:
            out.write("cycle: no action done yet for this leader\n")
        else:
            out.write(
                f"cycle: last done step {last.step_index} ({last.step_name!r}) on {last.on}\n"
            )
    proposal = next_action(account, policy, on)
    if proposal is None:
        reason = idle_reason(account, policy, on)
        out.write(f"next: nothing ({reason.value if reason else ''})\n")
        return
    late = f", {proposal.late_days} days late" if proposal.late_days else ""
    out.write(
        f"next: step {proposal.step_index} {proposal.step.name!r} ({proposal.step.channel.value}, "
        f"{proposal.step.trigger}) due {proposal.due_on}{late}\n"
    )
    out.write(f"about: {len(proposal.item_ids)} items, balance {proposal.balance:,.2f}\n")


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> None:
    accounts, _policy, on = _inputs(args, parser)
    if args.report == "aged":
        aged = aged_balance(accounts, on)
        records = aged.rows()
        if args.format == "table":
            labels = list(aged.total)
            table = [
                [a, *[_cell(amounts[label]) for label in labels]]
                for a, amounts in aged.by_account.items()
            ]
            table.append(["total", *[_cell(aged.total[label]) for label in labels]])
            out.write(f"Aged balance on {on}\n\n")
            _table(["account", *labels], table, set(range(1, len(labels) + 1)), out)
            return
    else:
        rate = qualification_rate(accounts, on)
        records = rate.rows()
        if args.format == "table":
            out.write(f"Qualification of overdue items on {on}\n\n")
            count = "-" if rate.rate_by_count is None else f"{rate.rate_by_count:.1%}"
            amount = "-" if rate.rate_by_amount is None else f"{rate.rate_by_amount:.1%}"
            out.write(f"overdue: {rate.overdue_count} items, {rate.overdue_amount:,.2f}\n")
            out.write(f"qualified: {rate.qualified_count} items, {rate.qualified_amount:,.2f}\n")
            out.write(f"rate: {count} by count, {amount} by amount\n\n")
            headers = list(records[0]) if records else []
            _table(headers, [[_cell(r[h]) for h in headers] for r in records], set(), out)
            return
    headers = list(records[0]) if records else []
    _write_rows(records, args.format, out, headers, set())


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 error, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    out = out or sys.stdout
    # The records hold no reference cycles: reference counting frees them, and the cyclic
    # collector would only walk millions of live items again and again.  A program may
    # decide this for itself; the library never does.
    gc.disable()
    try:
        if args.command == "agenda":
            _agenda(args, parser, out)
        elif args.command == "check":
            _check(args, out)
        elif args.command == "next":
            _next(args, parser, out)
        else:
            _report(args, parser, out)
    except CollectError as error:
        if args.debug:
            raise
        sys.stderr.write(f"collectlib: error: {error}\n")
        return 1
    except BrokenPipeError:  # pragma: no cover - `collectlib agenda | head`
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
