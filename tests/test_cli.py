"""The command line, run as a user would: the installed entry point in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from collectlib.demo import AS_OF

DEMO = Path(__file__).resolve().parent.parent / "src" / "collectlib" / "demo"
SCRIPT = shutil.which("collectlib", path=str(Path(sys.executable).parent))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "collectlib"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=120, check=False, cwd=cwd
    )


def test_the_entry_point_is_installed() -> None:
    assert SCRIPT is not None


def test_agenda_on_the_demo_portfolio() -> None:
    result = run("agenda")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Collection agenda on {AS_OF}"
    assert lines[2].split()[:4] == ["due_on", "late_days", "account_id", "collector"]
    assert any("Check the installment" in line for line in lines)
    assert any("Check the promised payment" in line for line in lines)
    assert lines[-1].endswith("at stake")
    amount_column = lines[3].split("  ")  # the rule line under the headers
    assert amount_column


def test_python_dash_m_works_too() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "collectlib", "agenda", "--format", "json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)


def test_json_and_csv_are_for_pipes() -> None:
    rows = json.loads(run("agenda", "--format", "json").stdout)
    assert rows
    assert {"account_id", "due_on", "amount", "item_ids", "kind"} <= set(rows[0])
    table = list(csv.DictReader(io.StringIO(run("agenda", "--format", "csv").stdout)))
    assert [r["account_id"] for r in table] == [r["account_id"] for r in rows]
    assert table[0]["amount"] == rows[0]["amount"]


def test_collector_and_horizon_filter_the_agenda() -> None:
    everyone = json.loads(run("agenda", "--format", "json").stdout)
    marie = json.loads(run("agenda", "--collector", "marie", "--format", "json").stdout)
    assert marie
    assert {r["collector"] for r in marie} == {"marie"}
    assert len(marie) < len(everyone)
    later = json.loads(run("agenda", "--horizon", "10", "--format", "json").stdout)
    assert len(later) > len(everyone)


def test_agenda_of_a_portfolio_file_with_its_policy(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    items.write_text(
        "account_id,account_name,item_id,kind,issue_date,due_date,amount,open_amount,currency\n"
        "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,1200.00,1200.00,EUR\n"
        "C-2,Martin,F-7,INVOICE,2026-02-01,2026-03-03,80.00,80.00,EUR\n",
        encoding="utf-8",
    )
    result = run("agenda", str(items), "--policy", str(DEMO / "policy.toml"), "--on", "2026-03-10")
    assert result.returncode == 0, result.stderr
    assert "C-1" in result.stdout
    assert "C-2" in result.stdout
    assert "Collection agenda on 2026-03-10" in result.stdout


def test_check_summarises_a_policy() -> None:
    result = run("check", str(DEMO / "policy.toml"))
    assert result.returncode == 0, result.stderr
    assert "a valid policy (format 1)" in result.stdout
    assert "standard (default)" in result.stdout
    assert "quick promise: promise, D+3" in result.stdout


def test_next_explains_one_account() -> None:
    result = run(
        "next", str(DEMO / "portfolio.json"), "C-018", "--policy", str(DEMO / "policy.toml")
    )
    assert result.returncode == 0, result.stderr
    assert "scenario: standard" in result.stdout
    assert "leader: F-" in result.stdout
    assert "next: step" in result.stdout


def test_reports() -> None:
    aged = run("report", "aged")
    assert aged.returncode == 0, aged.stderr
    assert "not_due" in aged.stdout
    assert "total" in aged.stdout
    rows = json.loads(run("report", "qualification", "--format", "json").stdout)
    assert rows
    assert "status" in rows[0]
    assert "rate:" in run("report", "qualification").stdout
    assert run("report", "aged", "--format", "csv").stdout.startswith("on,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "missing.toml"), "collectlib: error: missing.toml: cannot read"),
        (
            ("agenda", "missing.json", "--policy", str(DEMO / "policy.toml")),
            "missing.json: cannot read",
        ),
        (
            ("next", str(DEMO / "portfolio.json"), "C-999", "--policy", str(DEMO / "policy.toml")),
            "no account 'C-999'",
        ),
    ],
)
def test_errors_print_one_line_and_exit_1(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_bad_policy_file_is_one_clear_line(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('format = 1\ndefault_scenario = "vip"\n', encoding="utf-8")
    result = run("check", str(policy))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"collectlib: error: {policy}: policy: default_scenario: no scenario 'vip'"
    )
    debug = run("--debug", "check", str(policy))
    assert "Traceback" in debug.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("agenda", "--on", "2026-13-01"),
        ("agenda", "--horizon", "-3"),
        ("agenda", "--format", "xml"),
        ("frobnicate",),
        ("agenda", str(DEMO / "portfolio.json")),  # a portfolio needs its policy
        (),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "usage: collectlib" in result.stderr
    assert "Traceback" not in result.stderr
