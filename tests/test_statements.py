"""Statement records (the tables of #items_list...): bad input names the row and the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from collectlib import Statement, StatementRow, ValidationError

DAY = dt.date(2026, 3, 2)
GOOD: dict[str, Any] = {
    "item_id": "F-1",
    "issue_date": DAY,
    "due_date": DAY,
    "amount": Decimal(100),
    "open_amount": Decimal(40),
}


def row(**changes: Any) -> StatementRow:
    return StatementRow(**{**GOOD, **changes})


def test_a_row_keeps_its_values_and_defaults() -> None:
    line = row()
    assert (line.days_late, line.status, line.penalties) == (0, "", None)
    assert row(days_late=3, status="Promise", penalties=Decimal("1.50")).penalties == Decimal(
        "1.50"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"item_id": ""}, r"^statement row: item_id must be a non-empty string"),
        (
            {"issue_date": "2026-03-02"},
            r"^statement row 'F-1': issue_date must be a date, not '2026-03-02'$",
        ),
        ({"due_date": None}, r"^statement row 'F-1': due_date must be a date, not None$"),
        ({"amount": "x"}, r"^statement row 'F-1': amount: not an amount: 'x'$"),
        ({"open_amount": Decimal("NaN")}, r"^statement row 'F-1': open_amount: not an amount"),
        ({"days_late": -1}, r"^statement row 'F-1': days_late must be at least 0, not -1$"),
        ({"days_late": 1.5}, r"^statement row 'F-1': days_late must be a whole number, not 1.5$"),
        ({"status": None}, r"^statement row 'F-1': status must be a string, not None$"),
        (
            {"penalties": Decimal(-1)},
            r"^statement row 'F-1': penalties must be at least 0, not -1$",
        ),
        ({"penalties": "y"}, r"^statement row 'F-1': penalties: not an amount: 'y'$"),
    ],
)
def test_a_bad_row_names_the_item_and_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        row(**changes)


def test_a_statement_totals_its_rows() -> None:
    table = Statement(
        currency="EUR",
        rows=[row(), row(item_id="F-2", open_amount=Decimal(60), penalties=Decimal(2))],
    )
    assert (table.total, table.penalties_total, table.with_penalties) == (
        Decimal(100),
        Decimal(2),
        False,
    )
    assert Statement(currency="JPY").rows == ()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"currency": "eur"},
            r"^statement: currency must be an ISO 4217 code like 'EUR', not 'eur'$",
        ),
        ({"currency": "EUR", "rows": [object()]}, r"^statement: rows\[0\] must be a StatementRow"),
        (
            {"currency": "EUR", "with_penalties": 1},
            r"^statement: with_penalties must be True or False, not 1$",
        ),
        (
            {"currency": "EUR", "rows": [row()], "with_penalties": True},
            r"^statement: row 'F-1' has no penalties$",
        ),
    ],
)
def test_a_bad_statement_says_what_is_wrong(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Statement(**fields)


def test_a_statement_with_penalties_needs_them_on_every_row() -> None:
    table = Statement(currency="EUR", rows=[row(penalties=Decimal(0))], with_penalties=True)
    assert table.penalties_total == 0
