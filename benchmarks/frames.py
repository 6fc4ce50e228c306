"""Frames benchmark: items tables -> accounts -> agenda, in one process and with Dask.

Builds an items table (one row per item, 10 items per account, amounts as strings like
an ERP extract) and writes it to Parquet, one file per account range; then measures,
in one run:

- the floor: ``to_pylist`` of the table's columns (what any reader into Python pays),
- ``accounts_from_arrow`` and ``accounts_from_frame`` (items/s of CPU time, and as a
  multiple of the floor's time),
- one process: reading the Parquet files, ``accounts_from_arrow``, ``agenda``,
- ``agenda_dask`` on a local cluster of N worker processes x 1 thread: on the same
  table in random row order (every account spread: the whole table shuffled), on the
  files in account order without and with ``partitioned_by_account=True`` (without it,
  the account ids are read first and no row moves).

On a shared machine wall time is noise: each Dask run also reports the CPU seconds of
the workers and of this process (client and scheduler), and its speed-up estimated from
CPU time (the one-process CPU time over the busiest worker's plus this process's).

    python benchmarks/frames.py                  # 1,000,000 items, 2 workers
    python benchmarks/frames.py --items 200000 --workers 2
    python benchmarks/frames.py --skip-dask      # the one-process figures only
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import os
import random
import tempfile
import time
from decimal import Decimal
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from collectlib import Policy, Scenario, Step, Trigger, agenda
from collectlib.frames import accounts_from_arrow, accounts_from_frame, agenda_dask

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


def cpu(label: str, items: int, function: Any) -> tuple[float, Any]:
    """Run ``function`` once; print and return its CPU seconds (and its result)."""
    start = time.process_time()
    result = function()
    seconds = time.process_time() - start
    print(f"{label:44s} {seconds:7.2f} s CPU {items / seconds:>11,.0f} items/s")
    return seconds, result


def write_parquet(table: pa.Table, folder: str, files: int) -> None:
    """Write ``table`` as ``files`` Parquet files of whole accounts' rows when it is sorted."""
    size = -(-table.num_rows // files)
    size += -size % 10  # whole accounts: 10 items each
    for number, start in enumerate(range(0, table.num_rows, size)):
        pq.write_table(table.slice(start, size), os.path.join(folder, f"part-{number:03d}.parquet"))


def dask_runs(
    args: argparse.Namespace, folder: str, items: int, ones: tuple[float, float], rows: Any
) -> None:
    """Time ``agenda_dask`` on the files of ``folder`` (``ordered/`` and ``random/``)."""
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    pol = policy()
    one, paused = ones

    got: list[Any] = []

    def run(frame: Any, partitioned: bool) -> None:
        got.append(agenda_dask(frame, pol, ON, partitioned_by_account=partitioned))

    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                     dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        # Warm up: the workers import collectlib, pandas and pyarrow once.
        first = dd.read_parquet(os.path.join(folder, "ordered", "part-000.parquet"))
        agenda_dask(first, pol, ON, partitioned_by_account=True)
        # What the cluster's threads cost per second when idle (heartbeats, event loops,
        # profiler): on a loaded machine a run lasts long and pays it many times over.
        idle = cpu_seconds(client, lambda: time.sleep(3))[1:]
        print(
            f"idle cluster: {' + '.join(f'{s / 3:.3f}' for s in idle[0])} + {idle[1] / 3:.3f}"
            " CPU s per s (workers + this process)"
        )
        for label, layout, partitioned in (
            ("random row order, shuffled", "random", False),
            ("account order, ids read first", "ordered", False),
            ("partitioned_by_account=True", "ordered", True),
        ):
            frame = dd.read_parquet(os.path.join(folder, layout))
            wall, workers, own = cpu_seconds(client, functools.partial(run, frame, partitioned))
            # checked after the clock stops: comparing 100,000 rows is no part of the agenda
            assert got.pop() == rows, "the Dask agenda differs from the single-process agenda"
            busiest = max(workers) + own
            total = sum(workers) + own
            # the same, the idle threads' cost over this run's wall time taken out
            quiet = max(w - i * wall / 3 for w, i in zip(workers, idle[0], strict=True)) + (
                own - idle[1] * wall / 3
            )
            print(
                f"agenda_dask, {args.workers} workers, {label}:\n"
                f"  {'wall':42s} {wall:7.2f} s     {items / wall:>11,.0f} items/s\n"
                f"  {'CPU: workers, this process':42s} "
                f"{' + '.join(f'{s:.2f}' for s in workers)} + {own:.2f} s\n"
                f"  {'speed-up from CPU time':42s} {one / busiest:7.2f}x"
                f"  (one process {one:.2f} s / busiest worker + this process {busiest:.2f} s;"
                f" {paused / busiest:.2f}x the one process with its collector paused)\n"
                f"  {'  idle threads taken out':42s} {one / quiet:7.2f}x"
                f"  ({paused / quiet:.2f}x the paused one)\n"
                f"  {'per-core rate from CPU time':42s} {items / total:>19,.0f} items/s"
                f"  ({one / total:.2f}x one process's, {paused / total:.2f}x paused)"
            )


def cpu_seconds(client: Any, function: Any) -> tuple[float, list[float], float]:
    """Run ``function``: its wall seconds, each worker's CPU seconds and this process's."""
    before = client.run(time.process_time)
    start, own = time.perf_counter(), time.process_time()
    function()
    wall, own = time.perf_counter() - start, time.process_time() - own
    after = client.run(time.process_time)
    return wall, [after[worker] - before[worker] for worker in before], own


def paused_collector(function: Any) -> Any:
    """Run ``function`` with the cycle collector paused (as the command line runs)."""
    gc.disable()
    try:
        return function()
    finally:
        gc.enable()


def one_process(frame: pd.DataFrame, table: pa.Table, folder: str) -> tuple[float, float, Any]:
    """Print the one-process figures; return its CPU seconds from Parquet (collector on,
    paused) and the rows."""
    items, pol = table.num_rows, policy()
    # Each measure starts from the same heap: what one step keeps is let go after it
    # (a heap of a million items slows the cycle collector of whatever runs next).
    one, rows = cpu(
        "one process: read + accounts + agenda",
        items,
        lambda: agenda(accounts_from_arrow(pq.read_table(folder)), pol, ON),
    )
    paused, again = cpu(
        "one process, cycle collector paused",
        items,
        lambda: paused_collector(
            lambda: agenda(accounts_from_arrow(pq.read_table(folder)), pol, ON)
        ),
    )
    assert again == rows
    cpu("  read the Parquet files", items, lambda: pq.read_table(folder))
    floor, _ = cpu("  floor: to_pylist of the columns", items, table.to_pydict)
    arrow, accounts = cpu("  accounts_from_arrow", items, lambda: accounts_from_arrow(table))
    print(f"{'':44s} {arrow / floor:7.2f}x the floor")
    _, again = cpu("  agenda", items, lambda: agenda(accounts, pol, ON))
    assert again == rows
    accounts = again = ()  # let them go
    _, again = cpu(
        "one process: accounts_from_frame + agenda",
        items,
        lambda: agenda(accounts_from_frame(frame), pol, ON),
    )
    assert again == rows
    return one, paused, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    frame = build_table(args.items)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    items = table.num_rows
    print(
        f"items table: {items:,} rows, {items // 10:,} accounts; "
        f"cores: {os.cpu_count()}; {args.workers} workers"
    )
    with tempfile.TemporaryDirectory() as top:
        folder = os.path.join(top, "ordered")
        os.makedirs(folder)
        write_parquet(table, folder, args.workers * 4)
        os.makedirs(os.path.join(top, "random"))
        shuffled = table.take(random.Random(1).sample(range(items), items))
        write_parquet(shuffled, os.path.join(top, "random"), args.workers * 4)
        del shuffled
        one, paused, rows = one_process(frame, table, folder)
        del frame, table  # the Dask runs start from a small heap too
        if not args.skip_dask:
            dask_runs(args, top, items, (one, paused), rows)
    print(f"rows: {len(rows):,} (identical in every run)")


if __name__ == "__main__":
    main()
