"""Per-operation benchmark: each operation on one account against its own floor.

An operation's floor is the least Python must do for the same answer, written in this
script over the same fields with plain tuples: no validation, no records.  For
``record_action``, find the leader (the oldest overdue open item) and the balance, then
build a new account tuple with one more journal event and the same items; for
``apply_status``, rebuild the touched items with their new status fields and the
account around them; for ``create_plan``, that plus the plan, its follow-up action and
two journal events; and so on (each ``floor_*`` function below).  Both are timed in the
same run in CPU time (``time.process_time``, which other processes on a shared machine
do not inflate as they do wall time), best of ``--repeat``, on accounts of realistic
shape (10 to 50 items, a journal, actions, a payment plan), and
the ratio operation / floor is printed with the target (at most 4x).

    python benchmarks/operations.py              # 200 accounts, best of 5
    python benchmarks/operations.py --accounts 50 --repeat 3   # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from collectlib import (
    Account,
    Item,
    aged_balance,
    apply_status,
    create_plan,
    next_action,
    overdue_ratio,
    penalties,
    record_action,
    render,
    review_plan,
    schedule,
    template_context,
)
from collectlib.demo import policy as demo_policy

ON = dt.date(2026, 11, 23)
TARGET = 4.0
FIELDS = (
    "id", "name", "currency", "client_type", "scenario", "collector", "penalties_enabled",
    "group", "credit_limit", "email", "language", "timezone",
)  # fmt: skip
TEMPLATE = (
    "Dear #customer_name, the following items are now due:\n#items_list_overdue\n"
    "Total: #overdue_amount."
)


def build_accounts(count: int, seed: int = 7) -> list[Account]:
    """Accounts of 10-50 items with a journal, actions and a plan, made by the library."""
    rng = random.Random(seed)
    policy = demo_policy()
    accounts = []
    for number in range(count):
        items = []
        for at in range(rng.randint(10, 50)):
            issued = ON - dt.timedelta(days=rng.randint(20, 200))
            amount = Decimal(rng.randint(1_000, 500_000)) / 100
            items.append(
                Item(id=f"F-{number}-{at}", kind="INVOICE", issue_date=issued,
                     due_date=issued + dt.timedelta(days=30), amount=amount, open_amount=amount)
            )  # fmt: skip
        account = Account(
            id=f"C-{number}", name=f"Customer {number}", items=items, penalties_enabled=True
        )
        # A history: a promise, a plan on two items, then the scenario's actions recorded.
        day = ON - dt.timedelta(days=40)
        account = apply_status(account, [items[0].id], "promise", policy, day,
                               promise_date=day + dt.timedelta(days=10))  # fmt: skip
        planned = [items[1].id, items[2].id]
        total = items[1].open_amount + items[2].open_amount
        account = create_plan(account, planned, schedule(total, 3, day), policy, day)
        recorded = 0  # two scenario actions: the scenario has steps left to propose
        for shift in range(40):
            on = day + dt.timedelta(days=shift)
            proposal = next_action(account, policy, on)
            if proposal is not None and recorded < 2:
                account = record_action(account, proposal, policy, on, note="done")
                recorded += 1
        accounts.append(account)
    return accounts


# The floors: the same answers from the same fields, plain tuples, no checks.


def _fields(account: Account) -> tuple[Any, ...]:
    return tuple(getattr(account, name) for name in FIELDS)


def floor_record_action(account: Account, on: dt.date) -> tuple[Any, ...]:
    leader, balance, ids = None, Decimal(0), []
    for item in account.items:
        if item.open_amount and item.due_date < on and item.status is None:
            ids.append(item.id)
            balance += item.open_amount
            if leader is None or item.due_date < leader.due_date:
                leader = item
    event = ("recorded", on, None, "scenario", 0, False, "step", "EMAIL",
             leader and leader.id, frozenset(ids), balance, "done", Decimal(0), False)  # fmt: skip
    journal = (*account.journal, event)
    return (*_fields(account), account.items, account.actions, account.plans, journal)


def _requalified(item: Item, code: str, on: dt.date) -> tuple[Any, ...]:
    return (item.id, item.kind, item.issue_date, item.due_date, item.amount, item.open_amount,
            code, on, "", item.owner, None)  # fmt: skip


def floor_apply_status(account: Account, chosen: frozenset[str], on: dt.date) -> tuple[Any, ...]:
    items = tuple(
        _requalified(item, "ongoing", on) if item.id in chosen else item for item in account.items
    )
    event = ("applied", on, None, chosen, "ongoing", "", None, None)
    journal = (*account.journal, event)
    return (*_fields(account), items, account.actions, account.plans, journal)


def floor_create_plan(account: Account, chosen: frozenset[str], on: dt.date) -> tuple[Any, ...]:
    total = sum((i.open_amount for i in account.items if i.id in chosen), Decimal(0))
    third = (total / 3).quantize(Decimal("0.01"))
    installments = tuple(
        (on + dt.timedelta(days=30 * n), third if n < 2 else total - 2 * third) for n in range(3)
    )
    items = tuple(
        _requalified(item, "payment-plan", on) if item.id in chosen else item
        for item in account.items
    )
    action = ("A9", chosen, "CALL", on, installments[0][0], "OPEN", None, "P9")
    plan = ("P9", chosen, installments, on, total, "A9")
    journal = (
        *account.journal,
        ("applied", on, None, chosen, "payment-plan", "", None, None),
        ("opened", on, None, "A9", chosen),
        ("plan", on, None, "P9", chosen, total, ""),
    )
    return (*_fields(account), items, (*account.actions, action), (*account.plans, plan), journal)


def floor_review_plan(account: Account, plan_id: str, on: dt.date) -> tuple[Any, ...]:
    plan = next(p for p in account.plans if p.id == plan_id)
    paid = sum((plan.total - i.open_amount for i in account.items if i.id in plan.item_ids),
               Decimal(0))  # fmt: skip
    due = [i for i in plan.installments if i.due_on > on]
    event = ("reviewed", on, None, plan_id, paid, due[0].due_on if due else None)
    journal = (*account.journal, event)
    return (*_fields(account), account.items, account.actions, account.plans, journal)


def floor_message(account: Account, on: dt.date) -> str:
    """The same message: the overdue items' table (penalties too), padded, and the total."""
    penalty = dict(floor_penalties(account, on)[0])
    lines = [["Item", "Issued", "Due", "Amount", "Open", "Days late", "Status", "Penalties"]]
    total = penalties_total = Decimal(0)
    for item in sorted(account.items, key=lambda i: (i.due_date, i.issue_date, i.id)):
        if item.open_amount > 0 and item.due_date < on and item.status is None:
            late = penalty[item.id]
            lines.append([
                item.id, item.issue_date.isoformat(), item.due_date.isoformat(),
                f"{item.amount:,.2f} EUR", f"{item.open_amount:,.2f} EUR",
                str((on - item.due_date).days), "", f"{late:,.2f} EUR",
            ])  # fmt: skip
            total += item.open_amount
            penalties_total += late
    lines.append(["Total", "", "", "", f"{total:,.2f} EUR", "", "", f"{penalties_total:,.2f} EUR"])
    widths = [max(len(line[column]) for line in lines) for column in range(8)]
    lines.insert(1, ["-" * width for width in widths])
    table = "\n".join(
        "  ".join(
            cell.rjust(width) if column in {3, 4, 5, 7} else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in lines
    )
    return (
        f"Dear {account.name}, the following items are now due:\n{table}\nTotal: {total:,.2f} EUR."
    )


def floor_penalties(account: Account, on: dt.date) -> tuple[Any, ...]:
    """Each overdue item's interest (a yearly rate, per day late) and recovery cost."""
    rate = Decimal("0.1215") / 365
    rows, total = [], Decimal(0)
    for item in account.items:
        if item.open_amount > 0 and item.due_date < on:
            late = (on - item.due_date).days
            interest = (item.open_amount * rate * late).quantize(Decimal("0.01"))
            rows.append((item.id, interest + 40))
            total += interest + 40
    return tuple(rows), total


def floor_overdue(accounts: list[Account], on: dt.date) -> tuple[Decimal, Decimal]:
    overdue = total = Decimal(0)
    for account in accounts:
        for item in account.items:
            if item.open_amount > 0:
                total += item.open_amount
                if item.due_date < on:
                    overdue += item.open_amount
    return overdue, total


def floor_aged(accounts: list[Account], on: dt.date) -> list[Decimal]:
    buckets = [Decimal(0)] * 5
    for account in accounts:
        for item in account.items:
            late = (on - item.due_date).days
            at = (
                0 if late <= 0 else 1 if late <= 30 else 2 if late <= 60 else 3 if late <= 90 else 4
            )
            buckets[at] += item.open_amount
    return buckets


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def cases(accounts: list[Account]) -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    policy = demo_policy()
    recordable = []  # each account on the first day from ON that the scenario proposes
    for account in accounts:
        for day in (ON + dt.timedelta(days=n) for n in range(90)):
            proposal = next_action(account, policy, day)
            if proposal is not None:
                recordable.append((account, proposal, day))
                break
    # Two open items out of the scenario for apply_status and create_plan (the 4th and 5th).
    chosen = [frozenset(i.id for i in a.items[3:5]) for a in accounts]
    plans = [a.plans[0].id for a in accounts]
    totals = [
        sum((a.item(i).open_amount for i in c), Decimal(0))
        for a, c in zip(accounts, chosen, strict=True)
    ]
    sched = [schedule(t, 3, ON) for t in totals]
    step_template = TEMPLATE
    names = ("customer_name", "items_list_overdue", "overdue_amount")
    pairs = list(zip(accounts, chosen, strict=True))
    # The message's floor writes the very same text: the figures compare like with like.
    for account in accounts:
        context = template_context(account, (), policy, ON, names=names)
        assert floor_message(account, ON) == render(step_template, context), account.id
    planned = list(zip(accounts, chosen, sched, strict=True))
    return {
        "record_action": (
            lambda: [record_action(a, p, policy, d, note="done") for a, p, d in recordable],
            lambda: [floor_record_action(a, d) for a, _, d in recordable],
        ),
        "apply_status": (
            lambda: [apply_status(a, c, "ongoing", policy, ON) for a, c in pairs],
            lambda: [floor_apply_status(a, c, ON) for a, c in pairs],
        ),
        "create_plan": (
            lambda: [create_plan(a, c, s, policy, ON) for a, c, s in planned],
            lambda: [floor_create_plan(a, c, ON) for a, c in pairs],
        ),
        "review_plan": (
            lambda: [review_plan(a, p, policy, ON) for a, p in zip(accounts, plans, strict=True)],
            lambda: [floor_review_plan(a, p, ON) for a, p in zip(accounts, plans, strict=True)],
        ),
        "template_context + render": (
            lambda: [
                render(step_template, template_context(a, (), policy, ON, names=names))
                for a in accounts
            ],
            lambda: [floor_message(a, ON) for a in accounts],
        ),
        "penalties": (
            lambda: [penalties(a, [i.id for i in a.items], policy, ON) for a in accounts],
            lambda: [floor_penalties(a, ON) for a in accounts],
        ),
        "overdue_ratio": (
            lambda: overdue_ratio(accounts, ON),
            lambda: floor_overdue(accounts, ON),
        ),
        "aged_balance": (
            lambda: aged_balance(accounts, ON),
            lambda: floor_aged(accounts, ON),
        ),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", help="one operation's name")
    args = parser.parse_args()
    accounts = build_accounts(args.accounts)
    items = sum(len(a.items) for a in accounts)
    events = sum(len(a.journal) for a in accounts)
    print(
        f"{len(accounts)} accounts, {items} items, {events} journal events; best of {args.repeat}"
    )
    print(f"{'operation':<28}{'µs/account':>12}{'floor µs':>10}{'ratio':>8}  target")
    for name, (operation, floor) in cases(accounts).items():
        if args.only and name != args.only:
            continue
        spent, least = best(operation, args.repeat), best(floor, args.repeat)
        ratio = spent / least
        mark = "ok" if ratio <= TARGET else "OVER"
        print(
            f"{name:<28}{spent / len(accounts) * 1e6:>12.1f}{least / len(accounts) * 1e6:>10.1f}"
            f"{ratio:>7.1f}x  <= {TARGET:.0f}x {mark}"
        )


if __name__ == "__main__":
    main()
