"""Data frames in and out: accounts from a table of open items, agendas and reports as frames.

Install with ``pip install collectlib[frames]`` (pandas and pyarrow); the Dask runner
needs ``collectlib[dask]``.  collectlib's core never imports this module.

The items table has one row per item, with the columns of an ERP's open-items
extract (names configurable with ``columns=``): ``account_id``, ``account_name``,
``item_id``, ``kind``, ``issue_date``, ``due_date``, ``amount``, ``open_amount``,
``currency``, ``language`` (the account's; empty or missing: none).  Amounts may be
``Decimal`` objects (exact), strings, integers or floats (a float is read through
``str()``, like everywhere in collectlib); dates may be ``datetime.date`` objects, ISO
strings or datetime64 values.

>>> import pandas as pd
>>> from datetime import date
>>> from collectlib import Policy, Scenario, Step, Trigger, agenda
>>> table = pd.DataFrame({
...     "account_id": ["C-1", "C-1", "C-2"], "account_name": ["Durand", "Durand", "Martin"],
...     "item_id": ["F-1", "F-2", "F-9"], "kind": ["INVOICE", "INVOICE", "INVOICE"],
...     "issue_date": ["2026-01-01", "2026-02-01", "2026-01-10"],
...     "due_date": ["2026-01-31", "2026-03-03", "2026-02-09"],
...     "amount": ["1200.00", "300.00", "80.50"], "open_amount": ["1200.00", "300.00", "80.50"],
...     "currency": ["EUR", "EUR", "EUR"]})
>>> accounts = accounts_from_frame(table)
>>> [(a.id, len(a.items)) for a in accounts]
[('C-1', 2), ('C-2', 1)]
>>> policy = Policy(scenarios=[Scenario(name="s", steps=[
...     Step(name="call", channel="CALL", trigger=Trigger.leader_due(5))])], default_scenario="s")
>>> rows = agenda(accounts, policy, date(2026, 2, 20))
>>> agenda_frame(rows)[["account_id", "due_on", "amount", "currency"]]
  account_id      due_on   amount currency
0        C-1  2026-02-05  1500.00      EUR
1        C-2  2026-02-14    80.50      EUR

Amounts stay exact ``Decimal`` objects; ``numeric=True`` gives them as floats, for
``describe()``, sums by group and charts:

>>> agenda_frame(rows, numeric=True)["amount"].describe()[["count", "mean", "max"]]
count       2.00
mean      790.25
max      1500.00
Name: amount, dtype: float64
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

try:
    import numpy as np
    import pandas as pd
except ImportError as missing:  # the extra is not installed: say which one to install
    raise ModuleNotFoundError(
        f"collectlib.frames needs pandas and pyarrow: pip install 'collectlib[frames]' ({missing})",
        name=missing.name,
    ) from missing

from collectlib._checks import check_bool, check_currency, check_each, read_date
from collectlib.enums import ItemKind
from collectlib.errors import CollectError, LoadError, ValidationError
from collectlib.forecast import CashForecast, PaymentForecast
from collectlib.io.converters import agenda_records
from collectlib.io.files import ITEM_COLUMNS, REQUIRED_COLUMNS, column_names
from collectlib.model import Account, Item, Policy
from collectlib.model.items import new_item as _new_item
from collectlib.money import read_amount
from collectlib.portfolio.agenda import AgendaEntry, agenda, sort_agenda
from collectlib.portfolio.simulation import Simulation
from collectlib.rules import format_amount

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pyarrow as pa

__all__ = [
    "ITEM_COLUMNS",
    "SimulationFrames",
    "accounts_from_frame",
    "agenda_dask",
    "agenda_frame",
    "cash_forecast_frame",
    "predictions_frame",
    "report_frame",
    "simulation_frames",
]

_AGENDA_COLUMNS = list(AgendaEntry._fields)
_AGENDA_AMOUNTS = ("amount", "arrears")


def _language(value: Any) -> Any:
    """Read a language cell: empty (``""``, ``None``, ``NaN``) is none; the rest as it is."""
    return None if value is None or value == "" or pd.isna(value) else value


def _dates(values: pd.Series, what: str) -> list[Any]:
    """Read a column of dates once per distinct value (a column holds few distinct dates)."""
    cache: dict[Any, Any] = {}
    out = []
    for position, value in enumerate(values.tolist()):
        try:
            out.append(cache[value])
            continue
        except KeyError:
            pass
        except TypeError:  # an unhashable cell: read it and let the item reject it
            out.append(value)
            continue
        # A table's datetime column (pandas Timestamps) holds days at midnight.
        parsed: Any = read_date(value.date() if isinstance(value, dt.datetime) else value)
        if parsed is None:
            raise LoadError(f"items table: row {position}: {what}: not a date: {value!r}")
        cache[value] = parsed
        out.append(parsed)
    return out


def _amounts(values: pd.Series, what: str) -> list[Decimal]:
    """Read a column of amounts exactly: Decimal as is, str and int directly, float via str()."""
    raw = values.tolist()
    if all(type(value) is str for value in raw):
        try:
            return list(map(Decimal, raw))  # the usual text column, converted in C
        except InvalidOperation:
            pass  # find and name the bad row below
    out = []
    for position, value in enumerate(raw):
        amount = read_amount(value)  # the one reading of amounts
        if amount is None:
            raise LoadError(f"items table: row {position}: {what}: not an amount: {value!r}")
        out.append(amount)
    return out


def accounts_from_frame(
    table: pd.DataFrame | pa.Table,
    *,
    columns: Mapping[str, str] | None = None,
    currency: str = "EUR",
) -> tuple[Account, ...]:
    """Return one ``Account`` per account id of an items table, in order of first appearance.

    ``table`` is a pandas DataFrame or a pyarrow Table with one row per item.
    Columns are converted a column at a time; each item is then validated like any
    ``Item`` (a bad row is a ``LoadError`` naming its row and item).  ``currency``
    is used when the table has no currency column.  The table is in memory already,
    so the accounts come back as a tuple: read them as often as you like.
    """
    check_currency("accounts_from_frame", "currency", currency)
    return tuple(_accounts(table, columns, currency))


def _accounts(
    table: pd.DataFrame | pa.Table, columns: Mapping[str, str] | None, currency: str
) -> Iterator[Account]:
    if not isinstance(table, pd.DataFrame):
        table = table.to_pandas()
    names = column_names(columns, "items table")
    missing = [names[f] for f in REQUIRED_COLUMNS if names[f] not in table.columns]
    if missing:
        raise LoadError(
            f"items table: missing columns {missing} (the table has {list(table.columns)})"
        )
    frame = table.reset_index(drop=True)
    account_ids = frame[names["account_id"]].astype(str).tolist()
    item_ids = frame[names["item_id"]].astype(str).tolist()
    kinds = frame[names["kind"]].tolist()
    issue = _dates(frame[names["issue_date"]], names["issue_date"])
    due = _dates(frame[names["due_date"]], names["due_date"])
    amount = _amounts(frame[names["amount"]], names["amount"])
    open_amount = _amounts(frame[names["open_amount"]], names["open_amount"])
    # an unpaid item's open amount is its amount: keep one Decimal for both
    open_amount = [
        a if o == a and str(o) == str(a) else o for a, o in zip(amount, open_amount, strict=True)
    ]
    has_name = names["account_name"] in frame.columns
    account_names = frame[names["account_name"]].tolist() if has_name else None
    has_currency = names["currency"] in frame.columns
    currencies = frame[names["currency"]].tolist() if has_currency else None
    has_language = names["language"] in frame.columns
    languages = frame[names["language"]].tolist() if has_language else None
    # Rows of one account may be anywhere in the table: group them, keeping the
    # order of first appearance of accounts and the table's order within each.
    if not account_ids:
        return
    codes, _ = pd.factorize(pd.Series(account_ids), sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes))[:-1]
    rows_of = {account_ids[rows[0]]: rows.tolist() for rows in np.split(order, bounds)}
    kind_of = {kind.value: kind for kind in ItemKind}
    for account_id, rows in rows_of.items():
        first = rows[0]
        try:
            items = tuple(
                _new_item(
                    item_ids[row],
                    kind_of.get(kinds[row], kinds[row]),
                    issue[row],
                    due[row],
                    amount[row],
                    open_amount[row],
                )
                for row in rows
            )
            yield Account(
                id=account_id,
                name=str(account_names[first]) if account_names is not None else "",
                currency=str(currencies[first]) if currencies is not None else currency,
                language=_language(languages[first]) if languages is not None else None,
                items=items,
            )
        except CollectError as error:
            row = next(
                (
                    r
                    for r in rows
                    if _row_error(r, item_ids, kinds, issue, due, amount, open_amount)
                ),
                first,
            )
            raise LoadError(f"items table: row {row} (account {account_id!r}): {error}") from None


def _row_error(row: int, *columns: list[Any]) -> bool:
    """Tell whether the item of ``row`` cannot be built (to name the row of an error)."""
    item_ids, kinds, issue, due, amount, open_amount = columns
    try:
        Item(
            id=item_ids[row],
            kind=kinds[row],
            issue_date=issue[row],
            due_date=due[row],
            amount=amount[row],
            open_amount=open_amount[row],
        )
    except CollectError:
        return True
    return False


def agenda_frame(
    entries: Iterable[AgendaEntry], *, numeric: bool = False, formatted: bool = False
) -> pd.DataFrame:
    """Return agenda rows as a DataFrame: one column per ``AgendaEntry`` field.

    The rows are ``agenda_records``: ``item_ids`` sorted tuples, enums their values,
    amounts exact ``Decimal`` objects (an ``object`` column), with the row's
    ``currency`` beside them.  ``numeric=True`` gives the amounts (``amount``,
    ``arrears``) as ``float64`` instead, ``NaN`` for none: for ``describe()``, sums by
    group and charts, never for adding money (and only within one currency).
    ``formatted=True`` gives them as text for people, as ``format_amount`` writes them
    in the row's currency (``1,200.125 KWD``, ``120,000 JPY``), ``None`` for none.
    """
    _check_views("agenda_frame", numeric, formatted)
    frame = pd.DataFrame.from_records(agenda_records(entries), columns=_AGENDA_COLUMNS)
    if formatted:
        return _formatted(frame, _AGENDA_AMOUNTS)
    return frame.astype(dict.fromkeys(_AGENDA_AMOUNTS, "float64")) if numeric else frame


def report_frame(report: Any, *, numeric: bool = False, formatted: bool = False) -> pd.DataFrame:
    """Return a report's ``rows()`` as a DataFrame (any report of ``collectlib.portfolio``).

    Amounts stay exact ``Decimal`` objects; ``numeric=True`` gives them as ``float64``
    and ``formatted=True`` as text for people in each row's currency, as
    ``agenda_frame`` does (a row without a currency, a DSO's, keeps its amounts).
    """
    _check_views("report_frame", numeric, formatted)
    rows = report.rows()
    frame = pd.DataFrame.from_records(rows)
    if not (numeric or formatted) or not rows:
        return frame
    amounts = [name for name in rows[0] if any(isinstance(row[name], Decimal) for row in rows)]
    if formatted:
        return _formatted(frame, amounts)
    return frame.astype(dict.fromkeys(amounts, "float64"))


def _check_views(owner: str, numeric: object, formatted: object) -> None:
    check_bool(owner, "numeric", numeric)
    check_bool(owner, "formatted", formatted)
    if numeric and formatted:
        raise ValidationError(f"{owner}: numeric and formatted: choose one")


def _formatted(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Write the amounts of ``columns`` for people, each in its row's currency."""
    currencies = frame["currency"].tolist() if "currency" in frame.columns else None
    for column in columns:
        frame[column] = [
            amount
            if not isinstance(amount, Decimal) or currencies is None or currencies[row] is None
            else format_amount(amount, currencies[row])
            for row, amount in enumerate(frame[column].tolist())
        ]
    return frame


def _partition_agenda(  # called positionally by map_partitions
    part: pd.DataFrame,
    policy: Policy,
    on: dt.date,
    horizon_days: int,
    columns: Mapping[str, str] | None,
    currency: str,
) -> pd.DataFrame:
    """Compute the agenda of the accounts whose items are all in ``part``."""
    rows = agenda(
        accounts_from_frame(part, columns=columns, currency=currency), policy, on, horizon_days
    )
    return pd.DataFrame.from_records([tuple(row) for row in rows], columns=_AGENDA_COLUMNS).astype(
        object
    )


def agenda_dask(
    items: dd.DataFrame,
    policy: Policy,
    on: dt.date,
    horizon_days: int = 0,
    *,
    columns: Mapping[str, str] | None = None,
    currency: str = "EUR",
    partitioned_by_account: bool = False,
) -> tuple[AgendaEntry, ...]:
    """Run the agenda over a Dask items table; equal, row for row, to ``agenda`` in one process.

    The table is shuffled on the account id so that every account's items meet in
    one partition (skip it with ``partitioned_by_account=True`` when the table is
    already laid out that way, e.g. Parquet files written per account range); each
    partition runs the pure ``agenda`` where its data lives, and only the rows come
    back, to be put in the agenda's order with ``sort_agenda``.  Runs on whatever
    scheduler is active (a ``distributed.Client`` for a cluster).
    """
    check_currency("agenda_dask", "currency", currency)
    names = column_names(columns, "items table")
    table = items if partitioned_by_account else items.shuffle(on=names["account_id"])
    meta = pd.DataFrame({name: pd.Series(dtype=object) for name in _AGENDA_COLUMNS})
    parts = table.map_partitions(
        _partition_agenda, policy, on, horizon_days, columns, currency, meta=meta
    ).compute()
    return sort_agenda(AgendaEntry(*row) for row in parts.itertuples(index=False, name=None))


# --- simulations -------------------------------------------------------------------------

_PERIODS = {"day": 1, "week": 7}


class SimulationFrames(NamedTuple):
    """The tables of a simulation (``simulation_frames``): work, cash in, receivable."""

    workload: pd.DataFrame
    """Actions per period, collector and channel: ``performed``, ``automatic``, ``waiting``."""
    cash: pd.DataFrame
    """Cash in per period and currency: ``amount``, ``items``."""
    balances: pd.DataFrame
    """The receivable per date and currency: the aged buckets, ``receivables``,
    ``overdue``, ``dso`` (standard) and ``dso_count_back``."""


def simulation_frames(
    simulation: Simulation, *, by: str = "week", numeric: bool = False
) -> SimulationFrames:
    """Return a simulation's work, cash in and receivable as DataFrames, for a notebook.

    ``by="week"`` (default) adds the work and the cash up over weeks of seven days from
    the simulation's start, each labelled by its first day in the ``period`` column;
    ``by="day"`` keeps one row per day.  ``workload`` has a row per period, collector
    (``None`` for the accounts without one) and channel (its value, ``"CALL"``...);
    ``cash`` a row per period and currency; ``balances`` a row per date of the
    simulation's ``balances`` and currency, one column per aged bucket (``not_due``,
    ``1-30``...).  Amounts stay exact ``Decimal`` objects; ``numeric=True`` gives them
    as ``float64``, for charts (one currency at a time).
    """
    owner = "simulation_frames"
    if not isinstance(simulation, Simulation):
        raise ValidationError(f"{owner}: simulation must be a Simulation, not {simulation!r}")
    if by not in _PERIODS:
        raise ValidationError(f"{owner}: by must be 'week' or 'day', not {by!r}")
    check_bool(owner, "numeric", numeric)
    days, start = _PERIODS[by], simulation.start

    def period(day: dt.date) -> dt.date:
        return start + dt.timedelta(days=(day - start).days // days * days)

    work: dict[tuple[dt.date, str | None, str], list[int]] = {}
    for row in simulation.workload:
        counts = work.setdefault((period(row.on), row.collector, row.channel.value), [0, 0, 0])
        counts[0] += row.performed
        counts[1] += row.automatic
        counts[2] += row.waiting
    workload = pd.DataFrame(  # objects: a collector None stays None
        [(*key, *counts) for key, counts in sorted(work.items(), key=_work_order)],
        columns=["period", "collector", "channel", "performed", "automatic", "waiting"],
        dtype=object,
    ).astype({"performed": "int64", "automatic": "int64", "waiting": "int64"})
    totals: dict[tuple[dt.date, str], list[Any]] = {}
    for paid in simulation.cash:
        total = totals.setdefault((period(paid.on), paid.currency), [Decimal(0), 0])
        total[0] += paid.amount
        total[1] += paid.items
    cash = pd.DataFrame.from_records(
        [(on, currency, amount, n) for (on, currency), (amount, n) in sorted(totals.items())],
        columns=["period", "currency", "amount", "items"],
    )
    buckets = list(simulation.balances[0].aged) if simulation.balances else []
    balances = pd.DataFrame.from_records(
        [(point.on, point.currency, *point.aged.values(), point.receivables, point.overdue,
          None if point.dso is None else point.dso.standard,
          None if point.dso is None else point.dso.count_back)
         for point in simulation.balances],
        columns=["on", "currency", *buckets, "receivables", "overdue", "dso", "dso_count_back"],
    )  # fmt: skip
    if numeric:
        cash = cash.astype({"amount": "float64"})
        balances = balances.astype(
            dict.fromkeys([*buckets, "receivables", "overdue", "dso", "dso_count_back"], "float64")
        )
    return SimulationFrames(workload=workload, cash=cash, balances=balances)


def _work_order(pair: tuple[tuple[dt.date, str | None, str], list[int]]) -> tuple[Any, ...]:
    """By period, then collector (``None`` first), then channel: a simulation's order."""
    (on, collector, channel), _counts = pair
    return (on, collector is not None, collector or "", channel)


# --- the cash forecast and the payment predictions ------------------------------------------
_CASH_COLUMNS = ["week", "start", "currency", "amount", "items"]
_PREDICTION_COLUMNS = [field.name for field in attrs.fields(PaymentForecast)]


def cash_forecast_frame(
    forecast: CashForecast, *, numeric: bool = False, formatted: bool = False
) -> pd.DataFrame:
    """Return a ``CashForecast`` as a DataFrame: one row per week and currency, then ``later``.

    The columns are ``week`` (``"2026-W12"``), ``start`` (its Monday), ``currency``,
    ``amount`` and ``items``, the rows of ``forecast.rows``; then, per currency, the
    cash expected after the last week: ``week`` ``"later"``, no ``start``, no
    ``items`` (``None``).  Amounts are exact ``Decimal`` objects; ``numeric=True``
    gives them as ``float64`` and ``formatted=True`` as text, as ``agenda_frame`` does.
    """
    owner = "cash_forecast_frame"
    if not isinstance(forecast, CashForecast):
        raise ValidationError(f"{owner}: forecast must be a CashForecast, not {forecast!r}")
    _check_views(owner, numeric, formatted)
    records: list[tuple[Any, ...]] = [
        (row.week, row.start, row.currency, row.amount, row.items) for row in forecast.rows
    ]
    records.extend(
        ("later", None, currency, amount, None) for currency, amount in forecast.later.items()
    )
    frame = pd.DataFrame(records, columns=_CASH_COLUMNS, dtype=object)
    if formatted:
        return _formatted(frame, ["amount"])
    return frame.astype({"amount": "float64"}) if numeric else frame


def predictions_frame(forecasts: Iterable[PaymentForecast]) -> pd.DataFrame:
    """Return ``predict_payment``'s forecasts as a DataFrame, one column per field.

    ``item_id``, ``expected_on``, ``days_late``, ``late_probability``, ``basis``,
    ``disputed``: for a call list, a chart of the expected dates, a join with the
    items table on ``item_id``.
    """
    rows = [
        (f.item_id, f.expected_on, f.days_late, f.late_probability, f.basis, f.disputed)
        for f in check_each("predictions_frame", "forecasts", forecasts, PaymentForecast)
    ]
    return pd.DataFrame.from_records(rows, columns=_PREDICTION_COLUMNS)
