"""Agenda benchmark: the agenda of 1M items against the least any Python code must do.

The floor reads every item's due date (``min`` per account), builds one tuple per
account and sorts them: no rule at all.  Both are timed in the same run, best of
``--repeat``, and the ratio agenda / floor is printed, so the figure does not depend
on how fast this machine is today; then both again with the cycle collector paused (as
the command line runs them): the rows are containers kept alive, so past a point the
collector makes a full pass over every live account during the agenda, which the floor's
plain tuples of a date and a string never cause.  They are timed in CPU time
(``time.process_time``), which other processes on a shared machine do not inflate as they
do wall time.  Build
time and memory per item are reported too, and the memory the agenda's rows keep per row
(both with ``tracemalloc`` over a 1 % sample, which tracing would slow down).

    python benchmarks/agenda.py                 # 100,000 accounts x 10 items
    python benchmarks/agenda.py --accounts 2000 # a quick look
    python benchmarks/agenda.py --disputed 0.02 # 2 % of the items disputed, unfollowed
    python benchmarks/agenda.py --cadence       # the cadence rules too (conditions, fees...)

The policy has the trust rules in the hot path (a dispute status, so every item's
status is read; escalation memory; review rows; the automatic lateness limit).  By
default 0.5 % of the items arrive from the ERP in a dispute status with nobody
following them up, each giving its account a review row.  ``--cadence`` adds the cadence
rules of a demanding credit department: a condition on the formal notice, a fee, a credit
hold, contact spacing, a letter when there is no e-mail address (half the customers have
none), and collectors assigned by rules.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from collectlib import (
    Account,
    ActionTemplate,
    CollectorRule,
    Condition,
    Fallback,
    Fee,
    Item,
    ItemKind,
    Policy,
    Scenario,
    Status,
    Step,
    Trigger,
    agenda,
)

ON = dt.date(2026, 11, 23)


def build_policy(*, cadence: bool = False) -> Policy:
    if cadence:  # a condition, a fee, a credit hold, a letter for customers without e-mail
        notice = {
            "when": Condition(min_balance=500, min_days_late=30),
            "fee": Fee(fixed=40),
            "credit_hold": True,
        }
        fallback = {"fallback": Fallback(channel="LETTER", template="#items_list_overdue")}
    else:
        notice, fallback = {}, {}
    steps = (
        Step(name="courtesy e-mail", channel="EMAIL", template="#items_list_overdue",
             trigger=Trigger.leader_due(1), automatic=True, **fallback),
        Step(name="call", channel="CALL", trigger=Trigger.leader_due(15)),
        Step(name="letter", channel="LETTER", template="#items_list_overdue",
             trigger=Trigger.after_last_action(10)),
        Step(name="formal notice", channel="REGISTERED_LETTER", template="#total_due",
             trigger=Trigger.leader_due(45), **notice),
    )  # fmt: skip
    # The trust rules in the hot path: a dispute status (excluded items, disputes without
    # follow-up), escalation memory, review rows, the automatic lateness limit.
    dispute = Status(
        code="price-dispute",
        category="DISPUTE",
        action=ActionTemplate(name="check the price", channel="CALL", delay_days=7),
    )
    return Policy(
        statuses=[dispute],
        scenarios=[Scenario(name="standard", steps=steps, restart="RESUME", review_after_days=7)],
        default_scenario="standard",
        minimum_amount=50,
        ignore_below=5,
        automatic_max_late_days=30,
        min_days_between_contacts=7 if cadence else 0,
        collector_rules=(
            [CollectorRule(collector="senior", min_balance=20_000),
             CollectorRule(collector="junior")] if cadence else []
        ),
    )  # fmt: skip


def build_accounts(
    count: int, items_per_account: int, seed: int = 7, disputed_share: float = 0.005
) -> list[Account]:
    rng = random.Random(seed)
    dates = [ON - dt.timedelta(days=offset) for offset in range(-60, 400)]
    zero = Decimal(0)
    accounts = []
    for number in range(count):
        account_id = f"C{number:07d}"
        items = []
        for line in range(items_per_account):
            issue = rng.choice(dates)
            due = issue + dt.timedelta(days=30)
            amount = Decimal(rng.randrange(100, 500_000)).scaleb(-2)
            paid = rng.random()
            if paid < 0.3:
                open_amount = zero
            elif paid < 0.4:
                open_amount = (amount / 2).quantize(Decimal("0.01"))
            else:
                open_amount = amount
            disputed = rng.random() < disputed_share  # arrived disputed from the ERP
            items.append(
                Item(id=f"{account_id}-{line:02d}", kind=ItemKind.INVOICE, issue_date=issue,
                     due_date=due, amount=amount, open_amount=open_amount,
                     status="price-dispute" if disputed else None,
                     status_date=due if disputed else None)
            )  # fmt: skip
        email = f"ap@customer{number}.example" if number % 2 else None
        accounts.append(Account(id=account_id, name=f"Customer {number}", items=items, email=email))
    return accounts


def floor(accounts: list[Account]) -> list[tuple[dt.date, str]]:
    """The least work for the same answer: every due date read, one tuple per account, sorted."""
    rows = [(min(item.due_date for item in account.items), account.id) for account in accounts]
    rows.sort()
    return rows


class CollectorClock:
    """The CPU time the cycle collector spends, and its passes per generation, while on."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.passes = [0, 0, 0]
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.seconds += time.process_time() - self._start
            self.passes[info["generation"]] += 1


def best_of(
    repeat: int, function: Callable[[], Any], *, paused: bool = False
) -> tuple[float, Any, CollectorClock]:
    """The best CPU time of ``repeat`` runs, its result and what the collector took in it;
    ``paused``: the cycle collector off (as the CLI)."""
    best, result, collector = float("inf"), None, CollectorClock()
    for _ in range(repeat):
        result = None
        gc.collect()
        clock = CollectorClock()
        gc.callbacks.append(clock)
        if paused:
            gc.disable()
        start = time.process_time()
        result = function()
        seconds = time.process_time() - start
        gc.enable()
        gc.callbacks.remove(clock)
        if seconds < best:
            best, collector = seconds, clock
    return best, result, collector


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--disputed", type=float, default=0.005, help="the share of items disputed, unfollowed"
    )
    parser.add_argument(
        "--cadence", action="store_true", help="the cadence rules too (conditions, fees...)"
    )
    args = parser.parse_args()
    items = args.accounts * args.items
    policy = build_policy(cadence=args.cadence)

    sample = max(1, args.accounts // 100)
    tracemalloc.start()
    kept = build_accounts(sample, args.items, disputed_share=args.disputed)
    memory = tracemalloc.get_traced_memory()[1] / (sample * args.items)
    before = tracemalloc.get_traced_memory()[0]
    sample_rows = agenda(kept, policy, ON)  # what the rows keep alive, ids and amounts included
    row_memory = (tracemalloc.get_traced_memory()[0] - before) / max(1, len(sample_rows))
    tracemalloc.stop()
    del kept, sample_rows

    start = time.perf_counter()
    accounts = build_accounts(args.accounts, args.items, disputed_share=args.disputed)
    build = time.perf_counter() - start

    floor_time, _, floor_collector = best_of(args.repeat, lambda: floor(accounts))
    agenda_time, rows, agenda_collector = best_of(args.repeat, lambda: agenda(accounts, policy, ON))
    floor_paused, _, _ = best_of(args.repeat, lambda: floor(accounts), paused=True)
    agenda_paused, _, _ = best_of(args.repeat, lambda: agenda(accounts, policy, ON), paused=True)

    print(
        f"portfolio      {args.accounts:,} accounts x {args.items} items = {items:,} items, "
        f"{args.disputed:.1%} disputed with no follow-up"
        + (", cadence rules" if args.cadence else "")
    )
    print(f"build          {build:.2f} s  ({build / items * 1e6:.2f} us/item, attrs validation)")
    print(f"memory         {memory:.0f} bytes/item (peak, tracemalloc, {sample} accounts)")
    print(f"floor          {floor_time:.3f} s")
    print(f"agenda         {agenda_time:.3f} s  ({len(rows):,} rows)")
    print(f"rows memory    {row_memory:.0f} bytes/row (tracemalloc, the rows of {sample} accounts)")
    print(f"ratio          {agenda_time / floor_time:.2f}x the floor (target <= 2.5x)")
    for label, clock in (("floor", floor_collector), ("agenda", agenda_collector)):
        print(
            f"  collector    {clock.seconds:.3f} s of the {label}'s run "
            f"({'/'.join(map(str, clock.passes))} passes of generations 0/1/2)"
        )
    print(
        f"collector off  {agenda_paused / floor_paused:.2f}x the floor, both with the cycle "
        f"collector paused as the command line runs ({agenda_paused:.3f} s vs {floor_paused:.3f} s)"
    )


if __name__ == "__main__":
    main()
