"""``collectlib forecast`` and ``collectlib agenda --order risk`` (SPEC 12)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from collectlib import CashForecast, agenda, cash_forecast, payment_profiles, portfolio_profile
from collectlib.cli import main
from collectlib.demo import AS_OF, history, policy, portfolio

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "collectlib" / "demo"
POLICY = str(DEMO / "policy.toml")
PORTFOLIO = str(DEMO / "portfolio.json")
HISTORY = str(DEMO / "history.csv")


def _main(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue(), capsys.readouterr().err


def _demo_forecast(weeks: int = 13) -> CashForecast:
    settlements = history()
    return cash_forecast(
        portfolio().accounts, payment_profiles(settlements, AS_OF, 90), policy(), AS_OF,
        weeks, portfolio_profile(settlements, AS_OF, 90),
    )  # fmt: skip


def test_forecast_runs_on_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, error = _main("forecast", capsys=capsys)
    assert code == 0, error
    lines = text.splitlines()
    assert lines[0] == f"Cash forecast on {AS_OF} for 13 weeks, from 565 invoices paid before"
    assert lines[2].split() == ["week", "start", "amount", "items"]
    assert lines[4].startswith("2026-W12  2026-03-16")
    expected = _demo_forecast()
    total = sum((row.amount for row in expected.rows), Decimal(0))
    assert lines[-1].startswith(f"{total:,} EUR expected in 13 weeks")
    assert not any(expected.later.values())
    assert lines[-1].endswith(", nothing later")  # not "0 later"


def test_forecast_json_and_csv_carry_the_library_s_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = _demo_forecast(4)
    code, text, _ = _main("forecast", "--weeks", "4", "--format", "json", capsys=capsys)
    assert code == 0
    rows = json.loads(text)
    weeks = [r for r in rows if r["week"] != "later"]
    assert [(r["week"], Decimal(r["amount"]), r["items"]) for r in weeks] == [
        (row.week, row.amount, row.items) for row in expected.rows
    ]
    (later,) = (r for r in rows if r["week"] == "later")
    assert Decimal(later["amount"]) == expected.later["EUR"]
    _, text, _ = _main("forecast", "--weeks", "4", "--format", "csv", capsys=capsys)
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["week"] for r in table] == [r["week"] for r in rows]


def test_a_portfolio_file_with_its_policy_and_history_is_the_demo(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, demo_text, _ = _main("forecast", "--format", "json", capsys=capsys)
    code, text, error = _main(
        "forecast", PORTFOLIO, "--policy", POLICY, "--history", HISTORY, "--format", "json",
        capsys=capsys,
    )  # fmt: skip
    assert code == 0, error
    assert text == demo_text


def test_items_predicts_each_open_invoice(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = _main("forecast", "--items", "--format", "json", capsys=capsys)
    assert code == 0
    rows = json.loads(text)
    open_debits = {i.id for a in portfolio().accounts for i in a.items if i.is_debit}
    assert {r["item_id"] for r in rows} == open_debits
    assert [r["expected_on"] for r in rows] == sorted(r["expected_on"] for r in rows)
    assert all(r["expected_on"] >= str(AS_OF) for r in rows)
    code, text, _ = _main("forecast", "--items", capsys=capsys)
    assert code == 0
    assert text.splitlines()[2].split()[:3] == ["expected_on", "days_late", "late"]
    assert text.splitlines()[-1].startswith(f"{len(open_debits)} open invoices, ")


def test_agenda_order_risk_ranks_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = _main("agenda", "--order", "risk", "--format", "json", capsys=capsys)
    assert code == 0
    settlements = history()
    expected = agenda(
        portfolio().accounts, policy(), AS_OF, order="risk",
        profiles=payment_profiles(settlements, AS_OF, 90),
        fallback=portfolio_profile(settlements, AS_OF, 90),
    )  # fmt: skip
    assert [(r["account_id"], r["name"]) for r in json.loads(text)] == [
        (row.account_id, row.name) for row in expected
    ]
    _, by_date, _ = _main("agenda", "--format", "json", capsys=capsys)
    assert sorted(json.loads(text), key=repr) == sorted(json.loads(by_date), key=repr)
    code, table, _ = _main("agenda", "--order", "risk", capsys=capsys)
    assert table.splitlines()[0] == f"Collection agenda on {AS_OF}, the most at risk first"


def test_a_second_currency_reads_its_own_portfolio_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = tmp_path / "items.csv"
    items.write_text(
        "account_id,item_id,kind,issue_date,due_date,amount,open_amount,currency\n"
        "C-1,F-1,INVOICE,2026-01-01,2026-01-31,100.00,100.00,EUR\n"
        "C-2,G-1,INVOICE,2026-01-01,2026-02-15,900000,900000,JPY\n",
        encoding="utf-8",
    )
    paid = tmp_path / "paid.csv"
    paid.write_text(
        "account_id,item_id,issue_date,due_date,settled_on,amount,currency\n"
        "C-9,P-1,2025-10-01,2025-10-31,2025-11-30,50.00,EUR\n"
        "C-8,Q-1,2025-10-01,2025-10-31,2025-11-02,7000,JPY\n",
        encoding="utf-8",
    )
    common = ("--policy", POLICY, "--history", str(paid), "--on", "2026-01-05")
    code, text, error = _main("forecast", str(items), *common, "--items", "--format", "json",
                              capsys=capsys)  # fmt: skip
    assert code == 0, error
    late = {r["item_id"]: r["days_late"] for r in json.loads(text)}
    assert late == {"F-1": 30, "G-1": 2}  # each currency's portfolio: 30 and 2 days late
    code, text, error = _main("agenda", str(items), *common, "--order", "risk", "--horizon",
                              "60", "--format", "json", capsys=capsys)  # fmt: skip
    assert code == 0, error
    assert [r["currency"] for r in json.loads(text)] == ["EUR", "JPY"]


def test_a_history_with_nothing_paid_before_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, error = _main("forecast", "--on", "2020-01-01", capsys=capsys)
    assert code == 0
    assert error.strip() == (
        "collectlib: warning: no invoice paid before 2020-01-01 in the history: every "
        "invoice is expected on its due date"
    )
    assert "from 0 invoices paid before" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("forecast", "--weeks", "0"), "argument --weeks: not a number of weeks (1 or more): '0'"),
        (("forecast", "--weeks", "x"), "argument --weeks: not a number of weeks"),
        (("forecast", "--half-life", "0"), "argument --half-life: not a half-life in days"),
        (("forecast", PORTFOLIO, "--policy", POLICY), "a portfolio needs its --history file"),
        (("forecast", PORTFOLIO, "--history", HISTORY), "a portfolio needs its --policy file"),
        (("agenda", "--history", HISTORY), "--history and --half-life apply to --order risk"),
        (("agenda", "--half-life", "30"), "--history and --half-life apply to --order risk"),
        (("agenda", "--order", "amount"), "argument --order: invalid choice: 'amount'"),
        (
            ("agenda", PORTFOLIO, "--policy", POLICY, "--order", "risk"),
            "a portfolio needs its --history file",
        ),
    ],
)
def test_bad_arguments_are_usage_errors(
    args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(list(args), out=io.StringIO())
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "missing.csv: cannot read"),
        ("account_id,item_id\nC-1,F-1\n", "missing.csv"),
        (
            "account_id,item_id,issue_date,due_date,settled_on,amount\n"
            "C-1,F-1,2026-01-01,2026-01-31,2026-13-01,10\n",
            "settled_on",
        ),
    ],
)
def test_a_bad_history_file_is_one_line(
    tmp_path: Path, content: str | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "missing.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    for command in (("forecast",), ("agenda", "--order", "risk")):
        code, _, error = _main(*command, "--history", str(path), capsys=capsys)
        assert code == 1
        assert message in error
        assert error.startswith("collectlib: error: ")
        assert len(error.strip().splitlines()) == 1
