"""The ERP's history of paid items: CSV and JSON files of settlements (SPEC 12)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectlib import LoadError, Settlement, ValidationError
from collectlib.io.files import (
    load_settlements,
    read_settlements_csv,
    save_settlements,
)
from collectlib.strategies import settlements

HEADER = "account_id,item_id,issue_date,due_date,settled_on,amount,currency,disputed\n"


def write(tmp_path: Path, text: str, name: str = "paid.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_history_of_paid_items_reads_as_settlements(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "C-1,F-1,2026-01-01,2026-01-31,2026-02-12,500.00,EUR,\n"
        + "C-1,F-2,2026-02-01,2026-03-03,2026-04-02,120.50,EUR,true\n"
        + "C-2,U-1,2026-02-01,2026-03-03,2026-03-01,99,USD,no\n",
    )
    found = load_settlements(path)
    assert found == (
        Settlement(
            account_id="C-1", item_id="F-1", issue_date=dt.date(2026, 1, 1),
            due_date=dt.date(2026, 1, 31), settled_on=dt.date(2026, 2, 12), amount="500.00",
        ),
        Settlement(
            account_id="C-1", item_id="F-2", issue_date=dt.date(2026, 2, 1),
            due_date=dt.date(2026, 3, 3), settled_on=dt.date(2026, 4, 2), amount="120.50",
            disputed=True,
        ),
        Settlement(
            account_id="C-2", item_id="U-1", issue_date=dt.date(2026, 2, 1),
            due_date=dt.date(2026, 3, 3), settled_on=dt.date(2026, 3, 1), amount=99,
            currency="USD",
        ),
    )  # fmt: skip
    assert found[0].days_late == 12


def test_the_optional_columns_and_the_options(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "settled_on;amount;item_id;account_id;due_date;issue_date\n"
        "12.02.2026;1.200,50;F-1;C-1;31.01.2026;01.01.2026\n",
        encoding="latin-1",
    )
    (found,) = read_settlements_csv(
        path, currency="CHF", delimiter=";", decimal_comma=True, date_format="%d.%m.%Y",
        encoding="latin-1",
    )  # fmt: skip
    assert (found.amount, found.currency, found.disputed) == (Decimal("1200.50"), "CHF", False)
    assert read_settlements_csv(io.BytesIO(HEADER.encode())) == ()
    assert read_settlements_csv(io.BytesIO(b"")) == ()


def test_every_bad_row_is_reported_with_its_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "C-1,F-1,2026-01-01,2026-01-31,2026-13-12,500.00,EUR,\n"
        + "C-1,F-2,2026-01-01,2026-01-31,2026-02-12,1.200,50,EUR,\n"
        + "C-1,F-3,2026-01-01,2026-01-31,2026-02-12,abc,EUR,\n"
        + "C-1,F-4,2026-01-01,2026-01-31,2025-12-12,10,EUR,\n"
        + "C-1,F-5,2026-01-01,2026-01-31,2026-02-12,10,EUR,maybe\n"
        + "C-1,F-6,2026-01-01,2026-01-31,2026-02-12,-10,XYZ,\n"
        + "\n"
        + "C-1,F-7,2026-01-01,2026-01-31,2026-02-12,10,EUR,1\n",
    )
    with pytest.raises(LoadError) as raised:
        load_settlements(path)
    lines = [(problem.line, problem.what) for problem in raised.value.problems]
    assert [line for line, _ in lines] == [2, 3, 4, 5, 6, 7]
    assert lines[0][1] == "settled_on: not a date: '2026-13-12'"
    assert lines[1][1] == "9 fields, the header has 8"
    assert lines[2][1] == "amount: not an amount: 'abc'"
    assert "settled_on 2025-12-12 is before the issue_date" in lines[3][1]
    assert lines[4][1] == "disputed: not true or false: 'maybe'"
    assert "settlement 'F-6' of account 'C-1': amount must be positive" in lines[5][1]
    assert str(path) in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "account_id,item_id,amount\n",
            r"missing columns \['issue_date', 'due_date', 'settled_on'\]",
        ),
        (HEADER + 'C-1,"F-1\n', "unexpected end of data"),
    ],
)
def test_a_file_that_cannot_be_read_on(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        load_settlements(write(tmp_path, text))


def test_bytes_not_of_the_encoding_and_bad_options(tmp_path: Path) -> None:
    path = tmp_path / "paid.csv"
    path.write_bytes(HEADER.encode() + b"C-1,F-\xe91,2026-01-01,2026-01-31,2026-02-12,5,EUR,\n")
    with pytest.raises(LoadError, match=r"paid.csv:2: not UTF-8 text: the byte 0xe9"):
        load_settlements(path)
    with pytest.raises(ValidationError, match="read_settlements_csv: currency"):
        read_settlements_csv(path, currency="XYZ")
    with pytest.raises(LoadError, match="the delimiter is one character"):
        read_settlements_csv(path, delimiter=";;")
    with pytest.raises(LoadError, match="cannot read"):
        read_settlements_csv(tmp_path / "missing.csv")
    with pytest.raises(LoadError, match="read_settlements_csv: source must be a path"):
        read_settlements_csv(42)  # type: ignore[arg-type]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(settlements(account_ids=st.sampled_from(["C-1", "C-2"])), max_size=8))
def test_saved_settlements_load_back_equal(tmp_path: Path, drawn: list[Settlement]) -> None:
    path = tmp_path / "paid.json"
    save_settlements(drawn, path)
    assert load_settlements(path) == tuple(drawn)


def test_a_bad_json_history_names_the_path_of_the_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"format": 1, "extra": 1, "settlements": [{"account_id": "C-1", "item_id": "F-1",'
        ' "issue_date": "2026-01-01", "due_date": "2026-01-31", "settled_on": "2026-02-30",'
        ' "amount": "5"}]}',
        name="paid.json",
    )
    with pytest.raises(LoadError) as raised:
        load_settlements(path)
    text = str(raised.value)
    assert "unknown keys ['extra']" in text
    assert "settlements[0].settled_on" in text
