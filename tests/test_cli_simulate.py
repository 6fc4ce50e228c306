"""``collectlib simulate``: the what-if on the command line, in process."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from collectlib import Account, Item, sync_items
from collectlib.cli import main
from collectlib.cli._simulate import DEFAULT_DAYS
from collectlib.demo import AS_OF, policy, portfolio
from collectlib.io.files import Portfolio, save_policy, save_portfolio


def simulate(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(["simulate", *args], out=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_the_demo_is_simulated_for_a_quarter_with_typical_delays(capsys) -> None:
    code, out, err = simulate(capsys=capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    end = AS_OF + dt.timedelta(days=DEFAULT_DAYS - 1)
    assert lines[0] == (
        f"Simulation from {AS_OF} to {end}: 36 accounts, capacity no limit, seed 0, "
        "payments drawn from typical delays (no history)"
    )
    assert lines[2].split() == ["week", "performed", "automatic", "waiting", "currency",
                                "cash_in", "receivables", "overdue", "dso"]  # fmt: skip
    weeks = [line.split()[0] for line in lines[4:-2]]
    assert weeks == [str(AS_OF + dt.timedelta(days=7 * n)) for n in range(13)]
    assert lines[-1].endswith("EUR paid")


def test_csv_and_json_carry_the_same_weeks(capsys) -> None:
    _code, text, _err = simulate("--capacity", "1", "--format", "csv", capsys=capsys)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 13
    # Three collectors, one action each a day at most.
    assert all(int(row["performed"]) <= 3 * 7 for row in rows)
    assert sum(int(row["waiting"]) for row in rows) > 0
    _code, data, _err = simulate("--capacity", "1", "--format", "json", capsys=capsys)
    result = json.loads(data)
    assert set(result) == {"start", "end", "workload", "cash", "balances"}
    paid = sum(float(row["amount"]) for row in result["cash"])
    assert paid == pytest.approx(sum(float(row["cash_in"]) for row in rows))
    performed = sum(row["performed"] for row in result["workload"])
    assert performed == sum(int(row["performed"]) for row in rows)


def test_the_seed_and_the_dates_are_the_users(capsys) -> None:
    args = ("--start", "2026-03-20", "--end", "2026-04-02", "--format", "json")
    first = simulate(*args, "--seed", "4", capsys=capsys)[1]
    assert simulate(*args, "--seed", "4", capsys=capsys)[1] == first
    result = json.loads(first)
    assert (result["start"], result["end"]) == ("2026-03-20", "2026-04-02")
    assert [point["on"] for point in result["balances"]] == ["2026-03-26", "2026-04-02"]


def _paid_csv(folder: Path) -> Path:
    path = folder / "paid.csv"
    lines = ["account_id,item_id,issue_date,due_date,settled_on,amount,currency,disputed"]
    lines += [
        f"{account.id},H-{n},2025-10-01,2025-10-31,2025-11-{10 + n:02d},500.00,EUR,"
        for account in portfolio().accounts[:10]
        for n in range(3)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_history_of_paid_items_says_how_customers_pay(tmp_path: Path, capsys) -> None:
    paid = _paid_csv(tmp_path)
    code, out, err = simulate("--history", str(paid), capsys=capsys)
    assert (code, err) == (0, "")
    assert f"payments drawn from the history in {paid}" in out.splitlines()[0]


def test_the_accounts_journals_are_the_history_without_one(tmp_path: Path, capsys) -> None:
    item = Item(id="F-1", kind="INVOICE", issue_date=dt.date(2026, 1, 1),
                due_date=dt.date(2026, 1, 31), amount=100, open_amount=100)  # fmt: skip
    later = Item(id="F-2", kind="INVOICE", issue_date=dt.date(2026, 2, 1),
                 due_date=dt.date(2026, 3, 3), amount=200, open_amount=200)  # fmt: skip
    account = sync_items(Account(id="C-1", items=[item]), [later], dt.date(2026, 2, 10))
    folder = tmp_path
    save_portfolio(Portfolio(accounts=[account], as_of=AS_OF), folder / "p.json")
    save_policy(policy(), folder / "policy.json")
    code, out, err = simulate(
        str(folder / "p.json"), "--policy", str(folder / "policy.json"), capsys=capsys
    )
    assert (code, err) == (0, "")
    assert "1 accounts" not in out
    assert "payments drawn from the accounts' journals" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--end", "2026-01-01"), 1, "collectlib: error: simulate: end 2026-01-01 is before"),
        (("--capacity", "-3"), 2, "argument --capacity: not a number of actions: '-3'"),
        (("--seed", "x"), 2, "argument --seed: invalid int value: 'x'"),
        (("--history", "nowhere.csv"), 1, "collectlib: error: "),
    ],
)
def test_bad_arguments_are_one_line(args: tuple[str, ...], code: int, message: str, capsys) -> None:
    if code == 2:
        with pytest.raises(SystemExit) as stopped:
            main(["simulate", *args], out=io.StringIO())
        assert stopped.value.code == 2
        assert message in capsys.readouterr().err
        return
    got, out, err = simulate(*args, capsys=capsys)
    assert (got, out) == (1, "")
    assert err.startswith(message)
    assert err.count("\n") == 1
