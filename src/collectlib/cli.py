r"""The ``collectlib`` command: the collection agenda, policy checks, explanations, reports.

    collectlib agenda [PORTFOLIO] [--policy FILE] [--on DATE] [--horizon DAYS]
                      [--collector NAME] [--format table|json|csv]
    collectlib check POLICY
    collectlib next [PORTFOLIO] ACCOUNT [--policy FILE] [--on DATE] [--format table|json]
    collectlib report aged|qualification [PORTFOLIO] [--policy FILE] [--on DATE]
                      [--format table|json|csv]

A CSV PORTFOLIO also takes [--delimiter CHAR] [--column FIELD=NAME]... [--currency CODE];
a JSON PORTFOLIO [--max-size MIB].  ``--format csv`` takes [--raw-csv].

Without a portfolio, the commands run on the demo portfolio and policy shipped with
collectlib, as of the demo's date.  With a portfolio, ``--policy`` is required and
``--on`` defaults to the portfolio's ``as_of`` date, else today.  Exit codes: 0 ok, 1 a
rule, configuration or file error (one line on stderr), 2 a usage error.  ``--debug``
(before or after the command) shows the traceback of an error.

What is printed for people (tables, ``check``, ``next``, errors; CSV too on a terminal)
shows control characters as escapes (``\x1b``), so that no name can drive the
terminal; JSON escapes them as JSON does (``\u001b``).  CSV text cells that a
spreadsheet would run as formulas get a quote in front (``safe_cell``); ``--raw-csv``
writes them as they are.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import re
import sys
from collections.abc import Generator, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, cast

from collectlib import demo
from collectlib.enums import IdleReason
from collectlib.errors import CollectError, LoadError
from collectlib.io.converters import unstructure
from collectlib.io.files import (
    ITEM_COLUMNS,
    PORTFOLIO_MAX_BYTES,
    Portfolio,
    load_policy,
    load_portfolio,
    read_items_csv,
    safe_cell,
)
from collectlib.model import Account, Policy, ScenarioActionRecorded
from collectlib.portfolio import AgendaEntry, aged_balance, agenda, qualification_rate
from collectlib.rules import Explanation, explain

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


def _mebibytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a size in MiB: {text!r}")
    return value


def _column(text: str) -> tuple[str, str]:
    field, equals, name = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"not FIELD=NAME: {text!r}")
    if field not in ITEM_COLUMNS:
        raise argparse.ArgumentTypeError(f"no field {field!r} (fields: {', '.join(ITEM_COLUMNS)})")
    return field, name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="collectlib", description="Receivables collection: agenda, policy checks, reports."
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    # --debug is also accepted after the command; SUPPRESS keeps the one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        made = commands.add_parser(name, help=summary, description=summary, parents=[common])
        made.set_defaults(usage=made)  # a usage error shows the command's own usage
        return made

    def portfolio_options(
        parser: argparse.ArgumentParser, *then: tuple[str, str]
    ) -> argparse.ArgumentParser:
        parser.add_argument(
            "portfolio",
            nargs="?",
            type=Path,
            metavar="PORTFOLIO",
            help="a portfolio JSON file or a CSV of open items (default: the demo portfolio)",
        )
        for name, text in then:  # positionals after the optional portfolio
            parser.add_argument(name, metavar=name.upper(), help=text)
        parser.add_argument(
            "--policy",
            type=Path,
            metavar="FILE",
            help="the policy file, TOML or JSON (needed with PORTFOLIO)",
        )
        parser.add_argument(
            "--on",
            type=_date,
            metavar="DATE",
            help="the date, YYYY-MM-DD (default: the portfolio's, else today)",
        )
        extract = parser.add_argument_group("a CSV of open items (PORTFOLIO.csv)")
        extract.add_argument(
            "--delimiter", metavar="CHAR", help="the column separator (default: ',')"
        )
        extract.add_argument(
            "--column",
            type=_column,
            action="append",
            metavar="FIELD=NAME",
            help="the file's name for a column (repeat for each); fields: "
            + ", ".join(ITEM_COLUMNS),
        )
        extract.add_argument(
            "--currency", metavar="CODE", help="without a currency column (default: EUR)"
        )
        parser.add_argument(
            "--max-size",
            type=_mebibytes,
            metavar="MIB",
            help="the largest JSON portfolio read, in MiB "
            f"(default: {PORTFOLIO_MAX_BYTES // 2**20}; a CSV is streamed)",
        )
        return parser

    def formats(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--format",
            choices=("table", "json", "csv"),
            default="table",
            help="table for people (default), json or csv for programs",
        )
        parser.add_argument(
            "--raw-csv",
            action="store_true",
            help="CSV cells exactly as they are, for programs (by default a cell that a "
            "spreadsheet would run as a formula, like =HYPERLINK(...), starts with a quote)",
        )

    show = portfolio_options(command("agenda", "the actions due across the portfolio"))
    show.add_argument(
        "--horizon", type=_days, default=0, metavar="DAYS", help="also what falls due in DAYS days"
    )
    show.add_argument("--collector", metavar="NAME", help="only this collector's actions")
    formats(show)

    check = command("check", "validate and summarise a policy file")
    check.add_argument("policy_file", type=Path, metavar="POLICY")

    explained = portfolio_options(
        command("next", "explain the next action of one account"), ("account", "the account id")
    )
    explained.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table for people (default), json for programs",
    )

    report = command("report", "portfolio reports")
    report.add_argument("report", choices=("aged", "qualification"))
    portfolio_options(report)
    formats(report)
    return parser


def _progress(accounts: Iterable[Account], stream: TextIO) -> Iterator[Account]:
    """Pass accounts through, telling the items done so far every 100,000 items."""
    done = 0
    mark = _PROGRESS_EVERY
    try:
        for account in accounts:
            done += len(account.items)
            if done >= mark:
                stream.write(f"\r{done:,} items")
                stream.flush()
                mark = done + _PROGRESS_EVERY
            yield account
    finally:  # also when the reader stops early (`next` found its account)
        if done >= _PROGRESS_EVERY:
            stream.write("\n")
            stream.flush()


def _on_terminal() -> bool:
    """Whether progress may be shown: stderr is a terminal, and not one of a CI run."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _inputs(args: argparse.Namespace) -> tuple[Iterable[Account], Policy, dt.date]:
    """Return the accounts (streamed from a CSV), the policy and the date of a command."""
    is_csv = args.portfolio is not None and args.portfolio.suffix.lower() == ".csv"
    if not is_csv and (args.delimiter or args.column or args.currency):
        args.usage.error("--delimiter, --column and --currency apply to a CSV portfolio")
    if args.max_size and (args.portfolio is None or is_csv):
        args.usage.error("--max-size applies to a JSON portfolio")
    if args.portfolio is None:
        policy = load_policy(args.policy) if args.policy else demo.policy()
        return demo.portfolio().accounts, policy, args.on or demo.AS_OF
    if args.policy is None:
        args.usage.error("a portfolio needs its --policy file")
    policy = load_policy(args.policy)
    accounts: Iterable[Account]
    if is_csv:
        accounts = read_items_csv(
            args.portfolio,
            columns=dict(args.column or ()),
            delimiter=args.delimiter or ",",
            currency=args.currency or "EUR",
        )
        on = args.on or dt.date.today()  # the outer ring may read the clock
    else:
        if _on_terminal():
            sys.stderr.write(f"reading {_visible(str(args.portfolio))}\n")
        max_bytes = args.max_size * 2**20 if args.max_size else PORTFOLIO_MAX_BYTES
        portfolio: Portfolio = load_portfolio(args.portfolio, max_bytes=max_bytes)
        accounts = portfolio.accounts
        on = args.on or portfolio.as_of or dt.date.today()
    if _on_terminal():
        accounts = _progress(accounts, sys.stderr)
    return accounts, policy, on


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


# C0 and C1 controls, DEL, and lone surrogates (which no UTF-8 stream can carry)
_UNSEEN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_UNSEEN_BUT_LINES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\ud800-\udfff]")  # what JSON leaves unescaped


def _escaped(match: re.Match[str]) -> str:
    return ascii(match.group())[1:-1]  # '\x1b', '\t', '\ud800': how Python writes them


def _visible(text: str, *, lines: bool = False) -> str:
    r"""Return ``text`` with its control characters shown as escapes (``\x1b``).

    ``lines=True`` keeps line breaks (``\n``), for text of several lines.
    """
    return (_UNSEEN_BUT_LINES if lines else _UNSEEN).sub(_escaped, text)


class _Visible:
    """A text stream for people: control characters reach the terminal as escapes."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(_visible(text, lines=True))

    def flush(self) -> None:
        self._out.flush()


def _csv_cell(value: Any, raw: bool) -> Any:
    """Return a JSON-ready value as a CSV cell: lists space-separated, JSON's booleans.

    Text that a spreadsheet would run as a formula starts with a quote unless ``raw``.
    """
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    elif isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and not raw:
        return safe_cell(value)
    return value


def _write_rows(
    records: list[dict[str, Any]],
    fmt: str,
    out: TextIO,
    headers: Sequence[str],
    right: set[int],
    raw: bool = False,
) -> None:
    """Write rows as JSON or CSV, with the same JSON-ready values, or as a table.

    JSON escapes every control character; CSV cells are made safe unless ``raw``.
    """
    if fmt == "table":
        _table(headers, [[_cell(r.get(h)) for h in headers] for r in records], right, out)
        return
    plain: list[dict[str, Any]] = unstructure(records)
    if fmt == "json":
        text = json.dumps(plain, indent=1, ensure_ascii=False)
        out.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")
        return
    writer = csv.DictWriter(out, fieldnames=list(headers), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _csv_cell(v, raw) for k, v in r.items()} for r in plain)


def _agenda(args: argparse.Namespace, out: TextIO) -> None:
    accounts, policy, on = _inputs(args)
    rows: Iterable[AgendaEntry] = agenda(accounts, policy, on, args.horizon)
    if args.collector:
        rows = [r for r in rows if r.collector == args.collector]
    rows = list(rows)
    records = [r._asdict() for r in rows]
    if args.format != "table":  # for pipes: JSON-ready values, enums by value
        _write_rows(records, args.format, out, list(AgendaEntry._fields), set(), args.raw_csv)
        return
    for record in records:  # for people: lower case words, a count of items
        record["items"] = len(record["item_ids"])
        record["kind"] = record["kind"].value.lower()
        record["channel"] = record["channel"].value.lower()
        record["confirm"] = "yes" if record["needs_confirmation"] else None
    columns = ("due_on", "late_days", "account_id", "collector", "kind", "channel", "name",
               "items", "amount", "arrears", "send_at", "confirm")  # fmt: skip
    optional = {"collector", "arrears", "send_at", "confirm"}  # shown when some row has one
    headers = [h for h in columns if h not in optional or any(r[h] is not None for r in records)]
    right = {i for i, h in enumerate(headers) if h in {"late_days", "items", "amount", "arrears"}}
    out.write(
        f"Collection agenda on {on}" + (f" (+{args.horizon} days)" if args.horizon else "") + "\n\n"
    )
    if not rows:
        out.write("nothing is due\n")
        return
    _write_rows(records, "table", out, headers, right)
    total = sum((r.amount for r in rows), Decimal(0))
    out.write(f"\n{_count(len(rows), 'action')}, {total:,.2f} at stake\n")


def _count(number: int, noun: str) -> str:
    """Return ``number`` and ``noun``, plural unless one: ``1 item``, ``3 items``."""
    return f"{number:,} {noun}{'s' * (number != 1)}"


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
        marks = ["default"] if scenario.name == policy.default_scenario else []
        marks.append(f"new cycles: {scenario.restart.value}")
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
        if scenario.repeat is not None:
            out.write(
                f"    then the last step again every {scenario.repeat.every_days} days, "
                f"at most {_count(scenario.repeat.max_times, 'time')}\n"
            )
        if scenario.steps:
            out.write(
                f"    then a review {scenario.review_after_days} days after the last action\n"
            )
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
    limit = policy.automatic_max_late_days
    if limit is not None:
        out.write(f"automatic messages more than {limit} days late wait for a confirmation\n")


def _some(ids: Sequence[str], shown: int = 6) -> str:
    """Return the first ids joined, and how many more there are."""
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


_IDLE_WHY = {
    IdleReason.NO_SCENARIO: "the policy has no scenario for this account",
    IdleReason.NO_LEADER: "no open debit left in the scenario",
    IdleReason.BELOW_MINIMUM: "the balance is below the policy's minimum amount",
    IdleReason.SCENARIO_COMPLETED: "every step of the scenario is done for this leader",
}


def _next(args: argparse.Namespace, out: TextIO) -> None:
    accounts, policy, on = _inputs(args)
    account = next((a for a in accounts if a.id == args.account), None)
    if isinstance(accounts, Generator):
        accounts.close()  # the rest of the file is not read; progress ends its line
    if account is None:
        where = args.portfolio or "the demo portfolio"
        raise LoadError(f"{where}: no account {args.account!r}")
    why = explain(account, policy, on)
    if args.format == "json":
        json.dump(unstructure(why), out, indent=1, ensure_ascii=False)
        out.write("\n")
        return
    _write_explanation(account, why, out)


def _write_explanation(account: Account, why: Explanation, out: TextIO) -> None:
    """Write ``explain``'s data for a person: one fact a line."""
    write = out.write
    currency = why.currency
    write(f"account {why.account_id} ({account.name}) on {why.on}\n")
    if why.scenario is None:
        write("scenario: none\n")
    else:
        restart = why.restart.value.lower().replace("_", " ") if why.restart else ""
        write(f"scenario: {why.scenario} (new cycles start: {restart})\n")
    write(
        f"items: {len(why.open_item_ids)} open, {len(why.collectable_ids)} in the scenario, "
        f"balance {why.balance:,.2f} {currency}\n"
    )
    by_action: dict[str, list[str]] = {}
    for excluded in why.excluded:
        if excluded.action_id is not None:
            by_action.setdefault(excluded.action_id, []).append(excluded.item_id)
    for action_id, item_ids in by_action.items():
        action = account.action(action_id)
        write(
            f"  out of the scenario: {_some(sorted(item_ids))} held by "
            f"action {action.id} {action.name!r} ({action.channel.value}, "
            f"due {action.due_on})\n"
        )
    for excluded in why.excluded:
        if excluded.status is not None and excluded.action_id is None:
            write(
                f"  out of the scenario: {excluded.item_id} in dispute status "
                f"{excluded.status!r}, with no follow-up action (a review row asks to decide)\n"
            )
    if why.ignored_ids:
        write(f"  ignored (below {why.ignore_below}): {_some(list(why.ignored_ids))}\n")
    leader = why.leader
    if leader is not None:
        write(f"leader: {leader.id}, due {leader.due_date}, open {leader.open_amount:,.2f}\n")
    if why.scenario is not None and leader is not None:
        if why.cycle:
            done = ", ".join(_done(event) for event in why.cycle)
            write(f"cycle: done {done}\n")
        elif why.resumed_from is not None:
            write(
                f"cycle: new, resumed after {_done(why.resumed_from)} "
                f"(this invoice was already overdue and chased)\n"
            )
        else:
            write("cycle: no step done yet for this leader\n")
    proposal = why.proposal
    if proposal is None:
        reason = why.idle_reason
        text = f" ({reason.value}): {_IDLE_WHY[reason]}" if reason else ""
        write(f"next: nothing{text}\n")
        if why.review_due is not None:
            write(
                f"review: decide (litigation, write-off or a specific action), "
                f"due {why.review_due}\n"
            )
        return
    late = f", {proposal.late_days} days late" if proposal.late_days else ""
    again = f" repeat {proposal.repeat}" if proposal.repeat else ""
    write(
        f"next: step {proposal.step_index} {proposal.step.name!r}{again} "
        f"({proposal.step.channel.value}, {proposal.step.trigger}) due {proposal.due_on}{late}\n"
    )
    if proposal.send_at is not None:
        write(f"sent automatically at {proposal.send_at:%Y-%m-%d %H:%M}\n")
    elif proposal.automatic and proposal.needs_confirmation:
        write("automatic, to be confirmed by a person before it goes out\n")
    write(
        f"about: {_count(len(proposal.item_ids), 'item')}, "
        f"balance {proposal.balance:,.2f} {currency}\n"
    )


def _done(event: ScenarioActionRecorded) -> str:
    again = f" repeat {event.repeat}" if event.repeat else ""
    return f"step {event.step_index} ({event.step_name!r}){again} on {event.on}"


def _report(args: argparse.Namespace, out: TextIO) -> None:
    accounts, _policy, on = _inputs(args)
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
    _write_rows(records, args.format, out, headers, set(), args.raw_csv)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 error, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    out = out or sys.stdout
    if getattr(args, "format", "table") == "table" or out.isatty():
        # for people: every command's text goes through here, so no value that a file
        # holds can send escape sequences to a terminal
        out = cast("TextIO", _Visible(out))
    # The records hold no reference cycles: reference counting frees them, and the cyclic
    # collector would only walk millions of live items again and again.  A program may
    # decide this for itself; the library never does.  A caller of main() gets its
    # collector back as it was.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if args.command == "agenda":
            _agenda(args, out)
        elif args.command == "check":
            _check(args, out)
        elif args.command == "next":
            _next(args, out)
        else:
            _report(args, out)
    except CollectError as error:
        if args.debug:
            raise
        sys.stderr.write(f"collectlib: error: {_visible(str(error))}\n")
        return 1
    except MemoryError:  # a portfolio larger than this machine's memory
        if args.debug:
            raise
        sys.stderr.write("collectlib: error: out of memory\n")
        return 1
    except BrokenPipeError:  # pragma: no cover - `collectlib agenda | head`
        return 0
    finally:
        if collecting:
            gc.enable()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
