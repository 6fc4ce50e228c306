"""The command line, run as a user would: the installed entry point in a subprocess."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from collectlib import (
    Account,
    Item,
    balance,
    collectable_items,
    explain,
    format_amount,
    idle_reason,
    leader_invoice,
    next_action,
)
from collectlib.cli import main
from collectlib.demo import AS_OF
from collectlib.io.files import Portfolio, read_items_csv, safe_cell, save_policy, save_portfolio
from collectlib.strategies import accounts, dates, policies

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "collectlib" / "demo"
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


def test_a_csv_with_its_own_delimiter_column_names_and_currency(tmp_path: Path) -> None:
    items = tmp_path / "export.csv"
    items.write_text(
        "Compte;Pièce;Type;Date;Échéance;Montant;Reste dû\n"
        "411DUR;F-1;INVOICE;2026-01-05;2026-02-04;1200.00;1200.00\n",
        encoding="utf-8",
    )
    renames = {"account_id": "Compte", "item_id": "Pièce", "kind": "Type",
               "issue_date": "Date", "due_date": "Échéance", "amount": "Montant",
               "open_amount": "Reste dû"}  # fmt: skip
    columns = [f"--column={field}={name}" for field, name in renames.items()]
    base = ("--policy", str(DEMO / "policy.toml"), "--on", "2026-03-16")
    for command in (("agenda", str(items)), ("next", str(items), "411DUR")):
        result = run(*command, *base, "--delimiter", ";", *columns, "--currency", "CHF")
        assert result.returncode == 0, result.stderr
        assert "411DUR" in result.stdout
    explained = run("next", str(items), "411DUR", *base, "--delimiter", ";", *columns,
                    "--currency", "CHF").stdout  # fmt: skip
    assert "balance 1,200.00 CHF" in explained
    wrong = run("agenda", str(items), *base, *columns)  # the default comma
    assert wrong.returncode == 1
    assert "is the delimiter ';'?" in wrong.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("agenda", "--delimiter", ";"), "apply to a CSV portfolio"),
        (("agenda", "--currency", "CHF"), "apply to a CSV portfolio"),
        (("agenda", str(DEMO / "portfolio.json"), "--column", "item_id=F"), "a CSV portfolio"),
        (("agenda", "--column", "customer=Compte"), "argument --column: no field 'customer'"),
        (("agenda", "--column", "item_id"), "argument --column: not FIELD=NAME: 'item_id'"),
        (("agenda", "--currency", "XYZ"), "argument --currency: not an ISO 4217 currency code"),
    ],
)
def test_csv_options_are_for_a_csv(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: collectlib agenda")
    assert message in result.stderr


def test_check_summarises_a_policy() -> None:
    result = run("check", str(DEMO / "policy.toml"))
    assert result.returncode == 0, result.stderr
    assert "a valid policy (format 1)" in result.stdout
    assert "standard (default; new cycles: RESUME)" in result.stdout
    assert "then a review 7 days after the last action" in result.stdout
    assert "then the last step again every 15 days, at most 2 times" in result.stdout
    assert "quick promise: promise, D+3" in result.stdout


def test_next_explains_one_account() -> None:
    result = run(
        "next", str(DEMO / "portfolio.json"), "C-018", "--policy", str(DEMO / "policy.toml")
    )
    assert result.returncode == 0, result.stderr
    assert "scenario: standard" in result.stdout
    assert "leader: F-" in result.stdout
    assert "next: step" in result.stdout


def test_next_runs_on_the_demo_and_says_why() -> None:
    working = run("next", "C-005")  # no portfolio: the demo, like agenda
    assert working.returncode == 0, working.stderr
    assert working.stdout.splitlines()[0] == f"account C-005 (Garage Morel) on {AS_OF}"
    assert "cycle: no step done yet for this leader" in working.stdout
    assert "next: step 0 'Courtesy e-mail'" in working.stdout
    # An automatic step that a person confirms first (the demo policy, at go-live).
    assert "automatic, to be confirmed by a person before it goes out" in working.stdout
    in_plan = run("next", "C-010").stdout  # every invoice is in the payment plan's follow-up
    assert "held by action A2 'Check the installment'" in in_plan
    assert "next: nothing (NO_LEADER): no open debit left in the scenario\n" in in_plan
    lawyer = run("next", "C-012").stdout  # at the lawyer's; a small residue ignored
    assert "ignored (below 5.00 EUR): F-01299" in lawyer
    assert "held by action A1 'Lawyer follow-up' (LITIGATION" in lawyer
    done = run("next", "C-007").stdout  # every step done: a review row asks to decide
    assert "next: nothing (SCENARIO_COMPLETED)" in done
    assert "review: decide (litigation, write-off or a specific action), due 2026-03-17" in done
    catch_up = run("next", "C-027").stdout
    assert "scenario: risky customers (new cycles start: catch up)" in catch_up
    unfollowed = run("next", "C-035").stdout
    assert "F-03500 in dispute status 'quality-dispute', with no follow-up action" in unfollowed
    as_json = json.loads(run("next", "C-007", "--format", "json").stdout)
    assert (as_json["idle_reason"], as_json["review_due"]) == ("SCENARIO_COMPLETED", "2026-03-17")
    assert [e["item_id"] for e in as_json["excluded"]] == ["F-00702", "F-00703", "F-00705"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(policies(min_steps=1), st.data(), dates())
def test_next_says_what_the_rules_say(tmp_path: Path, policy, data, on) -> None:
    """The explanation of ``next`` is the rules': selection, proposal or idle reason."""
    account = data.draw(accounts(policy=policy, with_plans=True))
    save_policy(policy, tmp_path / "policy.json")
    save_portfolio(Portfolio(accounts=[account]), tmp_path / "portfolio.json")
    out = io.StringIO()
    argv = ["next", str(tmp_path / "portfolio.json"), account.id,
            "--policy", str(tmp_path / "policy.json"), "--on", on.isoformat()]  # fmt: skip
    collecting = gc.isenabled()
    assert main(argv, out) == 0
    assert gc.isenabled() is collecting  # main gives the collector back
    said = out.getvalue().splitlines()
    in_scenario = collectable_items(account, policy)
    total = balance(account, policy)
    assert said[2] == (
        f"items: {sum(1 for i in account.items if i.open_amount)} open, "
        f"{len(in_scenario)} in the scenario, balance {format_amount(total, account.currency)}"
    )
    leader = leader_invoice(account, policy)
    leaders = [line for line in said if line.startswith("leader: ")]
    assert len(leaders) == (leader is not None)
    assert leader is None or leaders[0].startswith(f"leader: {leader.id}, due {leader.due_date},")
    proposal = next_action(account, policy, on)
    if proposal is None:
        reason = idle_reason(account, policy, on)
        nothing = [line for line in said if line.startswith("next: nothing")]
        assert nothing == [nothing[0]]
        assert nothing[0].startswith(f"next: nothing ({reason.value}): ")
        review = explain(account, policy, on).review_due
        assert (
            said[-1] == f"review: decide (litigation, write-off or a specific action), due {review}"
        ) is (review is not None)
    else:
        assert any(
            line.startswith(f"next: step {proposal.step_index} {proposal.step.name!r} ")
            and f" due {proposal.due_on}" in line
            for line in said
        )
        assert said[-1] == (
            f"about: {len(proposal.item_ids)} item{'s' * (len(proposal.item_ids) != 1)}, "
            f"balance {format_amount(proposal.balance, account.currency)}"
        )


def test_debug_goes_before_or_after_the_command(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("format = 2\n", encoding="utf-8")
    for args in (("--debug", "check", str(policy)), ("check", str(policy), "--debug")):
        result = run(*args)
        assert result.returncode == 1
        assert "Traceback" in result.stderr
        assert "LoadError" in result.stderr
    assert run("agenda", "--debug").returncode == 0


def test_csv_carries_the_same_values_as_json() -> None:
    for command in (("agenda",), ("report", "aged"), ("report", "qualification")):
        rows = json.loads(run(*command, "--format", "json").stdout)
        table = list(csv.DictReader(io.StringIO(run(*command, "--format", "csv").stdout)))
        assert len(table) == len(rows)
        for record, line in zip(rows, table, strict=True):
            assert list(line) == list(record)
            for key, value in record.items():
                cell = (
                    " ".join(value)
                    if isinstance(value, list)
                    else str(value).lower()
                    if isinstance(value, bool)
                    else ""
                    if value is None
                    else str(value)
                )
                assert line[key] == cell, (command, key)


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
        (("next", "C-999"), "collectlib: error: the demo portfolio: no account 'C-999'"),
        (("agenda", "--policy", "missing.toml"), "collectlib: error: missing.toml: cannot read"),
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


def test_a_bad_portfolio_names_the_line_or_the_path(tmp_path: Path) -> None:
    policy = str(DEMO / "policy.toml")
    items = tmp_path / "items.csv"
    items.write_text(
        "account_id,item_id,kind,issue_date,due_date,amount,open_amount\n"
        "C-1,F-1,INVOICE,2026-01-05,2026-02-04,1200.00,1200.00\n"
        "C-1,F-2,INVOICE,2026-01-05,2026-13-04,80.00,80.00\n",
        encoding="utf-8",
    )
    portfolio = tmp_path / "portfolio.json"
    portfolio.write_text(
        '{"format": 1, "accounts": [{"id": "C-1", "items": [{"id": "F-1", "kind": "INVOICE",'
        ' "issue_date": "2026-01-05", "due_date": "2026-13-01", "amount": "10",'
        ' "open_amount": "10"}]}]}',
        encoding="utf-8",
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1,\n "accounts": [\n}', encoding="utf-8")
    for path, message in (
        (items, f"{items}:3: due_date: not a date: '2026-13-04'"),
        (portfolio, "accounts[0].items[0].due_date: not a date: '2026-13-01'"),
        (broken, f"{broken}:3: not valid JSON"),
    ):
        for command in (
            ("agenda", str(path)),
            ("next", str(path), "C-1"),
            ("report", "aged", str(path)),
        ):
            result = run(*command, "--policy", policy)
            assert result.returncode == 1, command
            assert message in result.stderr, (command, result.stderr)
            assert len(result.stderr.strip().splitlines()) == 1


def _big_csv(path: Path, items: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("account_id,item_id,kind,issue_date,due_date,amount,open_amount\n")
        out.writelines(
            f"C-{n // 4},F-{n},INVOICE,2026-01-05,2026-02-04,120.00,120.00\n" for n in range(items)
        )


def _stderr_on_a_terminal(
    args: list[str], env: dict[str, str], stdout: Path
) -> tuple[int, str, str]:
    """Run the command with stderr on a pseudo-terminal; return code, stdout, stderr."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "collectlib"]
    with stdout.open("w", encoding="utf-8") as sink:
        process = _spawn([*command, *args], sink, slave, env)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    code = process.wait(timeout=120)
    return code, stdout.read_text(encoding="utf-8"), seen.decode()


def _cleared(stderr: str) -> bool:
    """Whether the progress line was rubbed out at the end, and nothing scrolled."""
    *_, last, after = stderr.rsplit("\r", 2)
    return after == "" and last.strip() == "" and "\n" not in stderr


def test_progress_on_a_terminal_only(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    _big_csv(items, 250_000)
    args = ["agenda", str(items), "--policy", str(DEMO / "policy.toml"), "--on", "2026-03-16"]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    out = tmp_path / "out.csv"
    code, stdout, stderr = _stderr_on_a_terminal([*args, "--format", "csv"], env, out)
    assert code == 0, stderr
    # the count, of the total (the file's lines), the rate and the time taken
    assert re.search(r"\r100,000 of 250,000 items \(40%\), [\d,]+ items/s, \d+\.\d s", stderr)
    assert "\r200,000 of 250,000 items (80%), " in stderr
    assert _cleared(stderr)
    assert stdout.count("\n") == 62_500 + 1  # an agenda row per account, and the header
    quiet = _stderr_on_a_terminal([*args, "--format", "csv"], {**env, "CI": "true"}, out)
    assert quiet[0] == 0
    assert quiet[2] == ""
    piped = run(*args, "--format", "csv")
    assert piped.returncode == 0
    assert piped.stderr == ""
    assert piped.stdout == stdout
    found = ["next", str(items), "C-40000", *args[2:]]  # stops reading at item 160,004
    code, stdout, stderr = _stderr_on_a_terminal(found, env, out)
    assert code == 0, stderr
    assert "\r100,000 of 250,000 items (40%)" in stderr
    assert "200,000" not in stderr
    assert _cleared(stderr)  # rubbed out before the explanation
    assert stdout.startswith("account C-40000")


def test_progress_of_a_json_portfolio(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    _big_csv(items, 110_000)
    portfolio = tmp_path / "portfolio.json"
    save_portfolio(Portfolio(accounts=read_items_csv(items)), portfolio)
    args = ["report", "aged", str(portfolio)]  # a report needs no policy
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    code, stdout, stderr = _stderr_on_a_terminal(
        [*args, "--on", "2026-03-16"], env, tmp_path / "out.txt"
    )
    assert code == 0, stderr
    assert stderr.startswith(f"\rreading {portfolio}")
    assert "\r100,000 of 110,000 items (90%), " in stderr
    assert _cleared(stderr)
    assert stdout.splitlines()[-1].startswith("total")


def test_the_progress_line_tells_count_total_rate_and_time() -> None:
    from collectlib.cli._progress import Progress

    ticks = iter([10.0, 12.0, 14.5])
    stream = io.StringIO()
    progress = Progress(stream, clock=lambda: next(ticks))
    progress.note("reading " + "p" * 70 + ".json")  # longer than the count that follows
    accounts_read = [Account(id=f"C-{n}", items=[_an_item(f"F-{n}-{i}") for i in range(50_000)])
                     for n in range(4)]  # fmt: skip
    assert list(progress.count(accounts_read, total=200_000)) == accounts_read
    lines = stream.getvalue().split("\r")[1:]
    assert lines[1].rstrip() == "100,000 of 200,000 items (50%), 50,000 items/s, 2.0 s"
    assert lines[2].rstrip() == "200,000 of 200,000 items (100%), 44,444 items/s, 4.5 s"
    assert all(len(line) == len(lines[0]) for line in lines[1:])  # padded over the note
    progress.clear()
    assert stream.getvalue().endswith("\r" + " " * len(lines[0]) + "\r")
    silent = Progress(None)
    assert silent.count(accounts_read) is accounts_read  # no stream: passed through as is
    silent.note("x")
    silent.clear()


def _an_item(item_id: str) -> Item:
    return Item(id=item_id, kind="INVOICE", issue_date=AS_OF, due_date=AS_OF, amount=1,
                open_amount=1)  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("agenda", "--on", "2026-13-01"),
        ("agenda", "--horizon", "-3"),
        ("agenda", "--format", "xml"),
        ("frobnicate",),
        ("agenda", str(DEMO / "portfolio.json")),  # a portfolio needs its policy
        ("next", str(DEMO / "portfolio.json"), "C-001"),
        ("next",),
        ("report", "weekly"),
        (),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "usage: collectlib" in result.stderr
    assert "Traceback" not in result.stderr


# Hardening (issue 21): hostile files end in one line; nothing printed drives a terminal
# or a spreadsheet.

_UNSEEN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # all but the line break
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _item(item_id: str, amount: str) -> dict[str, str]:
    kind = "INVOICE" if not amount.startswith("-") else "CREDIT_NOTE"
    return {"id": item_id, "kind": kind, "issue_date": "2026-01-05", "due_date": "2026-02-04",
            "amount": amount, "open_amount": amount}  # fmt: skip


def _portfolio(folder: Path, *accounts: dict[str, Any]) -> Path:
    path = folder / "portfolio.json"
    path.write_text(json.dumps({"format": 1, "as_of": "2026-03-16", "accounts": accounts}))
    return path


def _spawn(command: list[str], sink: Any, stderr: int, env: dict[str, str]) -> Any:
    """Start ``command`` as a terminal's foreground job would run it, Ctrl-C included.

    A shell's background job ignores SIGINT and its children inherit that: the command
    gets the default disposition back, whoever runs the tests.
    """
    return subprocess.Popen(
        command,
        stdout=sink,
        stderr=stderr,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )


def _main(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run main() in this process; return its code, what it wrote to out and to stderr."""
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue(), capsys.readouterr().err


POLICY = str(DEMO / "policy.toml")


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote(tmp_path: Path, capsys) -> None:
    path = _portfolio(
        tmp_path,
        {"id": '=HYPERLINK("http://evil")', "items": [_item("F-1", "100.00")]},
        {"id": "@SUM(A1)", "items": [_item("F-2", "100.00"), _item("@F-3", "-30.00")]},
        {"id": "+C-3", "items": [_item("-F-4", "-30.00")]},  # a credit: in no agenda
    )
    for command in (("report", "aged"), ("agenda",)):
        code, text, _ = _main(
            *command, str(path), "--policy", POLICY, "--format", "csv", capsys=capsys
        )
        assert code == 0
        rows = list(csv.DictReader(io.StringIO(text)))
        ids = {row["account_id"] for row in rows} - {"'+C-3"}
        assert ids == {'\'=HYPERLINK("http://evil")', "'@SUM(A1)"}
        cells = [cell for row in rows for cell in row.values()]
        assert not [c for c in cells if c.startswith(_FORMULA) and not re.fullmatch(r"-[0-9.]+", c)]
    code, text, _ = _main(
        "report", "aged", str(path), "--policy", POLICY, "--format", "csv", capsys=capsys
    )
    balances = {row["balance"] for row in csv.DictReader(io.StringIO(text))}
    assert "-30.00" in balances  # a negative amount is a number, and stays one
    code, raw, _ = _main(
        "report",
        "aged",
        str(path),
        "--policy",
        POLICY,
        "--format",
        "csv",
        "--raw-csv",
        capsys=capsys,
    )
    assert {row["account_id"] for row in csv.DictReader(io.StringIO(raw))} == {
        '=HYPERLINK("http://evil")',
        "@SUM(A1)",
        "+C-3",
    }
    code, data, _ = _main(
        "report", "aged", str(path), "--policy", POLICY, "--format", "json", capsys=capsys
    )
    assert {row["account_id"] for row in json.loads(data)} == {
        '=HYPERLINK("http://evil")',
        "@SUM(A1)",
        "+C-3",
    }


def test_names_cannot_drive_the_terminal(tmp_path: Path, capsys) -> None:
    hostile = "\x1b]0;pwned\x07\x1b[2J\x9b31m\r"
    path = _portfolio(tmp_path, {"id": "C-1", "name": hostile, "items": [_item("F-1", "100.00")]})
    code, text, _ = _main("next", str(path), "C-1", "--policy", POLICY, capsys=capsys)
    assert code == 0
    assert not _UNSEEN.search(text)
    assert text.startswith(r"account C-1 (\x1b]0;pwned\x07\x1b[2J\x9b31m\r) on 2026-03-16")
    code, _, error = _main("next", str(path), f"C-{hostile}", "--policy", POLICY, capsys=capsys)
    assert code == 1
    assert not _UNSEEN.search(error.rstrip("\n"))
    assert error.count("\n") == 1


def test_an_error_message_is_one_line_whatever_it_holds(tmp_path: Path, capsys) -> None:
    path = tmp_path / "policy\n\x1b[2J.toml"
    code, _, error = _main("check", str(path), capsys=capsys)
    assert code == 1
    assert (
        error
        == "collectlib: error: "
        + str(path).replace("\n", r"\n").replace("\x1b", r"\x1b")
        + ": cannot read: No such file or directory\n"
    )


def test_json_escapes_what_it_would_leave_raw(capsys) -> None:
    from collectlib.cli._writers import write_rows

    out = io.StringIO()
    write_rows([{"name": "a\x9b\x7fb\x1b"}], "json", out, ["name"], set())
    assert not _UNSEEN.search(out.getvalue().replace("\n", ""))
    assert json.loads(out.getvalue()) == [{"name": "a\x9b\x7fb\x1b"}]  # nothing lost


def test_text_for_people_shows_control_characters_as_escapes() -> None:
    from collectlib.cli._writers import Visible

    out = io.StringIO()
    written = Visible(out)
    written.write("a\x1b[2J\tb\x7f\x9b\ud800\r\n")
    written.flush()
    assert out.getvalue() == "a\\x1b[2J\\tb\\x7f\\x9b\\ud800\\r\n"  # only the line break kept


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("big.json", '{"format": 1, "accounts": [], "as_of": ' + "9" * 5000 + "}", "big.json:1: not valid JSON: a number has too many digits"),
        ("big.toml", "format = 1\nminimum_amount = " + "9" * 5000 + "\n", "big.toml:2: not valid TOML: a number has too many digits"),
        ("deep.json", "[" * 100_000, "deep.json: not valid JSON: nested more than 64 levels deep"),
        ("deep.toml", "format = 1\nx = " + "{a=" * 5000 + "1" + "}" * 5000 + "\n", "deep.toml: not valid TOML: nested more than 64"),
        ("ids.json", '{"format": 1, "accounts": [{"id": "C-\\ud800"}]}', r"ids.json: accounts[0]: account: id must not contain control characters or surrogates, not 'C-\ud800'"),
        ("two.csv", "account_id,item_id,kind,issue_date,due_date,amount,open_amount,currency\nC-1,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR\nC-1,F-2,INVOICE,2026-01-05,2026-02-04,100000,100000,JPY\n", "two.csv:3: account 'C-1' in 'JPY', its first rows in 'EUR'"),
    ],
)  # fmt: skip
def test_hostile_files_are_one_line_errors(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    is_policy = name.endswith(".toml")
    result = run("check", str(path)) if is_policy else run("agenda", str(path), "--policy", POLICY)
    assert result.returncode == 1
    assert (
        result.stderr
        == f"collectlib: error: {tmp_path}/{message}" + result.stderr.split(message, 1)[1]
    )
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_out_of_memory_is_one_line_too(monkeypatch, capsys) -> None:
    from collectlib.cli import _commands

    def exhausted(args: object, out: object, progress: object) -> None:
        raise MemoryError

    monkeypatch.setattr(_commands, "check_command", exhausted)
    assert _main("check", POLICY, capsys=capsys) == (1, "", "collectlib: error: out of memory\n")
    with pytest.raises(MemoryError):
        main(["--debug", "check", POLICY], out=io.StringIO())


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_check_dev_zero_is_a_load_error() -> None:
    result = run("check", "/dev/zero")
    assert result.returncode == 1
    assert result.stderr == "collectlib: error: /dev/zero:1: a NUL byte: not a text file\n"


def test_max_size_raises_the_cap_of_a_json_portfolio(tmp_path: Path, capsys) -> None:
    path = tmp_path / "portfolio.json"
    path.write_text('{"format": 1, "accounts": [{"id": "C-1"}]}' + " " * 2**20)
    code, _, error = _main(
        "agenda", str(path), "--policy", POLICY, "--max-size", "1", capsys=capsys
    )
    assert code == 1
    assert (
        error
        == f"collectlib: error: {path}: larger than 1,048,576 bytes, the most this file may have (a bigger portfolio: max_bytes=, --max-size on the command line)\n"
    )
    code, text, _ = _main(
        "agenda",
        str(path),
        "--policy",
        POLICY,
        "--max-size",
        "2",
        "--on",
        "2026-03-16",
        capsys=capsys,
    )
    assert code == 0
    assert "nothing is due" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("agenda", "--max-size", "5"), "--max-size applies to a JSON portfolio"),
        (("agenda", "x.csv", "--policy", POLICY, "--max-size", "5"), "--max-size applies to a JSON portfolio"),
        (("agenda", "--max-size", "0"), "argument --max-size: not a size in MiB: '0'"),
        (("agenda", "--max-size", "lots"), "argument --max-size: not a size in MiB: 'lots'"),
    ],
)  # fmt: skip
def test_max_size_is_for_a_json_portfolio(args: tuple[str, ...], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(list(args), out=io.StringIO())
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


_HOSTILE = st.sampled_from(
    [
        "\x1b]0;pwned\x07",
        "\x1b[2J",
        "\x9b",
        "\r",
        "\t",
        "\x00",
        "=cmd|' /C calc'!A0",
        "+1",
        "-2+3",
        "@x",
        "-30.00",
    ]
)
_NAMES = st.lists(_HOSTILE | st.text(max_size=3), max_size=4).map("".join)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(_NAMES, _NAMES), min_size=1, max_size=4, unique_by=lambda pair: pair[0]),
    st.sampled_from([("agenda",), ("report", "aged"), ("report", "qualification")]),
    st.sampled_from(["table", "csv", "json"]),
)  # fmt: skip
def test_fuzzed_names_reach_no_terminal_and_no_spreadsheet(
    tmp_path_factory, capsys, names, command, fmt
) -> None:
    """Any id and name: one line of error, or output without control characters or formulas."""
    accounts = [
        {"id": f"C{number}{account_id}", "name": name, "items": [_item(f"F{number}", "100.00"), _item(f"{account_id}G", "-10.00")]}
        for number, (account_id, name) in enumerate(names)
    ]  # fmt: skip
    path = _portfolio(tmp_path_factory.mktemp("fuzz"), *accounts)
    code, text, error = _main(
        *command, str(path), "--policy", POLICY, "--format", fmt, capsys=capsys
    )
    event("refused" if code == 1 else "printed")
    if code == 1:  # an id the loader refuses (a control character, spaces around it)
        assert error.startswith(f"collectlib: error: {path}: accounts[")
        assert error.count("\n") == 1
        assert not _UNSEEN.search(error.rstrip("\n"))
        return
    assert (code, error) == (0, "")
    if fmt != "csv":
        assert not _UNSEEN.search(text.replace("\n", "") if fmt == "json" else text)
        return
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(_FORMULA) or re.fullmatch(r"-[0-9.]+", cell), cell
    records = json.loads(
        _main(*command, str(path), "--policy", POLICY, "--format", "json", capsys=capsys)[1]
    )
    key = "account_id" if rows and "account_id" in rows[0] else "status"
    assert [row[key] for row in rows] == [safe_cell(str(record[key] or "")) for record in records]


# Living in it (issue 20): what a new user tries first.

_HEADER = "account_id,account_name,item_id,kind,issue_date,due_date,amount,open_amount,currency\n"


def _items_csv(folder: Path, *rows: str, name: str = "items.csv") -> Path:
    path = folder / name
    path.write_text(_HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_version_is_the_package_version(capsys) -> None:
    from collectlib import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"collectlib {__version__}\n"


def test_reports_of_a_portfolio_need_no_policy(tmp_path: Path, capsys) -> None:
    items = _items_csv(
        tmp_path,
        "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,1200.00,1200.00,EUR",
        "C-2,Martin,F-7,INVOICE,2026-02-01,2026-03-03,80.00,80.00,EUR",
    )
    code, text, error = _main("report", "aged", str(items), "--on", "2026-03-16", capsys=capsys)
    assert (code, error) == (0, "")
    assert text.splitlines()[2].split() == ["account", "not_due", "1-30", "31-60", "61-90", "91+"]
    code, text, _ = _main(
        "report", "aged", str(items), "--on", "2026-03-16", "--buckets", "10,40", capsys=capsys
    )
    assert code == 0
    assert text.splitlines()[2].split() == ["account", "not_due", "1-10", "11-40", "41+"]
    assert text.splitlines()[4].split() == ["C-1", "0.00", "EUR", "0.00", "EUR", "1,200.00",
                                             "EUR", "0.00", "EUR"]  # fmt: skip  # 40 days late
    code, text, _ = _main("report", "qualification", str(items), capsys=capsys)
    assert code == 0
    assert "overdue: 2 items, 1,280.00 EUR" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "qualification", "--buckets", "30"), "--buckets applies to the aged report"),
        (("report", "aged", "--buckets", "30,sixty"), "not days separated by commas, like 30,60,90: '30,sixty'"),
    ],
)  # fmt: skip
def test_buckets_are_days_for_the_aged_report(args: tuple[str, ...], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(list(args), out=io.StringIO())
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    code, _, error = _main("report", "aged", "--buckets", "60,30", capsys=capsys)
    assert code == 1
    assert error == (
        "collectlib: error: aged_balance: bucket edges must increase, not 60 then 30 in (60, 30)\n"
    )


def test_a_collector_nobody_has_is_a_warning_naming_those_there(capsys) -> None:
    code, text, error = _main("agenda", "--collector", "bob", capsys=capsys)
    assert code == 0
    assert error == (
        "collectlib: warning: no collector named 'bob' in the portfolio "
        "(collectors: marie, paul, sophie)\n"
    )
    assert text.endswith("nothing is due\n")
    code, _, error = _main("agenda", "--collector", "paul", capsys=capsys)
    assert (code, error) == (0, "")


def test_a_collector_in_a_portfolio_without_collectors(tmp_path: Path, capsys) -> None:
    items = _items_csv(tmp_path, "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,10.00,10.00,EUR")
    code, _, error = _main(
        "agenda", str(items), "--policy", POLICY, "--collector", "x\x1b", capsys=capsys
    )
    assert code == 0
    assert error == (
        "collectlib: warning: no collector named 'x\\x1b' in the portfolio "
        "(the portfolio names no collector)\n"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("empty.csv", ""),
        ("header.csv", _HEADER),
        ("empty.json", '{"format": 1, "as_of": "2026-03-16", "accounts": []}'),
    ],
)
@pytest.mark.parametrize("command", [("agenda",), ("report", "aged"), ("report", "qualification")])
def test_a_portfolio_without_accounts_says_so(
    tmp_path: Path, capsys, name: str, text: str, command: tuple[str, ...]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    for fmt in ("table", "json"):
        code, out, error = _main(
            *command, str(path), "--policy", POLICY, "--format", fmt, capsys=capsys
        )
        assert (code, out) == (1, "")
        assert error == f"collectlib: error: {path}: no account\n"


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys) -> None:
    from collectlib.cli import _commands

    def interrupted(args: object, out: object, progress: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_commands, "agenda_command", interrupted)
    assert _main("agenda", capsys=capsys) == (130, "", "collectlib: interrupted\n")
    with pytest.raises(KeyboardInterrupt):
        main(["agenda", "--debug"], out=io.StringIO())


def test_ctrl_c_on_a_terminal_rubs_out_the_progress(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    items = tmp_path / "items.csv"
    _big_csv(items, 3_000_000)
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "collectlib"]
    args = ["agenda", str(items), "--policy", POLICY, "--on", "2026-03-16", "--format", "csv"]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    master, slave = pty.openpty()
    with (tmp_path / "out.csv").open("w") as sink:
        process = _spawn([*command, *args], sink, slave, env)
    os.close(slave)
    seen = b""
    while b"items/s" not in seen:  # the progress line is drawn: interrupt the run
        seen += os.read(master, 4096)
    process.send_signal(signal.SIGINT)
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert process.wait(timeout=120) == 130
    stderr = seen.decode()
    assert "Traceback" not in stderr
    stderr = stderr.replace("\r\n", "\n")  # the terminal writes a line break as \r\n
    assert stderr.count("\n") == 1
    # the progress line rubbed out, then one line
    assert re.search(r"items/s, [0-9.]+ s *\r +\rcollectlib: interrupted\n\Z", stderr)


def test_amounts_are_shown_in_their_currency_and_totals_per_currency(
    tmp_path: Path, capsys
) -> None:
    items = _items_csv(
        tmp_path,
        "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,1200.00,1200.00,EUR",
        "C-2,Tanaka,F-2,INVOICE,2026-01-05,2026-02-04,150000,150000,JPY",
        "C-3,Al Sabah,F-3,INVOICE,2026-01-05,2026-02-04,1200.125,1200.125,KWD",
        "C-4,Martin,F-4,INVOICE,2026-01-05,2026-02-04,80.50,80.50,EUR",
    )
    code, text, error = _main(
        "agenda", str(items), "--policy", POLICY, "--on", "2026-03-16", capsys=capsys
    )
    assert (code, error) == (0, "")
    amounts = {line.split()[2]: " ".join(line.split()[-3:-1]) for line in text.splitlines()[4:8]}
    assert amounts == {"C-1": "1,200.00 EUR", "C-2": "150,000 JPY", "C-3": "1,200.125 KWD",
                       "C-4": "80.50 EUR"}  # fmt: skip
    assert text.splitlines()[-1] == (
        "4 actions, 1,280.50 EUR, 150,000 JPY and 1,200.125 KWD at stake"
    )
    code, text, _ = _main("next", str(items), "C-2", "--policy", POLICY, "--on", "2026-03-16",
                          capsys=capsys)  # fmt: skip
    assert "balance 150,000 JPY" in text
    assert "open 150,000 JPY" in text


def _eur_jpy_kwd(folder: Path) -> Path:
    """Three customers due the same day, 2026-02-04, in euros, yen and Kuwaiti dinars."""
    path = folder / "portfolio.json"
    items = {"C-1": ("EUR", "100.125", "promise"), "C-2": ("JPY", "120000", None),
             "C-3": ("KWD", "1200.125", None), "C-4": ("EUR", "5000.00", None)}  # fmt: skip
    accounts = [
        {"id": account_id, "currency": currency, "collector": "ana",
         "items": [{**_item(f"F-{account_id}", amount), "status": status}]}
        for account_id, (currency, amount, status) in items.items()
    ]  # fmt: skip
    path.write_text(json.dumps({"format": 1, "as_of": "2026-03-16", "accounts": accounts}))
    return path


def test_a_portfolio_in_three_currencies_ranks_by_date_then_currency(
    tmp_path: Path, capsys
) -> None:
    path = _eur_jpy_kwd(tmp_path)
    code, text, error = _main("agenda", str(path), "--policy", POLICY, capsys=capsys)
    assert (code, error) == (0, "")
    rows = [line.split() for line in text.splitlines()[4:8]]
    # one due date: euros first (largest amount first), then the yen, then the dinars
    assert [(row[2], " ".join(row[-3:-1])) for row in rows] == [
        ("C-4", "5,000.00 EUR"), ("C-1", "100.13 EUR"), ("C-2", "120,000 JPY"),
        ("C-3", "1,200.125 KWD")]  # fmt: skip
    assert text.splitlines()[-1] == (
        "4 actions, 5,100.13 EUR, 120,000 JPY and 1,200.125 KWD at stake"
    )
    records = json.loads(run("agenda", str(path), "--policy", POLICY, "--format", "json").stdout)
    assert [(r["account_id"], r["amount"], r["currency"]) for r in records] == [
        ("C-4", "5000.00", "EUR"), ("C-1", "100.125", "EUR"), ("C-2", "120000", "JPY"),
        ("C-3", "1200.125", "KWD")]  # fmt: skip


def test_reports_of_a_portfolio_in_three_currencies_total_per_currency(
    tmp_path: Path, capsys
) -> None:
    path = _eur_jpy_kwd(tmp_path)
    code, text, error = _main("report", "aged", str(path), capsys=capsys)
    assert (code, error) == (0, "")
    lines = [line.split() for line in text.splitlines()[4:]]
    assert [(line[0], line[1], *line[-6:-4]) for line in lines] == [
        ("C-1", "0.00", "100.13", "EUR"), ("C-4", "0.00", "5,000.00", "EUR"),
        ("total", "EUR", "5,100.13", "EUR"),
        ("C-2", "0", "120,000", "JPY"), ("total", "JPY", "120,000", "JPY"),
        ("C-3", "0.000", "1,200.125", "KWD"), ("total", "KWD", "1,200.125", "KWD")]  # fmt: skip
    code, text, _ = _main("report", "qualification", str(path), capsys=capsys)
    assert text.splitlines()[2:5] == [
        "overdue: 4 items, 5,100.13 EUR, 120,000 JPY and 1,200.125 KWD",
        "qualified: 1 item, 100.13 EUR, 0 JPY and 0.000 KWD",
        "rate: 25.0% by count, 2.0% (EUR), 0.0% (JPY), 0.0% (KWD) by amount",
    ]
    rows = json.loads(run("report", "aged", str(path), "--format", "json").stdout)
    assert {(r["account_id"], r["currency"]) for r in rows} == {
        ("C-1", "EUR"), ("C-4", "EUR"), ("C-2", "JPY"), ("C-3", "KWD")}  # fmt: skip
    rows = json.loads(run("report", "qualification", str(path), "--format", "json").stdout)
    assert [(r["currency"], r["status"], r["amount"]) for r in rows] == [
        ("EUR", "promise", "100.125"), ("EUR", None, "5000.00"), ("JPY", None, "120000"),
        ("KWD", None, "1200.125")]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.decimals(min_value=0, max_value=10**9, places=3),
                          st.sampled_from(["EUR", "JPY", "KWD", "CHF"])), min_size=1))  # fmt: skip
def test_the_total_at_stake_never_adds_two_currencies(amounts) -> None:
    from collectlib.cli._writers import totals

    said = totals(amounts)
    parts = re.split(r", | and ", said)
    currencies = sorted({currency for _, currency in amounts})
    assert [part.rsplit(" ", 1)[1] for part in parts] == currencies
    for part, currency in zip(parts, currencies, strict=True):
        exact = sum((a for a, c in amounts if c == currency), Decimal(0))
        assert part == format_amount(exact, currency)


def test_every_shape_of_an_agenda_row_is_the_agenda_records() -> None:
    from collectlib import agenda
    from collectlib.demo import policy, portfolio
    from collectlib.io.converters import agenda_records, unstructure

    rows = agenda(portfolio().accounts, policy(), AS_OF)
    records = agenda_records(rows)
    assert unstructure(records) == unstructure(list(rows))  # the converter's hook
    assert json.loads(run("agenda", "--format", "json").stdout) == unstructure(records)


def test_the_total_of_a_csv_is_its_lines_after_the_header(tmp_path: Path) -> None:
    from collectlib.cli._progress import lines_after_header

    path = tmp_path / "items.csv"
    for text, lines in [("", 0), ("h\n", 0), ("h\na\nb\n", 2), ("h\na\nb", 2), ("h", 0)]:
        path.write_text(text, encoding="utf-8")
        assert lines_after_header(path) == lines, text
    assert lines_after_header(tmp_path) is None  # not a regular file: not read twice
    assert lines_after_header(tmp_path / "missing.csv") is None  # the reader says why


def test_the_holds_report_lists_what_the_erp_blocks(tmp_path: Path) -> None:
    table = run("report", "holds")
    assert table.returncode == 0, table.stderr
    assert "Accounts on credit hold on 2026-03-16" in table.stdout
    assert "C-007" in table.stdout
    rows = json.loads(run("report", "holds", "--format", "json").stdout)
    assert rows[0] == {
        "account_id": "C-002", "since": "2025-12-25", "amount": "10187.99", "currency": "EUR",
        "item_ids": ["F-00201", "F-00202", "F-00203"],
        "reason": "step 'Formal notice' recorded on 2025-12-25",
    }  # fmt: skip
    assert (
        "on credit hold: step 'Formal notice' recorded on 2026-03-10" in run("next", "C-007").stdout
    )
    assert "hold" in run("agenda").stdout.splitlines()[2]


def test_next_says_when_a_pause_ends_and_which_steps_were_skipped(tmp_path: Path) -> None:
    from collectlib import Condition, Policy, Scenario, Step, Trigger, pause

    policy = Policy(
        scenarios=[Scenario(name="s", steps=[
            Step(name="call", channel="CALL", trigger=Trigger.leader_due(5),
                 when=Condition(min_balance=5000)),
            Step(name="letter", channel="LETTER", template="#total_due",
                 trigger=Trigger.leader_due(10))])],
        default_scenario="s",
    )  # fmt: skip
    account = next(a for a in read_items_csv(ROOT / "examples" / "open-items.csv"))
    account = pause(account, dt.date(2026, 4, 1), dt.date(2026, 3, 10), "negotiation")
    save_policy(policy, tmp_path / "policy.json")
    save_portfolio(Portfolio(accounts=[account]), tmp_path / "portfolio.json")
    out = io.StringIO()
    argv = ["next", str(tmp_path / "portfolio.json"), account.id,
            "--policy", str(tmp_path / "policy.json"), "--on", "2026-03-16"]  # fmt: skip
    assert main(argv, out) == 0
    said = out.getvalue()
    assert "paused until 2026-04-01: the scenario goes on then where it was" in said
    assert "skipped: step 0, its condition does not hold: balance" in said
    assert "next: nothing (PAUSED)" in said


def test_the_exposure_report_and_group_holds(tmp_path: Path, capsys) -> None:
    """Durand's two EUR accounts owe 12,500.00 against a 10,000 limit: both are on hold."""
    path = _portfolio(
        tmp_path,
        {"id": "C-1", "group": "Durand", "credit_limit": "10000",
         "items": [_item("F-1", "8000.00")]},
        {"id": "C-2", "group": "Durand", "items": [_item("F-2", "4500.00")]},
        {"id": "C-3", "currency": "USD", "group": "Durand", "credit_limit": "5000",
         "items": [_item("F-3", "300.00")]},
        {"id": "C-4", "items": [_item("F-4", "50.00")]},
    )  # fmt: skip
    code, text, _ = _main("report", "exposure", str(path), capsys=capsys)
    assert code == 0
    lines = text.splitlines()
    assert lines[0].startswith("Exposure by group on 2026-03-16")
    assert lines[2].split() == ["group", "accounts", "balance", "overdue", "not_due", "credits",
                                "credit_limit", "over_limit"]  # fmt: skip
    assert "12,500.00 EUR" in lines[4]
    assert "10,000.00 EUR" in lines[4]
    assert lines[4].endswith("yes")
    assert lines[-1] == "2 groups, 1 over the limit"
    code, text, _ = _main("report", "exposure", str(path), "--format", "json", capsys=capsys)
    rows = json.loads(text)
    assert [(r["group"], r["currency"], r["balance"], r["over_limit"]) for r in rows] == [
        ("Durand", "EUR", "12500.00", True),
        ("Durand", "USD", "300.00", False),
        ("C-4", "EUR", "50.00", False),
    ]
    assert rows[0]["account_ids"] == ["C-1", "C-2"]
    code, text, _ = _main("report", "exposure", str(path), "--format", "csv", capsys=capsys)
    assert next(csv.DictReader(io.StringIO(text)))["account_ids"] == "C-1 C-2"
    code, text, _ = _main("report", "holds", str(path), "--format", "json", capsys=capsys)
    held = json.loads(text)
    assert [(h["account_id"], h["since"]) for h in held] == [
        ("C-1", None),
        ("C-2", None),
        ("C-3", None),
    ]
    assert held[2]["reason"] == (
        "group 'Durand' over its credit limit: 12,500.00 EUR owed, limit 10,000.00 EUR"
    )
    code, text, _ = _main("report", "holds", str(path), capsys=capsys)
    assert "group 'Durand' over its credit limit" in text
    code, text, _ = _main(
        "agenda", str(path), "--policy", POLICY, "--format", "json", capsys=capsys
    )
    rows = json.loads(text)
    assert {row["account_id"] for row in rows if row["on_hold"]} == {"C-1", "C-2", "C-3"}
    assert {row["account_id"] for row in rows} >= {"C-1", "C-2", "C-4"}


def test_check_shows_a_rate_that_follows_a_timeline(tmp_path: Path, capsys) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        'format = 1\n[penalties]\nannual_rate = [{from = 2025-01-01, rate = "0.1115"}, '
        '{from = 2025-07-01, rate = "0.1015"}]\nrecovery_cost = "40.00"\n'
    )
    code, text, _ = _main("check", str(path), capsys=capsys)
    assert code == 0
    assert (
        "penalties: a yearly rate of 0.1115 from 2025-01-01, 0.1015 from 2025-07-01 (365 days)"
        in text
    )


# ERP files from everywhere and messages in the customer's language (SPEC 11, 13.14).

GERMAN = ROOT / "examples" / "erp-export-de.csv"
GERMAN_ARGS = ("--encoding", "latin-1", "--delimiter", "tab", "--decimal-comma",
               "--date-format", "%d.%m.%Y")  # fmt: skip


def test_a_german_export_on_the_standard_input() -> None:
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "collectlib"]
    policy = str(ROOT / "examples" / "policy.toml")
    args = ["agenda", "-", *GERMAN_ARGS, "--policy", policy, "--on", "2026-03-16",
            "--format", "json"]  # fmt: skip
    result = subprocess.run(
        [*command, *args], input=GERMAN.read_bytes(), capture_output=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["account_id"], r["amount"]) for r in rows] == [
        ("3000", "10000.00"), ("1000", "1050.50"), ("2000", "980.00")
    ]  # fmt: skip
    from_file = run("agenda", str(GERMAN), *GERMAN_ARGS[:2], "--delimiter", "\\t",
                    *GERMAN_ARGS[4:], "--policy", policy, "--on", "2026-03-16", "--format",
                    "json")  # fmt: skip
    assert json.loads(from_file.stdout) == rows
    wrong = subprocess.run(
        [*command, *args[:2], *args[4:]], input=GERMAN.read_bytes(), capture_output=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert wrong.returncode == 1
    assert wrong.stderr.decode() == (
        "collectlib: error: <stdin>:2: not UTF-8 text: the byte 0xfc (with --encoding latin-1 "
        "/ encoding='latin-1' it reads as 'ü')\n"
    )


def test_next_writes_the_message_in_the_account_s_language(capsys) -> None:
    code, out, err = _main("next", "C-022", "--message", capsys=capsys)
    assert (code, err) == (0, "")
    assert "message (EMAIL, language fr):\n  Madame, Monsieur, les pièces suivantes" in out
    assert "  Total : 3,425.07 EUR.\n" in out
    code, out, _err = _main("next", "C-009", "--message", capsys=capsys)
    assert "message (EMAIL, language de_CH):\n  Sehr geehrte Damen und Herren" in out
    code, out, _err = _main("next", "C-005", "--message", capsys=capsys)
    assert "message (EMAIL, no language):\n  Dear Garage Morel," in out


def test_a_locale_formats_the_message_amounts_and_dates(capsys) -> None:
    _code, out, _err = _main("next", "C-022", "--message", "--locale", "fr_FR", capsys=capsys)
    assert "  Total : 3\u202f425,07\xa0€.\n" in out
    _code, same, _err = _main("next", "C-022", "--message", "--locale", "account", capsys=capsys)
    assert same == out
    _code, neutral, _err = _main("next", "C-005", "--message", "--locale", "account",
                                 capsys=capsys)  # fmt: skip
    assert "  Total: 9,977.90 EUR.\n" in neutral  # an account without a language: neutral
    code, out, _err = _main("next", "C-022", "--message", "--format", "json", capsys=capsys)
    assert code == 0
    assert json.loads(out)["message"].startswith("Madame, Monsieur")
    _code, out, _err = _main("next", "C-003", "--message", "--format", "json", capsys=capsys)
    assert json.loads(out)["message"] is None
    _code, out, _err = _main("next", "C-003", "--message", capsys=capsys)
    assert out.endswith("message: none (no next action, or one without a message)\n")
    code, _out, err = _main("next", "C-022", "--message", "--locale", "xx_YY", capsys=capsys)
    assert code == 1
    assert err.startswith("collectlib: error: locale 'xx_YY'")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("next", "C-022", "--locale", "fr_FR"), "--locale applies to --message"),
        (("agenda", "--decimal-comma"), "apply to a CSV portfolio"),
        (("agenda", "--encoding", "latin-1"), "apply to a CSV portfolio"),
        (("agenda", "--date-format", "%d.%m.%Y"), "apply to a CSV portfolio"),
    ],
)
def test_the_new_options_have_their_place(args: tuple[str, ...], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main(list(args), out=io.StringIO())
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


def test_an_empty_standard_input_has_no_account(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _out, err = _main("agenda", "-", "--policy", POLICY, capsys=capsys)
    assert (code, err) == (1, "collectlib: error: <stdin>: no account\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GERMAN.read_bytes())))
    code, _out, err = _main("next", "-", "9999", *GERMAN_ARGS, "--policy", POLICY, capsys=capsys)
    assert (code, err) == (1, "collectlib: error: <stdin>: no account '9999'\n")


def test_next_and_agenda_show_the_sending_moment_in_the_customers_zone(tmp_path: Path) -> None:
    from collectlib import Policy, Scenario, SendingWindow, Step, Trigger

    reminder = Step(name="reminder", channel="EMAIL", template="#total_due",
                    trigger=Trigger.leader_due(3), automatic=True)  # fmt: skip
    rules = Policy(
        scenarios=[Scenario(name="s", steps=[reminder])],
        default_scenario="s",
        sending_window=SendingWindow(weekdays=range(7), slots=[(dt.time(9), dt.time(12))]),
    )
    customer = Account(id="C-1", timezone="America/New_York", items=[
        Item(id="F-1", kind="INVOICE", issue_date=dt.date(2026, 2, 3),
             due_date=dt.date(2026, 3, 5), amount="10.00", open_amount="10.00")])  # fmt: skip
    save_policy(rules, tmp_path / "policy.json")
    save_portfolio(Portfolio(accounts=(customer,)), tmp_path / "portfolio.json")
    common = ("--policy", str(tmp_path / "policy.json"), "--on", "2026-03-09")
    out = io.StringIO()
    assert main(["next", str(tmp_path / "portfolio.json"), "C-1", *common], out=out) == 0
    assert "sent automatically at 2026-03-09 09:00 America/New_York" in out.getvalue()
    out = io.StringIO()
    assert (
        main(["agenda", str(tmp_path / "portfolio.json"), *common, "--format", "json"], out=out)
        == 0
    )
    (row,) = json.loads(out.getvalue())
    assert row["send_at"] == "2026-03-09T09:00:00-04:00"  # what every ISO 8601 reader reads
    assert dt.datetime.fromisoformat(row["send_at"]) == dt.datetime(
        2026, 3, 9, 9, tzinfo=ZoneInfo("America/New_York")
    )
