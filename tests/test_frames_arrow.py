"""collectlib.frames at scale: Arrow tables in (accounts_from_arrow), polars, and the Dask
runner against the pure agenda (the synchronous scheduler: a cluster test is in
tests/test_frames.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectlib import Account, Item, LoadError, ValidationError, aged_balance, agenda, demo
from collectlib.frames import (
    _frame_rows,
    _rows_frame,
    _sorted_rows,
    accounts_from_arrow,
    accounts_from_frame,
    agenda_dask,
    agenda_frame,
    report_frame,
)
from collectlib.strategies import accounts, policies
from collectlib.testing import _validated

ON = dt.date(2026, 6, 1)
COLUMNS = [
    "account_id", "account_name", "item_id", "kind", "issue_date", "due_date", "amount",
    "open_amount", "currency",
]  # fmt: skip


def records(portfolio: list[Account] | tuple[Account, ...]) -> dict[str, list[object]]:
    """The columns an ERP would export for ``portfolio`` (amounts and dates as text)."""
    columns: dict[str, list[object]] = {name: [] for name in COLUMNS}
    for account in portfolio:
        for item in account.items:
            for name, value in zip(
                COLUMNS,
                (account.id, account.name, item.id, item.kind.value, item.issue_date.isoformat(),
                 item.due_date.isoformat(), str(item.amount), str(item.open_amount),
                 account.currency),
                strict=True,
            ):  # fmt: skip
                columns[name].append(value)
    return columns


def plain(portfolio: list[Account] | tuple[Account, ...]) -> list[Account]:
    """The accounts a table of ``portfolio`` holds: their items, names and currencies."""
    return [Account(id=a.id, name=a.name, currency=a.currency, items=a.items) for a in portfolio]


portfolios = st.lists(
    accounts(with_actions=False, min_items=1, max_items=6, currency=st.sampled_from(
        ("EUR", "EUR", "JPY", "KWD"))),
    max_size=6,
    unique_by=lambda a: a.id,
)  # fmt: skip


@given(portfolios, st.randoms(), st.sampled_from(["text", "typed", "batches", "large"]))
def test_an_arrow_table_gives_back_its_accounts(portfolio, random, form) -> None:
    columns = records(portfolio)
    if form == "typed":  # dates as date32, amounts as decimal128
        for name in ("issue_date", "due_date"):
            columns[name] = pa.array([dt.date.fromisoformat(d) for d in columns[name]])
        for name in ("amount", "open_amount"):
            columns[name] = pa.array([Decimal(a) for a in columns[name]], pa.decimal128(38, 18))
    table = pa.table(columns if columns["account_id"] else {n: pa.array([], pa.string())
                                                            for n in COLUMNS})  # fmt: skip
    if form == "large":
        table = table.cast(pa.schema([pa.field(f.name, pa.large_string()) if f.type == pa.string()
                                      else f for f in table.schema]))  # fmt: skip
    got = accounts_from_arrow(table.to_batches(max_chunksize=3) if form == "batches" else table)
    assert list(got) == plain(portfolio)
    for account in got:  # built without a second check: what the validating classes build
        assert _validated(account) == account
    # rows of an account anywhere: the same accounts, in order of first appearance
    order = list(range(table.num_rows))
    random.shuffle(order)
    shuffled = table.take(pa.array(order, pa.int64()))
    first: dict[str, None] = dict.fromkeys(shuffled.column("account_id").to_pylist())
    by_id = {a.id: a for a in accounts_from_arrow(shuffled)}
    assert list(by_id) == list(first)
    for account in plain(portfolio):
        assert sorted(by_id[account.id].items, key=lambda i: i.id) == sorted(
            account.items, key=lambda i: i.id
        )
    assert accounts_from_frame(table.to_pandas()) == got


# Cells around the bulk checks' edges: each row is built as Item builds it, or refused.
amount_texts = st.one_of(
    st.decimals(min_value=-(10**18) + 1, max_value=10**18 - 1, places=2).map(str),
    st.sampled_from(
        [
            "0",
            "-0",
            "1E+3",
            "12.5",
            "12.50",
            " 7 ",
            "+3",
            "1" * 18,
            "0." + "0" * 17 + "1",
            "0." + "0" * 18 + "1",
            "1_000",
            "NaN",
        ]
    ),
)
item_ids = st.one_of(
    st.sampled_from(["F-1", "F 2", "é-3", " F-4", "F\u00a05"]), st.text(max_size=3)
)


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            item_ids, st.sampled_from(["INVOICE", "CREDIT_NOTE", "PAYMENT", "OTHER", "BILL"]),
            amount_texts, amount_texts | st.just("same"),
        ),
        min_size=1, max_size=4,
    )
)  # fmt: skip
def test_the_bulk_checks_build_what_item_builds_and_refuse_what_it_refuses(rows) -> None:
    table = pa.table(
        {
            "account_id": ["C-1"] * len(rows),
            "item_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "issue_date": ["2026-01-01"] * len(rows),
            "due_date": ["2026-01-31"] * len(rows),
            "amount": [r[2] for r in rows],
            "open_amount": [r[2] if r[3] == "same" else r[3] for r in rows],
        }
    )
    try:
        expected: object = Account(
            id="C-1",
            items=[
                Item(id=i, kind=k, issue_date=dt.date(2026, 1, 1), due_date=dt.date(2026, 1, 31),
                     amount=Decimal(a.strip()), open_amount=Decimal((a if o == "same" else o)
                                                                    .strip()))
                for i, k, a, o in rows
            ],
        )  # fmt: skip
    except Exception:  # the reference refuses: so must the loader
        expected = LoadError
    if expected is LoadError:
        with pytest.raises(LoadError, match=r"^items table: row \d+"):
            accounts_from_arrow(table)
    else:
        (got,) = accounts_from_arrow(table)
        assert got == expected
        assert [str(i.amount) for i in got.items] == [str(i.amount) for i in expected.items]


def bad_table(**changes: object) -> pa.Table:
    columns: dict[str, object] = {
        "account_id": ["C-1", "C-1", "C-2"],
        "item_id": ["F-1", "F-2", "F-3"],
        "kind": ["INVOICE"] * 3,
        "issue_date": ["2026-01-01"] * 3,
        "due_date": ["2026-01-31"] * 3,
        "amount": ["100.00"] * 3,
        "open_amount": ["100.00"] * 3,
        "currency": ["EUR"] * 3,
    }
    columns.update(changes)
    return pa.table({name: value for name, value in columns.items() if value is not None})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"item_id": None}, r"missing columns \['item_id'\]"),
        ({"account_id": ["C-1", None, "C-2"]}, r"row 1: account_id: not an account id: None"),
        ({"due_date": ["2026-01-31", None, "x"]}, r"row 1: due_date: not a date: None"),
        ({"due_date": ["2026-01-31", "x", "x"]}, r"row 1: due_date: not a date: 'x'"),
        ({"issue_date": [1, 2, 3]}, r"row 0: issue_date: not a date: 1"),
        ({"amount": ["100", "12,50", "1"]}, r"row 1: amount: not an amount: '12,50'"),
        ({"amount": pa.array([100, None, 1])}, r"row 1: amount: not an amount: None"),
        ({"open_amount": [100.0, float("nan"), 1.0]}, r"row 1: open_amount: not an amount: nan"),
        ({"amount": [True, True, True]}, r"row 0: amount: not an amount: True"),
        (
            {"open_amount": ["100", "500", "100"]},
            r"row 1 \(account 'C-1'\): item 'F-2': open_amount 500 exceeds amount 100",
        ),
        ({"kind": ["INVOICE", "BILL", "INVOICE"]}, r"row 1 \(account 'C-1'\): .*unknown ItemKind"),
        ({"kind": [1, 1, 1]}, r"row 0 \(account 'C-1'\): .*kind"),
        (
            {"currency": ["EUR", "USD", "EUR"]},
            r"row 1 \(account 'C-1'\): account 'C-1' in 'USD', its first rows in 'EUR' "
            r"\(an account has one currency\)",
        ),
        ({"currency": ["EUR", "EUR", "XYZ"]}, r"row 2 \(account 'C-2'\): .*currency"),
        (
            {"item_id": ["F-1", "F-2", "F-1"], "account_id": ["C-1", "C-2", "C-1"]},
            r"row 2 \(account 'C-1'\): .*F-1",
        ),
        ({"item_id": ["F-1", "F-1", "F-3"]}, r"row 1 \(account 'C-1'\): .*F-1"),
    ],
)
def test_bad_cells_are_load_errors_naming_the_row_and_column(changes, message) -> None:
    with pytest.raises(LoadError, match=message):  # an Arrow table is immutable: unchanged
        accounts_from_arrow(bad_table(**changes))


def test_bad_arguments_are_validation_errors() -> None:
    with pytest.raises(ValidationError, match=r"^accounts_from_arrow: currency must be an ISO"):
        accounts_from_arrow(bad_table(), currency="XYZ")
    for wrong in ("table", {"a": [1]}, [1, 2], pd.DataFrame({"a": [1]}), None):
        with pytest.raises(
            ValidationError, match=r"^accounts_from_arrow: table_or_batches must be a pyarrow"
        ):
            accounts_from_arrow(wrong)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^accounts_from_frame: table must be a pandas"):
        accounts_from_frame([1, 2])
    with pytest.raises(LoadError, match=r"unknown fields in columns=: \['customer'\]"):
        accounts_from_arrow(bad_table(), columns={"customer": "x"})
    assert accounts_from_arrow([]) == ()
    assert accounts_from_arrow(bad_table().slice(0, 0)) == ()
    items = dd.from_pandas(bad_table().to_pandas(), npartitions=1)
    with pytest.raises(
        ValidationError, match=r"^agenda_dask: partitioned_by_account must be True or False"
    ):
        agenda_dask(items, demo.policy(), ON, partitioned_by_account="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^agenda_dask: currency must be an ISO"):
        agenda_dask(items, demo.policy(), ON, currency="XYZ")


def test_optional_columns_dictionaries_readers_and_timestamps() -> None:
    table = bad_table(
        currency=None,
        account_name=pa.array(["Durand", "Durand", None]),
        language=["fr", "fr", ""],
        kind=pa.array(["INVOICE", "CREDIT_NOTE", "INVOICE"]).dictionary_encode(),
        amount=["100.00", "-20", "100.00"],
        open_amount=["100.00", "-20", "100.00"],
        issue_date=pa.array([dt.datetime(2026, 1, 1, 9)] * 3, pa.timestamp("ms")),
        account_id=pa.array([7, 7, 8]),
    )
    one, two = accounts_from_arrow(table.to_reader(), currency="CHF")
    assert (one.id, one.name, one.currency, one.language) == ("7", "Durand", "CHF", "fr")
    assert (two.name, two.language) == ("", None)
    assert one.items[1].amount == Decimal(-20)
    assert one.items[0].issue_date == dt.date(2026, 1, 1)
    assert accounts_from_arrow(table.to_batches()[0], currency="CHF") == (one, two)
    accented = accounts_from_arrow(bad_table(account_id=["É-1", "É-1", "C-2"], language=["fr"] * 3))
    assert [(a.id, a.language) for a in accented] == [("É-1", "fr"), ("C-2", "fr")]
    with pytest.raises(LoadError, match=r"row 0 \(account 'C-1'\): .*language"):
        accounts_from_arrow(bad_table(language=["not a language"] * 3))
    renamed = table.rename_columns(
        ["Customer" if n == "account_id" else n for n in table.column_names]
    )
    assert accounts_from_arrow(renamed, columns={"account_id": "Customer"}, currency="CHF") == (
        one,
        two,
    )


def test_a_pandas_column_of_mixed_cells_is_read_through_its_text() -> None:
    table = pd.DataFrame(
        {
            "account_id": ["C-1", "C-1"],
            "item_id": ["F-1", "F-2"],
            "kind": ["INVOICE", "INVOICE"],
            "issue_date": [dt.date(2026, 1, 1), pd.Timestamp("2026-01-02")],
            "due_date": ["2026-01-31", dt.date(2026, 2, 1)],
            "amount": [Decimal("100.10"), 20.5],
            "open_amount": [100, "20.5"],
        }
    )
    (account,) = accounts_from_frame(table)
    assert [i.amount for i in account.items] == [Decimal("100.10"), Decimal("20.5")]
    assert [i.issue_date for i in account.items] == [dt.date(2026, 1, 1), dt.date(2026, 1, 2)]
    table.loc[1, "amount"] = None
    with pytest.raises(LoadError, match=r"row 1: amount: not an amount: None"):
        accounts_from_frame(table)
    table.loc[1, "amount"] = "20.5"
    table["issue_date"] = [pd.Timestamp("2026-01-02"), "2026-01-03"]
    table["item_id"] = [1, 2]  # ids as numbers: their text
    (account,) = accounts_from_frame(table)
    assert [(i.id, i.issue_date) for i in account.items] == [
        ("1", dt.date(2026, 1, 2)),
        ("2", dt.date(2026, 1, 3)),
    ]


def test_string_views_and_a_paused_collector() -> None:
    import gc

    table = bad_table(item_id=pa.array(["F-1", "F-2", "F-3"], pa.string_view()))
    gc.disable()
    try:
        assert [a.id for a in accounts_from_arrow(table)] == ["C-1", "C-2"]
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_polars_frames_in_and_out() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(bad_table().to_pydict())
    accounts = accounts_from_frame(frame)
    assert accounts == accounts_from_arrow(bad_table())
    rows = agenda(demo.portfolio().accounts, demo.policy(), demo.AS_OF)
    shown = agenda_frame(rows, library="polars")
    assert isinstance(shown, pl.DataFrame)
    assert shown.columns == list(agenda_frame(rows).columns)
    assert shown["amount"].to_list() == [r.amount for r in rows]
    assert shown["step_index"].to_list() == [r.step_index for r in rows]
    assert agenda_frame(rows, numeric=True, library="polars")["amount"].dtype == pl.Float64
    report = aged_balance(demo.portfolio().accounts, demo.AS_OF)
    assert report_frame(report, library="polars").to_dicts() == report.rows()
    assert report_frame(report, numeric=True, library="polars")["balance"].dtype == pl.Float64
    with pytest.raises(ValidationError, match="agenda_frame: library must be 'pandas' or 'polars'"):
        agenda_frame(rows, library="arrow")


@given(policies(min_steps=1), st.data())
def test_rows_travel_as_columns_exactly(policy, data) -> None:
    portfolio = data.draw(
        st.lists(accounts(policy=policy, with_plans=True), max_size=5, unique_by=lambda a: a.id)
    )
    rows = agenda(portfolio, policy, ON, horizon_days=30)
    frame = _rows_frame(rows)
    back = _frame_rows(frame)
    assert back == list(rows)
    assert [type(x) for row in back for x in row] == [type(x) for row in rows for x in row]
    assert _sorted_rows(frame[::-1].reset_index(drop=True)) == list(rows)


LAYOUTS = ("partitioned", "in account order", "random", "some moved")
tie_portfolios = st.lists(
    accounts(with_actions=False, min_items=1, max_items=4, currency=st.sampled_from(
        ("EUR", "USD")), issue_dates=st.sampled_from([dt.date(2026, 3, 1), dt.date(2026, 4, 1)])),
    max_size=8, unique_by=lambda a: a.id,
)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(policies(min_steps=1), tie_portfolios, st.integers(1, 4), st.sampled_from(LAYOUTS))
def test_dask_agenda_equals_the_agenda_row_for_row(policy, portfolio, parts, layout) -> None:
    portfolio = plain(portfolio)
    columns = records(portfolio)
    if not columns["account_id"]:
        return
    table = pd.DataFrame(columns)
    expected = agenda(portfolio, policy, ON, horizon_days=30)
    if layout == "random":  # most accounts spread: the whole table shuffled
        table = table.sample(frac=1, random_state=parts)
    elif layout == "some moved":  # every other account's first row at the end: those move
        first = ~table["account_id"].duplicated() & (table.groupby("account_id").ngroup() % 2 == 0)
        table = pd.concat([table[~first], table[first]])
    items = dd.from_pandas(table, npartitions=1 if layout == "partitioned" else parts, sort=False)
    with dask.config.set(scheduler="synchronous"):
        got = agenda_dask(items, policy, ON, 30, partitioned_by_account=layout == "partitioned")
    assert got == expected


def test_forecast_and_simulation_frames_in_polars() -> None:
    pl = pytest.importorskip("polars")
    from collectlib import (
        Behaviour,
        cash_forecast,
        demo,
        payment_profiles,
        portfolio_profile,
        predict_payment,
        simulate,
    )
    from collectlib.frames import (
        cash_forecast_frame,
        predictions_frame,
        simulation_frames,
    )

    history, accounts, policy = demo.history(), demo.portfolio().accounts, demo.policy()
    profiles = payment_profiles(history, demo.AS_OF)
    fallback = portfolio_profile(history, demo.AS_OF)
    forecast = cash_forecast(accounts, profiles, policy, demo.AS_OF, weeks=4, fallback=fallback)
    shown = cash_forecast_frame(forecast, library="polars")
    assert isinstance(shown, pl.DataFrame)
    assert shown.to_dicts() == cash_forecast_frame(forecast).to_dict("records")
    assert cash_forecast_frame(forecast, numeric=True, library="polars")["amount"].dtype == (
        pl.Float64
    )
    item = next(item for item in accounts[0].items if item.is_debit)
    guess = predict_payment(item, profiles.get(accounts[0].id), policy, demo.AS_OF, fallback)
    assert predictions_frame([guess], library="polars").to_dicts() == (
        predictions_frame([guess]).to_dict("records")
    )
    result = simulate(
        accounts, policy, demo.AS_OF, demo.AS_OF + dt.timedelta(days=13), Behaviour(), capacity=3
    )
    tables = simulation_frames(result, library="polars")
    pandas_tables = simulation_frames(result)
    for name in ("workload", "cash", "balances"):
        assert isinstance(getattr(tables, name), pl.DataFrame)
        assert getattr(tables, name).height == len(getattr(pandas_tables, name))
    for call in (
        lambda: cash_forecast_frame(forecast, library="arrow"),
        lambda: predictions_frame([guess], library="arrow"),
        lambda: simulation_frames(result, library="arrow"),
    ):
        with pytest.raises(ValidationError, match="library must be 'pandas' or 'polars'"):
            call()
