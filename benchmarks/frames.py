"""Frames benchmark: items tables -> accounts -> agenda, in one process and with Dask.

Builds an items table (one row per item, amounts as strings like an ERP extract), then
measures in one run:

- ``accounts_from_frame`` on the table (items/s),
- the CSV path (``collectlib.io`` when installed) on the same items written to a file,
- ``agenda`` on the accounts (items/s),
- ``agenda_dask`` on a local cluster of N worker processes (items/s, and per core).

    python benchmarks/frames.py                  # 1,000,000 items
    python benchmarks/frames.py --items 200000 --workers 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from decimal import Decimal

import pandas as pd

from collectlib import Policy, Scenario, Step, Trigger, agenda
from collectlib.frames import accounts_from_frame, agenda_dask

ON = dt.date(2026, 11, 23)


def build_table(items: int, per_account: int = 10, seed: int = 7) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for number in range(items // per_account):
        account_id = f"C{number:07d}"
        for line in range(per_account):
            issue = ON - dt.timedelta(days=rng.randrange(-60, 400))
            amount = Decimal(rng.randrange(100, 500_000)).scaleb(-2)
            open_amount = amount if rng.random() > 0.3 else Decimal("0.00")
            rows.append(
                (account_id, f"Customer {number}", f"{account_id}-{line:02d}", "INVOICE",
                 issue.isoformat(), (issue + dt.timedelta(days=30)).isoformat(),
                 str(amount), str(open_amount), "EUR")
            )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["account_id", "account_name", "item_id", "kind", "issue_date", "due_date",
                 "amount", "open_amount", "currency"],
    )  # fmt: skip


def policy() -> Policy:
    steps = (
        Step(name="e-mail", channel="EMAIL", template="#total_due", trigger=Trigger.leader_due(1)),
        Step(name="call", channel="CALL", trigger=Trigger.leader_due(15)),
        Step(name="letter", channel="LETTER", template="#total_due",
             trigger=Trigger.after_last_action(10)),
    )  # fmt: skip
    return Policy(
        scenarios=[Scenario(name="s", steps=steps)], default_scenario="s", minimum_amount=50
    )


def timed(label: str, items: int, function):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    print(f"{label:34s} {seconds:7.2f} s  {items / seconds:>12,.0f} items/s")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    table = build_table(args.items)
    items = len(table)
    pol = policy()
    accounts_count = table.account_id.nunique()
    print(f"items table: {items:,} rows, {accounts_count:,} accounts; cores: {os.cpu_count()}")
    _, accounts = timed("accounts_from_frame", items, lambda: list(accounts_from_frame(table)))
    try:
        from collectlib.io import files  # the CSV loader (collectlib.io)
    except ImportError:
        files = None
    if files is not None and hasattr(files, "read_items_csv"):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "items.csv")
            table.to_csv(path, index=False)
            timed("CSV file -> accounts", items, lambda: list(files.read_items_csv(path)))
    _, rows = timed("agenda (one process)", items, lambda: agenda(accounts, pol, ON))
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                     dashboard_address=None) as cluster,
        Client(cluster),
    ):  # fmt: skip
        frame = dd.from_pandas(table, npartitions=args.workers * 4)
        seconds, dask_rows = timed(
            f"agenda_dask ({args.workers} workers, table->rows)",
            items,
            lambda: agenda_dask(frame, pol, ON),
        )
    assert dask_rows == rows, "the Dask agenda differs from the single-process agenda"
    per_core = items / seconds / args.workers
    print(f"{'agenda_dask per core':34s} {'':9s} {per_core:>12,.0f} items/s/core")
    print(f"rows: {len(rows):,} (identical in both runs)")


if __name__ == "__main__":
    main()
