"""The command line, run as a user would: the installed entry point in a subprocess."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from collectlib import (
    balance,
    collectable_items,
    explain,
    idle_reason,
    leader_invoice,
    next_action,
)
from collectlib.cli import main
from collectlib.demo import AS_OF
from collectlib.io.files import Portfolio, read_items_csv, safe_cell, save_policy, save_portfolio
from collectlib.strategies import accounts, dates, policies

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
    assert "ignored (below 5.00): F-01299" in lawyer
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
        f"{len(in_scenario)} in the scenario, balance {total:,.2f} {account.currency}"
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
            f"balance {proposal.balance:,.2f} {account.currency}"
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
        process = subprocess.Popen([*command, *args], stdout=sink, stderr=slave, env=env)
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


def test_progress_on_a_terminal_only(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    _big_csv(items, 250_000)
    args = ["agenda", str(items), "--policy", str(DEMO / "policy.toml"), "--on", "2026-03-16"]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    out = tmp_path / "out.csv"
    code, stdout, stderr = _stderr_on_a_terminal([*args, "--format", "csv"], env, out)
    assert code == 0, stderr
    assert "100,000 items" in stderr
    assert "200,000 items" in stderr
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
    assert stderr.strip() == "100,000 items"
    assert stderr.endswith("\n")  # the progress line is ended before the explanation
    assert stdout.startswith("account C-40000")


def test_progress_of_a_json_portfolio(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    _big_csv(items, 110_000)
    portfolio = tmp_path / "portfolio.json"
    save_portfolio(Portfolio(accounts=read_items_csv(items)), portfolio)
    args = ["report", "aged", str(portfolio), "--policy", str(DEMO / "policy.toml")]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    code, stdout, stderr = _stderr_on_a_terminal(
        [*args, "--on", "2026-03-16"], env, tmp_path / "out.txt"
    )
    assert code == 0, stderr
    assert stderr.splitlines()[0] == f"reading {portfolio}"
    assert "100,000 items" in stderr
    assert stdout.splitlines()[-1].startswith("total")


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
    from collectlib.cli import _write_rows

    out = io.StringIO()
    _write_rows([{"name": "a\x9b\x7fb\x1b"}], "json", out, ["name"], set())
    assert not _UNSEEN.search(out.getvalue().replace("\n", ""))
    assert json.loads(out.getvalue()) == [{"name": "a\x9b\x7fb\x1b"}]  # nothing lost


def test_text_for_people_shows_control_characters_as_escapes() -> None:
    from collectlib.cli import _Visible

    out = io.StringIO()
    written = _Visible(out)
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
    import collectlib.cli

    def exhausted(args: object, out: object) -> None:
        raise MemoryError

    monkeypatch.setattr(collectlib.cli, "_check", exhausted)
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
    path.write_text('{"format": 1, "accounts": []}' + " " * 2**20)
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
