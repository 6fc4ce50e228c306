"""The commands: read the inputs, call the library, hand the results to the writers."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import Any, TextIO

from collectlib import demo
from collectlib.cli._paid import risk_agenda
from collectlib.cli._parser import CSV_OPTIONS, is_csv, is_stdin
from collectlib.cli._progress import Progress, lines_after_header
from collectlib.cli._writers import (
    amount,
    cell,
    count,
    table,
    totals,
    visible,
    write_rows,
)
from collectlib.enums import IdleReason
from collectlib.errors import LoadError
from collectlib.hashtags import check_template
from collectlib.io.converters import agenda_records, unstructure
from collectlib.io.files import (
    PORTFOLIO_MAX_BYTES,
    Portfolio,
    load_policy,
    load_portfolio,
    read_items_csv,
)
from collectlib.model import Account, Policy, RateTimeline, ScenarioActionRecorded
from collectlib.money import per_currency_text
from collectlib.portfolio import (
    AgedBalance,
    AgendaEntry,
    aged_balance,
    agenda,
    exposure,
    holds,
    qualification_rate,
)
from collectlib.rules import Explanation, Proposal, explain, render, template_context

__all__ = ["agenda_command", "check_command", "next_command", "report_command"]


def _policy(args: argparse.Namespace) -> Policy:
    """Return the command's policy: ``--policy``, else the demo's without a portfolio."""
    if args.policy is not None:
        return load_policy(args.policy)
    if args.portfolio is not None:
        args.usage.error("a portfolio needs its --policy file")
    return demo.policy()


def _check_options(args: argparse.Namespace) -> None:
    """Refuse the options of another kind of portfolio (a usage error)."""
    csv = is_csv(args)
    if not csv and any(getattr(args, option) for option in CSV_OPTIONS):
        args.usage.error(
            "--delimiter, --column, --currency, --decimal-comma, --date-format and "
            "--encoding apply to a CSV portfolio"
        )
    if args.max_size and (args.portfolio is None or csv):
        args.usage.error("--max-size applies to a JSON portfolio")


def _accounts(args: argparse.Namespace, progress: Progress) -> tuple[Iterable[Account], dt.date]:
    """Return the accounts (streamed from a CSV, counted on a terminal) and the date."""
    if args.portfolio is None:
        return demo.portfolio().accounts, args.on or demo.AS_OF
    if is_csv(args):
        accounts = read_items_csv(
            args.portfolio,
            columns=dict(args.column or ()),
            delimiter=args.delimiter or ",",
            currency=args.currency or "EUR",
            decimal_comma=args.decimal_comma,
            date_format=args.date_format,
            encoding=args.encoding or "utf-8",
        )
        counted = progress.shown and not is_stdin(args)
        total = lines_after_header(args.portfolio) if counted else None
        on = args.on or dt.date.today()  # the outer ring may read the clock
        return progress.count(accounts, total), on
    progress.note(f"reading {visible(str(args.portfolio))}")
    max_bytes = args.max_size * 2**20 if args.max_size else PORTFOLIO_MAX_BYTES
    portfolio: Portfolio = load_portfolio(args.portfolio, max_bytes=max_bytes)
    total = sum(len(a.items) for a in portfolio.accounts) if progress.shown else None
    on = args.on or portfolio.as_of or dt.date.today()
    return progress.count(portfolio.accounts, total), on


def _tally(accounts: Iterable[Account], collectors: set[str | None]) -> Iterator[Account]:
    """Pass accounts through, noting each one's collector (an empty set: no account)."""
    for account in accounts:
        collectors.add(account.collector)
        yield account


def _some_account(args: argparse.Namespace, collectors: set[str | None]) -> None:
    """Refuse an input without accounts: its report or agenda would say nothing true."""
    if not collectors:
        raise LoadError(f"{_name(args)}: no account")


def _name(args: argparse.Namespace) -> str:
    """How messages name the portfolio: its path, or ``<stdin>``."""
    return "<stdin>" if is_stdin(args) else str(args.portfolio)


def _warn_no_collector(name: str, collectors: set[str | None]) -> None:
    """Say on stderr that nobody is called ``name``, and who is (a typo, most often)."""
    named = sorted(c for c in collectors if c is not None)
    present = f"collectors: {', '.join(named)}" if named else "the portfolio names no collector"
    sys.stderr.write(
        f"collectlib: warning: {visible(f'no collector named {name!r} in the portfolio')}"
        f" ({visible(present)})\n"
    )


def agenda_command(args: argparse.Namespace, out: TextIO, progress: Progress) -> None:
    """``collectlib agenda``: the actions due, as a table, JSON or CSV."""
    _check_options(args)
    policy = _policy(args)
    accounts, on = _accounts(args, progress)
    limits = None
    if not is_csv(args):  # in memory (a CSV gives no credit limit, so no group hold)
        accounts = tuple(accounts)
        if any(account.credit_limit is not None for account in accounts):
            limits = exposure(accounts, on)  # the group holds of the `hold` column
    collectors: set[str | None] = set()
    if args.order == "risk":
        rows = risk_agenda(args, _tally(accounts, collectors), policy, on, args.horizon, limits)
    else:
        if args.history is not None or args.half_life is not None:
            args.usage.error("--history and --half-life apply to --order risk")
        rows = agenda(_tally(accounts, collectors), policy, on, args.horizon, limits)
    progress.clear()
    _some_account(args, collectors)
    if args.collector:  # after the agenda: a policy may give a row its collector
        collectors.update(row.collector for row in rows)
        rows = tuple(row for row in rows if row.collector == args.collector)
        if args.collector not in collectors:
            _warn_no_collector(args.collector, collectors)
    records = agenda_records(rows)
    if args.format != "table":  # for pipes: JSON-ready values, enums by value
        write_rows(records, args.format, out, list(AgendaEntry._fields), set(), args.raw_csv)
        return
    for record in records:  # for people: lower case words, a count of items
        record["items"] = len(record["item_ids"])
        record["kind"] = record["kind"].lower()
        record["channel"] = record["channel"].lower()
        record["confirm"] = "yes" if record["needs_confirmation"] else None
        record["hold"] = "yes" if record["on_hold"] else None
    columns = ("due_on", "late_days", "account_id", "collector", "kind", "channel", "name",
               "items", "amount", "arrears", "send_at", "confirm", "hold")  # fmt: skip
    optional = {"collector", "arrears", "send_at", "confirm", "hold"}  # shown when a row has one
    headers = [h for h in columns if h not in optional or any(r[h] is not None for r in records)]
    right = {i for i, h in enumerate(headers) if h in {"late_days", "items", "amount", "arrears"}}
    out.write(
        f"Collection agenda on {on}"
        + (f" (+{args.horizon} days)" if args.horizon else "")
        + (", the most at risk first" if args.order == "risk" else "")
        + "\n\n"
    )
    if not rows:
        out.write("nothing is due\n")
        return
    write_rows(records, "table", out, headers, right)
    at_stake = totals((row.amount, row.currency) for row in rows)
    out.write(f"\n{count(len(rows), 'action')}, {at_stake} at stake\n")


def check_command(args: argparse.Namespace, out: TextIO, progress: Progress) -> None:
    """``collectlib check``: validate a policy file and summarise it."""
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
                f"at most {count(scenario.repeat.max_times, 'time')}\n"
            )
        if scenario.steps:
            out.write(
                f"    then a review {scenario.review_after_days} days after the last action\n"
            )
    out.write(
        f"minimum amount: {per_currency_text(policy.minimum_amount)}; "
        f"ignore debits below: {per_currency_text(policy.ignore_below)}\n"
    )
    if policy.quick_promise:
        out.write(
            f"quick promise: {policy.quick_promise.status}, D+{policy.quick_promise.delay_days}\n"
        )
    if policy.dispute_resolved_status:
        out.write(f"dispute resolved status: {policy.dispute_resolved_status}\n")
    if policy.penalties:
        p = policy.penalties
        rate = p.annual_rate
        if isinstance(rate, RateTimeline):
            out.write(f"penalties: a yearly rate of {rate} ({p.year_days} days), ")
        else:
            out.write(f"penalties: {rate} a year ({p.year_days} days), ")
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
    IdleReason.PAUSED: "the account is paused",
}


def next_command(args: argparse.Namespace, out: TextIO, progress: Progress) -> None:
    """``collectlib next``: explain one account's next action (and its message)."""
    _check_options(args)
    if args.locale is not None and not args.message:
        args.usage.error("--locale applies to --message")
    policy = _policy(args)
    accounts, on = _accounts(args, progress)
    account = next((a for a in accounts if a.id == args.account), None)
    if isinstance(accounts, Generator):
        accounts.close()  # the rest of the file is not read
    progress.clear()
    if account is None:
        where = _name(args) if args.portfolio else "the demo portfolio"
        raise LoadError(f"{where}: no account {args.account!r}")
    why = explain(account, policy, on)
    message = _message(account, policy, on, why.proposal, args.locale) if args.message else None
    if args.format == "json":
        data = unstructure(why)
        if args.message:
            data["message"] = message
        json.dump(data, out, indent=1, ensure_ascii=False)
        out.write("\n")
        return
    _write_explanation(account, why, out)
    if args.message:
        proposal = why.proposal
        if proposal is None or message is None:
            out.write("message: none (no next action, or one without a message)\n")
            return
        channel = (proposal.channel or proposal.step.channel).value
        language = f"language {account.language}" if account.language else "no language"
        out.write(f"message ({channel}, {language}):\n")
        out.write("".join(f"  {line}\n" for line in message.splitlines()))


def _message(
    account: Account, policy: Policy, on: dt.date, proposal: Proposal | None, locale: str | None
) -> str | None:
    """Return the message of ``proposal``: its template's text for the account's language.

    ``locale`` formats amounts and dates (``"account"``: the account's language, when it
    has one); without it they are locale-neutral.
    """
    if proposal is None or proposal.template is None:
        return None
    if locale == "account":
        locale = account.language
    names = check_template(proposal.template)
    context = template_context(account, proposal.item_ids, policy, on, names=names)
    return render(proposal.template, context, locale=locale)


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
        f"balance {amount(why.balance, currency)}\n"
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
        write(
            f"  ignored (below {amount(why.ignore_below, currency)}): "
            f"{_some(list(why.ignored_ids))}\n"
        )
    if why.collector is not None and account.collector is None:
        write(f"collector: {why.collector} (by the policy's collector rules)\n")
    if why.credit_hold is not None:
        hold = why.credit_hold
        write(
            f"on credit hold: {hold.reason}, {amount(hold.amount, currency)} overdue "
            f"({_some(sorted(hold.item_ids))}); block new orders and deliveries\n"
        )
    if why.paused_until is not None:
        write(f"paused until {why.paused_until}: the scenario goes on then where it was\n")
    leader = why.leader
    if leader is not None:
        write(
            f"leader: {leader.id}, due {leader.due_date}, "
            f"open {amount(leader.open_amount, currency)}\n"
        )
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
    for index, reason_skipped in why.skipped:
        write(f"skipped: step {index}, its condition does not hold: {reason_skipped}\n")
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
    if proposal.channel is not None and proposal.channel is not proposal.step.channel:
        write(f"on {proposal.channel.value} instead: the account has no e-mail address\n")
    if proposal.send_at is not None:
        zone = f" {proposal.send_at.tzinfo}" if proposal.send_at.tzinfo is not None else ""
        write(f"sent automatically at {proposal.send_at:%Y-%m-%d %H:%M}{zone}\n")
    elif proposal.automatic and proposal.needs_confirmation:
        write("automatic, to be confirmed by a person before it goes out\n")
    write(
        f"about: {count(len(proposal.item_ids), 'item')}, "
        f"balance {amount(proposal.balance, currency)}\n"
    )


def _percent(rate: float | None) -> str:
    """Write a rate as a percentage, ``-`` when it is undefined (nothing to divide)."""
    return "-" if rate is None else f"{rate:.1%}"


def _write_exposure(
    args: argparse.Namespace,
    accounts: Iterable[Account],
    collectors: set[str | None],
    on: dt.date,
    out: TextIO,
    progress: Progress,
) -> None:
    """``collectlib report exposure``: what each group owes, by currency, against its limit."""
    report = exposure(accounts, on)
    progress.clear()
    _some_account(args, collectors)
    records = report.rows()
    if args.format != "table":
        write_rows(records, args.format, out, list(records[0]), set(), args.raw_csv)
        return
    out.write(f"Exposure by group on {on}: over the credit limit, every account is on hold\n\n")
    headers = ["group", "accounts", "balance", "overdue", "not_due", "credits", "credit_limit",
               "over_limit"]  # fmt: skip
    cells = [
        [
            r["group"],
            str(r["accounts"]),
            *(cell(r[h], r["currency"]) for h in headers[2:7]),
            "yes" if r["over_limit"] else "",
        ]
        for r in records
    ]
    table(headers, cells, set(range(1, 7)), out)
    over = sum(1 for r in records if r["over_limit"])
    out.write(f"\n{count(len(report.by_group), 'group')}, {over} over the limit\n")


def _done(event: ScenarioActionRecorded) -> str:
    again = f" repeat {event.repeat}" if event.repeat else ""
    return f"step {event.step_index} ({event.step_name!r}){again} on {event.on}"


def report_command(args: argparse.Namespace, out: TextIO, progress: Progress) -> None:
    """``collectlib report``: the aged balance or the qualification rate (no policy needed)."""
    _check_options(args)
    if args.buckets is not None and args.report != "aged":
        args.usage.error("--buckets applies to the aged report")
    if args.policy is not None:
        load_policy(args.policy)  # checked, so that a wrong file is not passed over
    accounts, on = _accounts(args, progress)
    collectors: set[str | None] = set()
    accounts = _tally(accounts, collectors)
    if args.report == "holds":
        rules = (
            load_policy(args.policy)
            if args.policy is not None
            else demo.policy()
            if args.portfolio is None
            else Policy()  # the holds are in the accounts' journals
        )
        held = holds(accounts, rules, on)
        progress.clear()
        _some_account(args, collectors)
        records: list[dict[str, Any]] = [
            {
                "account_id": hold.account_id,
                "since": hold.since,
                "amount": hold.amount,
                "currency": hold.currency,
                "item_ids": hold.item_ids,
                "reason": hold.reason,
            }
            for hold in held
        ]
        if args.format == "table":
            out.write(f"Accounts on credit hold on {on}: block new orders and deliveries\n\n")
            if not records:
                out.write("no account is on hold\n")
                return
            headers = ["account_id", "since", "amount", "items", "reason"]
            cells = [
                [r["account_id"], str(r["since"] or ""), cell(r["amount"], r["currency"]),
                 str(len(r["item_ids"])), r["reason"]]
                for r in records
            ]  # fmt: skip
            table(headers, cells, {2, 3}, out)
            return
        headers = list(records[0]) if records else ["account_id", "since", "amount", "item_ids"]
        write_rows(records, args.format, out, headers, set(), args.raw_csv)
        return
    if args.report == "exposure":
        _write_exposure(args, accounts, collectors, on, out, progress)
        return
    if args.report == "aged":
        aged = (
            aged_balance(accounts, on)
            if args.buckets is None
            else aged_balance(accounts, on, args.buckets)
        )
        progress.clear()
        _some_account(args, collectors)
        records = aged.rows()
        if args.format == "table":
            labels = list(aged.labels)
            # each currency's accounts, then its total; no account: one empty total row
            parts: dict[str | None, AgedBalance] = dict(aged.by_currency.items())
            if not parts:
                parts[None] = aged
            rows: list[list[str]] = []
            for currency, part in parts.items():
                rows.extend(
                    [a, *[amount(amounts[label], currency) for label in labels]]
                    for a, amounts in part.by_account.items()
                )
                total = "total" if len(parts) == 1 else f"total {currency}"
                rows.append([total, *[amount(part.total[label], currency) for label in labels]])
            out.write(f"Aged balance on {on}\n\n")
            table(["account", *labels], rows, set(range(1, len(labels) + 1)), out)
            return
    else:
        rate = qualification_rate(accounts, on)
        progress.clear()
        _some_account(args, collectors)
        records = rate.rows()
        if args.format == "table":
            out.write(f"Qualification of overdue items on {on}\n\n")
            rates = rate.by_currency
            overdue = totals((part.overdue_amount, c) for c, part in rates.items()) or "0"
            qualified = totals((part.qualified_amount, c) for c, part in rates.items()) or "0"
            by_amount = ", ".join(
                _percent(part.rate_by_amount) + (f" ({c})" if len(rates) > 1 else "")
                for c, part in rates.items()
            )
            out.write(f"overdue: {count(rate.overdue_count, 'item')}, {overdue}\n")
            out.write(f"qualified: {count(rate.qualified_count, 'item')}, {qualified}\n")
            out.write(
                f"rate: {_percent(rate.rate_by_count)} by count, {by_amount or '-'} by amount\n\n"
            )
            # the date and the currency are above and in every amount
            headers = [h for h in (records[0] if records else ()) if h not in {"on", "currency"}]
            cells = [[cell(r[h], r["currency"]) for h in headers] for r in records]
            right = {i for i, h in enumerate(headers) if h in {"count", "amount"}}
            table(headers, cells, right, out)
            return
    headers = list(records[0]) if records else []
    write_rows(records, args.format, out, headers, set(), args.raw_csv)
