"""Simulation benchmark: a policy replayed over 10,000 accounts for a year, in CPU time.

The target (issue 18): ``simulate`` of 10,000 accounts over 365 days in under a minute on
one core.  The portfolio is the agenda benchmark's (``agenda.build_accounts``: invoices
issued over the year before, some paid, some half paid, a few disputed), the policy the
demo's (RESUME, a fee, a credit hold, contact spacing, a sending window, collectors by
rules), and each customer has a payment history of a dozen settlements around its own
habit (on time, a week late, a month late...).  Time is measured with
``time.process_time`` (CPU time: other processes on a shared machine do not inflate it).

    python benchmarks/simulate.py                  # 10,000 accounts x 5 items, 365 days
    python benchmarks/simulate.py --accounts 500   # a quick look
    python benchmarks/simulate.py --naive          # also the whole agenda every day (slow)
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from decimal import Decimal

from agenda import ON, build_accounts

from collectlib import (
    Account,
    Behaviour,
    Settlement,
    demo,
    payment_profiles,
    portfolio_profile,
    simulate,
)
from collectlib.portfolio.simulation import _Run

HABITS = (-2, 0, 0, 3, 7, 12, 20, 35, 60)  # a customer's typical days late


def build_behaviour(accounts: list[Account], seed: int = 7) -> Behaviour:
    rng = random.Random(seed)
    history = []
    for account in accounts:
        habit = rng.choice(HABITS)
        for number in range(12):
            due = ON - dt.timedelta(days=30 * number + rng.randint(20, 40))
            late = max(habit + rng.randint(-5, 10), -10)
            history.append(
                Settlement(account_id=account.id, item_id=f"H-{number}",
                           issue_date=due - dt.timedelta(days=30),
                           due_date=due, settled_on=min(due + dt.timedelta(days=late),
                                                        ON - dt.timedelta(days=1)),
                           amount=Decimal(rng.randrange(100, 500_000)).scaleb(-2))
            )  # fmt: skip
    return Behaviour(
        profiles=payment_profiles(history, ON, half_life_days=180),
        fallback=portfolio_profile(history, ON, half_life_days=180),
        seed=seed,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--capacity", type=int, default=40, help="rows a collector does a day")
    parser.add_argument(
        "--naive", action="store_true", help="also the whole agenda every day, and compare"
    )
    args = parser.parse_args()
    policy = demo.policy()
    accounts = build_accounts(args.accounts, args.items)
    behaviour = build_behaviour(accounts)
    end = ON + dt.timedelta(days=args.days - 1)

    start = time.process_time()
    result = simulate(accounts, policy, ON, end, behaviour, capacity=args.capacity)
    elapsed = time.process_time() - start

    performed = sum(row.performed for row in result.workload)
    automatic = sum(row.automatic for row in result.workload)
    print(
        f"portfolio      {args.accounts:,} accounts x {args.items} items, {args.days} days, "
        f"capacity {args.capacity} a collector a day"
    )
    print(f"work           {performed:,} rows performed, {automatic:,} automatic")
    print(f"cash in        {dict(result.cash_totals)}")
    print(f"simulate       {elapsed:.1f} s CPU (target < 60 s for 10,000 accounts x 365 days)")
    if args.naive:
        start = time.process_time()
        naive = _Run(accounts, policy, ON, end, behaviour, args.capacity).run(every_day=True)
        naive_time = time.process_time() - start
        print(f"naive          {naive_time:.1f} s CPU (the whole agenda every day)")
        print(f"equal          {naive == result}")


if __name__ == "__main__":
    main()
