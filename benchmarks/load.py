"""Load benchmark: a 1M-item CSV of open items -> accounts, and a JSON round trip.

Writes the files to a temporary folder, then measures in one run, in CPU time (the best of
``--repeat`` runs: the machine may be shared), on one core:

- the floor: splitting the file into rows with the csv module, nothing else;
- reading the CSV into accounts, streamed (one account at a time, as ``collectlib agenda``
  reads it), then all kept in memory, with the cyclic garbage collector off (as the CLI
  runs) and on (Python's default; the loaders pause it while they build records, which
  hold no cycle: its full passes over millions of live records cost about a third of
  the time), in items/s and as a ratio to the floor;
- writing and reading the portfolio JSON (items/s), the reading (gc off and on) as a
  ratio to the CSV's, streamed and kept with the collector alike: the target is at most 2x;
- the memory the loaded accounts take (bytes/item, ``tracemalloc`` over a 1 % sample): the
  peak while loading, and what the accounts keep.

    python benchmarks/load.py                  # 1,000,000 items
    python benchmarks/load.py --items 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from collectlib import Account
from collectlib.io.files import Portfolio, load_portfolio, read_items_csv, save_portfolio

ON = dt.date(2026, 11, 23)
HEADER = "account_id,account_name,item_id,kind,issue_date,due_date,amount,open_amount,currency\n"


def write_csv(path: Path, items: int, per_account: int = 10, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for number in range(items // per_account):
            account = f"C{number:07d}"
            for line in range(per_account):
                issue = ON - dt.timedelta(days=rng.randrange(-60, 400))
                cents = rng.randrange(100, 500_000)
                paid = rng.random()
                open_cents = 0 if paid < 0.3 else cents // 2 if paid < 0.4 else cents
                out.write(
                    f"{account},Customer {number},{account}-{line:02d},INVOICE,{issue},"
                    f"{issue + dt.timedelta(days=30)},"
                    f"{cents / 100:.2f},{open_cents / 100:.2f},EUR\n"
                )


def _csv_rows(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        for _row in csv.reader(handle):
            pass


def _seconds(run: Callable[[], None], repeat: int, *, collector: bool = True) -> float:
    """Time ``run`` (CPU seconds, the best of ``repeat`` runs), each after a full collection.

    The cyclic collector is on or off during the runs.
    """
    best = float("inf")
    for _ in range(max(1, repeat)):
        gc.collect()
        if not collector:
            gc.disable()
        try:
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _report(label: str, seconds: float, items: int, floor: float) -> None:
    rate = items / seconds
    print(f"{label:31} {seconds:6.2f} s  {rate:>10,.0f} items/s  {seconds / floor:4.1f}x the floor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (the best)")
    args = parser.parse_args()
    repeat = args.repeat
    with tempfile.TemporaryDirectory() as folder:
        items_csv = Path(folder) / "items.csv"
        write_csv(items_csv, args.items)
        sample_csv = Path(folder) / "sample.csv"
        write_csv(sample_csv, max(10, args.items // 100))

        floor = _seconds(lambda: _csv_rows(items_csv), repeat)
        rows = args.items / floor
        print(f"{'csv module, rows alone':31} {floor:6.2f} s  {rows:>10,.0f} rows/s   (the floor)")
        count = 0

        def streamed() -> None:
            nonlocal count
            count = sum(len(account.items) for account in read_items_csv(items_csv))

        csv_read = _seconds(streamed, repeat)
        _report("CSV -> accounts, streamed", csv_read, args.items, floor)
        accounts: tuple[Account, ...] = ()

        def kept() -> None:
            nonlocal accounts
            accounts = tuple(read_items_csv(items_csv))

        kept_off = _seconds(kept, repeat, collector=False)
        _report("CSV -> accounts, kept, gc off", kept_off, count, floor)
        accounts = ()
        kept_on = _seconds(kept, repeat)
        _report("CSV -> accounts, kept, gc on", kept_on, count, floor)

        json_file = Path(folder) / "portfolio.json"
        portfolio = Portfolio(accounts=accounts)

        def saved() -> None:
            save_portfolio(portfolio, json_file)

        written = _seconds(saved, repeat)
        accounts, portfolio = (), Portfolio(accounts=())
        gc.collect()
        back = Portfolio(accounts=())

        def loaded() -> None:
            nonlocal back
            back = Portfolio(accounts=())
            back = load_portfolio(json_file)

        read_off = _seconds(loaded, repeat, collector=False)
        back = Portfolio(accounts=())
        read_on = _seconds(loaded, repeat)
        assert sum(len(a.items) for a in back.accounts) == count
        back = Portfolio(accounts=())
        gc.collect()
        print(f"{'JSON write':31} {written:6.2f} s  {count / written:>10,.0f} items/s")
        for label, read, csv_kept in (("gc off", read_off, kept_off), ("gc on", read_on, kept_on)):
            print(
                f"{'JSON read, ' + label:31} {read:6.2f} s  {count / read:>10,.0f} items/s  "
                f"{read / csv_read:4.1f}x the CSV streamed, {read / csv_kept:4.1f}x kept ({label})"
            )

        tracemalloc.start()
        held = tuple(read_items_csv(sample_csv))
        kept_bytes, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sample = sum(len(a.items) for a in held)
        print(f"{'memory':31} {peak / sample:6.0f} bytes/item (peak, loading {sample:,} items)")
        print(f"{'memory, kept':31} {kept_bytes / sample:6.0f} bytes/item (the accounts loaded)")


if __name__ == "__main__":
    main()
