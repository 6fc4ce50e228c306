"""Message benchmark: one message for one account of 2,000, 20,000 and 200,000 items.

Each case is ``template_context`` then ``render`` of one message, best of ``--repeat``,
on a fresh account each time (so the item index is built inside the timing, as for a
message sent once): an action's message about *one* selected item, and a scenario
message about *all* the collectable items (a proposal's ``item_ids``), each with only
the hashtags its template uses (``names=``) and with the full context.  Penalties are
enabled, some items are disputed, promised or in a specific action.  The agenda of one
account whose every open invoice is in a payment plan is timed too.  Every step must be
linear in the account's size: the ratios between sizes are printed (target: 10x the
items, at most 12x the time).

    python benchmarks/account_size.py                      # 2k, 20k, 200k items
    python benchmarks/account_size.py --sizes 2000 20000   # a quick look
    python benchmarks/account_size.py --no-gc              # the code alone, without the GC
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import inspect
import itertools
import random
import time
from collections.abc import Callable
from decimal import Decimal

from collectlib import (
    Account,
    ActionTemplate,
    Channel,
    Installment,
    Item,
    ItemKind,
    PaymentPlan,
    PenaltyRule,
    Policy,
    SpecificAction,
    Status,
    agenda,
    check_template,
    collectable_items,
    render,
    template_context,
)

ON = dt.date(2026, 11, 23)
ONE = (
    "Dear #customer_name, about #items_list_selected: "
    "#items_amount_selected_include_late_penalties."
)
ALL = (
    "Dear #customer_name, the following items are now due:\n#items_list_overdue\n"
    "Total: #overdue_amount (with late penalties #items_amount_overdue_include_late_penalties)."
)
# Before ``names=`` (the code this benchmark first measured) every value was computed.
HAS_NAMES = "names" in inspect.signature(template_context).parameters


def build_policy() -> Policy:
    dispute = Status(
        code="dispute",
        category="DISPUTE",
        action=ActionTemplate(name="check the price", channel=Channel.CALL),
    )
    promise = Status(code="promise", category="PROMISE")
    return Policy(
        statuses=[dispute, promise],
        penalties=PenaltyRule(annual_rate="0.1215", recovery_cost=40),
        ignore_below=5,
    )


def build_items(count: int, seed: int = 7) -> list[Item]:
    """``count`` items: invoices (some paid, some partly), credit notes, statuses."""
    rng = random.Random(seed)
    dates = [ON - dt.timedelta(days=offset) for offset in range(-60, 400)]
    items = []
    for line in range(count):
        issue = rng.choice(dates)
        amount = Decimal(rng.randrange(100, 500_000)).scaleb(-2)
        kind = ItemKind.INVOICE
        if rng.random() < 0.05:
            kind, amount = ItemKind.CREDIT_NOTE, -amount
        roll = rng.random()
        open_amount = Decimal(0) if roll < 0.2 else amount
        status = "dispute" if 0.2 <= roll < 0.22 else "promise" if 0.22 <= roll < 0.25 else None
        items.append(
            Item(id=f"F-{line:07d}", kind=kind, issue_date=issue,
                 due_date=issue + dt.timedelta(days=30), amount=amount,
                 open_amount=open_amount, status=status)
        )  # fmt: skip
    return items


def build_account(items: list[Item]) -> Account:
    """A fresh account (no item index yet), a tenth of its open items in one action."""
    held = frozenset(item.id for item in items[::10] if item.is_open)
    action = SpecificAction(
        id="A1", name="call", channel=Channel.CALL, item_ids=held, due_on=ON, created_on=ON
    )
    return Account(id="C-1", name="Big customer", penalties_enabled=True, items=items,
                   actions=[action])  # fmt: skip


def planned_account(items: list[Item]) -> Account:
    """A fresh account whose open invoices are each in a payment plan of their own."""
    invoices = [
        item for item in items if item.kind is ItemKind.INVOICE and item.is_open and not item.status
    ]
    actions, plans = [], []
    for number, item in enumerate(invoices):
        actions.append(
            SpecificAction(id=f"A{number}", name="check the installment", channel=Channel.CALL,
                           item_ids={item.id}, due_on=ON, created_on=ON, plan_id=f"P{number}")
        )  # fmt: skip
        plans.append(
            PaymentPlan(id=f"P{number}", item_ids={item.id}, created_on=ON,
                        installments=[Installment(due_on=ON, amount=item.open_amount)],
                        total=item.open_amount, action_id=f"A{number}")
        )  # fmt: skip
    return Account(id="C-1", items=items, actions=actions, plans=plans)


def message(
    items: list[Item], policy: Policy, template: str, own: Callable[[Account], list[str]], *,
    only_used: bool,
) -> Callable[[], str]:  # fmt: skip
    names = check_template(template) if only_used and HAS_NAMES else None

    def run() -> str:
        account = build_account(items)
        ids = own(account)
        if names is None:
            values = template_context(account, ids, policy, ON)
        else:
            values = template_context(account, ids, policy, ON, names=names)
        return render(template, values)

    return run


def best(run: Callable[[], object], repeat: int, *, collect: bool = True) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        if not collect:
            gc.disable()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="pause the cyclic garbage collector while timing: its passes over the "
        "account's items grow with the heap, and hide how the code itself scales",
    )
    args = parser.parse_args()
    policy = build_policy()

    def one(account: Account) -> list[str]:
        return [next(item.id for item in account.items if item.is_open)]

    def collectable(account: Account) -> list[str]:
        return [item.id for item in collectable_items(account, policy)]

    cases = {
        "one item, used hashtags": (ONE, one, True),
        "one item, full context": (ONE, one, False),
        "all items, used hashtags": (ALL, collectable, True),
        "all items, full context": (ALL, collectable, False),
    }
    if not HAS_NAMES:
        cases = {name: case for name, case in cases.items() if not case[2]}
    figures: dict[str, list[float]] = {name: [] for name in cases}
    figures["agenda, a plan per invoice"] = []
    build: list[float] = []
    for size in args.sizes:
        items = build_items(size)
        collect = not args.no_gc
        build.append(best(lambda: build_account(items), args.repeat, collect=collect))  # noqa: B023
        for name, (template, own, only_used) in cases.items():
            run = message(items, policy, template, own, only_used=only_used)
            figures[name].append(best(run, args.repeat, collect=collect))
        planned = planned_account(items)
        figures["agenda, a plan per invoice"].append(
            best(lambda: agenda([planned], policy, ON), args.repeat, collect=collect)  # noqa: B023
        )
    width = max(map(len, figures))
    heading = "".join(f"{size:>12,}" for size in args.sizes)
    ratios = "".join(f"{f'x{b}/x{a}':>12}" for a, b in itertools.pairwise(args.sizes))
    print(f"{'items in the account':<{width}}{heading}   time ratios{ratios}")
    for name, times in [("Account(...) alone", build), *figures.items()]:
        cells = "".join(f"{seconds:>11.3f}s" for seconds in times)
        steps = "".join(f"{b / a:>12.1f}" for a, b in itertools.pairwise(times))
        print(f"{name:<{width}}{cells}   {'':11}{steps}")


if __name__ == "__main__":
    main()
