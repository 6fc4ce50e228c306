"""collectlib.frames: items tables in, agenda and reports out, and the Dask runner."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    AgendaEntry,
    Channel,
    EntryKind,
    LoadError,
    Policy,
    SalesPeriod,
    Scenario,
    Step,
    Trigger,
    ValidationError,
    aged_balance,
    agenda,
    dso,
    overdue_ratio,
)
from collectlib.frames import accounts_from_frame, agenda_dask, agenda_frame, report_frame
from collectlib.io.converters import agenda_columns, agenda_records
from collectlib.strategies import accounts, policies

ON = dt.date(2026, 6, 1)


def table_of(portfolio: list[Account] | tuple[Account, ...]) -> pd.DataFrame:
    """The items table an ERP would export for ``portfolio`` (amounts as strings)."""
    return pd.DataFrame(
        [
            {
                "account_id": account.id,
                "account_name": account.name,
                "item_id": item.id,
                "kind": item.kind.value,
                "issue_date": item.issue_date.isoformat(),
                "due_date": item.due_date.isoformat(),
                "amount": str(item.amount),
                "open_amount": str(item.open_amount),
                "currency": account.currency,
            }
            for account in portfolio
            for item in account.items
        ],
        columns=[
            "account_id",
            "account_name",
            "item_id",
            "kind",
            "issue_date",
            "due_date",
            "amount",
            "open_amount",
            "currency",
        ],
    )


plain_portfolios = st.lists(
    accounts(with_actions=False, min_items=1, max_items=6), max_size=6, unique_by=lambda a: a.id
)


@given(plain_portfolios)
def test_a_table_gives_back_the_accounts_it_was_made_from(portfolio) -> None:
    assert list(accounts_from_frame(table_of(portfolio))) == [
        Account(id=a.id, name=a.name, currency=a.currency, items=a.items) for a in portfolio
    ]


@given(plain_portfolios, st.randoms())
def test_rows_of_an_account_may_be_anywhere_in_the_table(portfolio, random) -> None:
    table = table_of(portfolio)
    shuffled = table.sample(frac=1, random_state=random.randint(0, 2**31))
    by_id = {a.id: a.items for a in accounts_from_frame(shuffled)}
    for account in portfolio:
        assert sorted(by_id[account.id], key=lambda i: i.id) == sorted(
            account.items, key=lambda i: i.id
        )


def test_arrow_tables_decimals_floats_and_dates_are_read_exactly() -> None:
    table = pa.table(
        {
            "account_id": ["C-1", "C-1"],
            "item_id": ["F-1", "F-2"],
            "kind": ["INVOICE", "CREDIT_NOTE"],
            "issue_date": [dt.date(2026, 1, 1), dt.date(2026, 1, 5)],
            "due_date": pa.array([dt.date(2026, 1, 31), dt.date(2026, 1, 5)], pa.date32()),
            "amount": pa.array([Decimal("100.10"), Decimal("-20.00")], pa.decimal128(12, 2)),
            "open_amount": [100.1, -20.0],
        }
    )
    (account,) = accounts_from_frame(table, currency="CHF")
    assert account.currency == "CHF"
    assert [i.open_amount for i in account.items] == [Decimal("100.1"), Decimal("-20.0")]
    assert account.items[0].amount == Decimal("100.10")
    assert account.items[0].due_date == dt.date(2026, 1, 31)


def test_an_unknown_default_currency_is_refused() -> None:
    with pytest.raises(
        ValidationError, match=r"^accounts_from_frame: currency must be an ISO 4217"
    ):
        accounts_from_frame(table_of([]), currency="XYZ")


def test_columns_can_be_renamed() -> None:
    table = table_of([]).rename(columns={"account_id": "Customer", "item_id": "Document"})
    table.loc[0] = ["C-9", "X", "F-1", "INVOICE", "2026-01-01", "2026-01-31", "10", "10", "EUR"]
    (account,) = accounts_from_frame(
        table, columns={"account_id": "Customer", "item_id": "Document"}
    )
    assert (account.id, account.items[0].id) == ("C-9", "F-1")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("due_date", "2026-13-01", r"row 1: due_date: not a date: '2026-13-01'"),
        ("amount", "12,50", r"row 1: amount: not an amount: '12,50'"),
        (
            "open_amount",
            "500",
            r"row 1 \(account 'C-1'\): item 'F-2': open_amount 500 exceeds amount 100",
        ),
        ("kind", "BILL", r"row 1 \(account 'C-1'\): item 'F-2': kind: unknown ItemKind 'BILL'"),
    ],
)
def test_bad_rows_are_load_errors_naming_the_row(column: str, value: str, message: str) -> None:
    table = pd.DataFrame(
        {
            "account_id": ["C-1", "C-1"],
            "item_id": ["F-1", "F-2"],
            "kind": ["INVOICE", "INVOICE"],
            "issue_date": ["2026-01-01", "2026-01-01"],
            "due_date": ["2026-01-31", "2026-01-31"],
            "amount": ["100", "100"],
            "open_amount": ["100", "100"],
        }
    )
    table.loc[1, column] = value
    snapshot = table.copy()
    with pytest.raises(LoadError, match=message):
        list(accounts_from_frame(table))
    pd.testing.assert_frame_equal(table, snapshot)


def test_missing_and_unknown_columns_are_load_errors() -> None:
    with pytest.raises(LoadError, match=r"missing columns \['item_id'"):
        list(accounts_from_frame(pd.DataFrame({"account_id": ["C-1"]})))
    with pytest.raises(LoadError, match=r"unknown fields in columns=: \['customer'\]"):
        list(accounts_from_frame(table_of([]), columns={"customer": "x"}))


@given(policies(min_steps=1), st.data())
def test_agenda_frame_has_one_row_per_entry(policy, data) -> None:
    portfolio = data.draw(st.lists(accounts(policy=policy), max_size=5, unique_by=lambda a: a.id))
    rows = agenda(portfolio, policy, ON, horizon_days=30)
    frame = agenda_frame(rows)
    assert list(frame.columns) == list(rows[0]._fields if rows else frame.columns)
    assert len(frame) == len(rows)
    assert [tuple(x) for x in frame["item_ids"]] == [tuple(sorted(r.item_ids)) for r in rows]
    assert list(frame["amount"]) == [r.amount for r in rows]


def test_report_frame_is_the_report_rows() -> None:
    assert accounts_from_frame(table_of([])) == ()
    report = aged_balance([], ON)
    assert report_frame(report).to_dict("records") == report.rows()
    assert report_frame(report, numeric=True).empty


@given(plain_portfolios)
def test_the_accounts_of_a_table_can_be_read_twice(portfolio) -> None:
    accounts = accounts_from_frame(table_of(portfolio))
    assert isinstance(accounts, tuple)
    assert list(accounts) == list(accounts)
    assert len(accounts) == len(portfolio)


@given(policies(min_steps=1), st.data())
def test_agenda_frame_is_the_agenda_records(policy, data) -> None:
    portfolio = data.draw(st.lists(accounts(policy=policy), max_size=5, unique_by=lambda a: a.id))
    rows = agenda(portfolio, policy, ON, horizon_days=30)
    frame = agenda_frame(rows)
    records = agenda_records(rows)
    # A record is its row's fields, enums by value and the ids sorted (read field by field,
    # not through the columns both are built on).
    assert records == [
        {**row._asdict(), "kind": row.kind.value, "channel": row.channel.value,
         "item_ids": tuple(sorted(row.item_ids))}
        for row in rows
    ]  # fmt: skip
    assert agenda_columns(rows) == {
        name: [record[name] for record in records] for name in AgendaEntry._fields
    }
    assert list(frame.columns) == list(AgendaEntry._fields)
    for column in ("account_id", "kind", "channel", "item_ids", "amount", "currency"):
        assert list(frame[column]) == [record[column] for record in records]
    # Built a column at a time, the frame is the one pandas builds from the records
    # (the reference): every cell and every column's type, also for no row at all.
    reference = pd.DataFrame.from_records(records, columns=list(AgendaEntry._fields))
    pd.testing.assert_frame_equal(frame, reference)
    pd.testing.assert_frame_equal(agenda_frame(list(rows)), reference)
    pd.testing.assert_frame_equal(agenda_frame(iter(rows)), reference)


def test_agenda_frame_names_what_is_not_a_row() -> None:
    row = AgendaEntry("C-1", None, ON, 0, EntryKind.SCENARIO, Channel.EMAIL, "e-mail",
                      frozenset({"F-1"}), Decimal(1), True, False, None, 0)  # fmt: skip
    with pytest.raises(ValidationError, match=r"agenda_frame: entries\[1\] must be an "
                       r"AgendaEntry, not \('C-2',\)"):  # fmt: skip
        agenda_frame([row, ("C-2",)])
    with pytest.raises(ValidationError, match="agenda_frame: entries must be a collection"):
        agenda_frame("C-1")
    assert agenda_frame((row,))["item_ids"].tolist() == [("F-1",)]


@given(policies(min_steps=1), st.data())
def test_numeric_frames_give_the_amounts_as_floats(policy, data) -> None:
    portfolio = data.draw(st.lists(accounts(policy=policy), max_size=5, unique_by=lambda a: a.id))
    rows = agenda(portfolio, policy, ON, horizon_days=30)
    exact = agenda_frame(rows)
    numeric = agenda_frame(rows, numeric=True)
    assert numeric["amount"].dtype == "float64"
    assert numeric["arrears"].dtype == "float64"
    assert list(numeric["amount"]) == [float(r.amount) for r in rows]
    assert list(numeric["arrears"].isna()) == [r.arrears is None for r in rows]
    assert list(exact["amount"]) == [r.amount for r in rows]  # the default stays exact
    other = [c for c in exact.columns if c not in {"amount", "arrears"}]
    pd.testing.assert_frame_equal(numeric[other], exact[other])


def test_formatted_frames_show_each_amount_in_its_currency_s_minor_unit() -> None:
    table = pd.DataFrame(
        {
            "account_id": ["C-1", "C-2", "C-3"],
            "item_id": ["F-1", "F-2", "F-3"],
            "kind": ["INVOICE"] * 3,
            "issue_date": ["2026-01-01"] * 3,
            "due_date": ["2026-01-31"] * 3,
            "amount": ["100.125", "120000", "1200.125"],
            "open_amount": ["100.125", "120000", "1200.125"],
            "currency": ["EUR", "JPY", "KWD"],
        }
    )
    portfolio = accounts_from_frame(table)
    policy = Policy(
        scenarios=[Scenario(name="s", steps=[Step(name="call", channel="CALL",
                                                  trigger=Trigger.leader_due(5))])],
        default_scenario="s",
    )  # fmt: skip
    shown = agenda_frame(agenda(portfolio, policy, ON), formatted=True)
    assert list(shown["amount"]) == ["100.13 EUR", "120,000 JPY", "1,200.125 KWD"]
    assert list(shown["arrears"]) == [None, None, None]
    aged = report_frame(aged_balance(portfolio, ON), formatted=True)
    assert list(aged[aged["bucket"] == "91+"]["balance"]) == [
        "100.13 EUR", "120,000 JPY", "1,200.125 KWD"]  # fmt: skip
    nothing = report_frame(overdue_ratio([], ON), formatted=True)  # no currency: as it is
    assert type(nothing["receivables"][0]) is Decimal
    months = [SalesPeriod(days=30, sales=70_000)]
    assert report_frame(dso(50_000, months), formatted=True)["receivables"][0] == 50_000
    with pytest.raises(ValidationError, match="agenda_frame: numeric and formatted: choose one"):
        agenda_frame([], numeric=True, formatted=True)
    with pytest.raises(ValidationError, match="report_frame: formatted must be True or False"):
        report_frame(aged_balance([], ON), formatted="yes")  # type: ignore[arg-type]


def test_an_analyst_can_describe_the_amounts() -> None:
    portfolio = accounts_from_frame(table_of([]))
    assert portfolio == ()
    table = pd.DataFrame(
        {
            "account_id": ["C-1", "C-2", "C-2"],
            "item_id": ["F-1", "F-2", "F-3"],
            "kind": ["INVOICE"] * 3,
            "issue_date": ["2026-01-01"] * 3,
            "due_date": ["2026-01-31", "2026-02-10", "2026-04-30"],
            "amount": ["100.50", "40", "60"],
            "open_amount": ["100.50", "40", "60"],
        }
    )
    report = aged_balance(accounts_from_frame(table), ON)
    described = report_frame(report, numeric=True).describe()
    assert list(described.columns) == ["balance", "debits", "credits"]
    assert described.loc["max", "balance"] == 100.5
    assert report_frame(report)["balance"].map(type).eq(Decimal).all()


@pytest.mark.parametrize(
    ("hidden", "call", "message"),
    [
        (
            "pandas",
            "import collectlib.frames",
            "collectlib.frames needs pandas and pyarrow: pip install 'collectlib[frames]'",
        ),
        (
            "polars",
            "from collectlib.frames import agenda_frame; agenda_frame([], library='polars')",
            "polars frames need polars: pip install 'collectlib[polars]'",
        ),
    ],
)
def test_without_an_extra_the_error_says_which_to_install(hidden, call, message) -> None:
    code = (
        f"import sys; sys.modules[{hidden!r}] = None\n"
        f"try:\n    {call}\n"
        "except ImportError as error:\n    print(type(error).__name__, error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.startswith(f"ModuleNotFoundError {message}")


def test_dask_agenda_equals_the_single_process_agenda_row_for_row() -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from collectlib import Item, Policy, Scenario, Step, Trigger

    policy = Policy(
        scenarios=[
            Scenario(
                name="standard",
                steps=[
                    Step(name="call", channel="CALL", trigger=Trigger.leader_due(5)),
                    Step(name="visit", channel="CALL", trigger=Trigger.after_last_action(10)),
                ],
            )
        ],
        default_scenario="standard",
        minimum_amount=100,
    )
    portfolio = [
        Account(
            id=f"C-{number:03d}",
            items=[
                Item(
                    id=f"F-{number}-{line}",
                    kind="INVOICE",
                    issue_date=ON - dt.timedelta(days=number * 7 + line),
                    due_date=ON - dt.timedelta(days=number * 5 + line * 11 - 40),
                    amount=Decimal(number * 37 + line * 11),
                    open_amount=Decimal(number * 37 + line * 11) if (number + line) % 4 else 0,
                )
                for line in range(1 + number % 5)
            ],
        )
        for number in range(1, 41)
    ]
    table = table_of(portfolio)
    expected = agenda(accounts_from_frame(table), policy, ON, horizon_days=20)
    assert len(expected) > 10
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        got = agenda_dask(dd.from_pandas(table, npartitions=4), policy, ON, horizon_days=20)
    assert got == expected
