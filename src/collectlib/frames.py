"""Data frames in and out: accounts from a table of open items, agendas and reports as frames.

Install with ``pip install collectlib[frames]`` (pandas and pyarrow); the Dask runner
needs ``collectlib[dask]``, polars frames ``collectlib[polars]``.  collectlib's core
never imports this module.

The items table (a pyarrow Table or record batches, a pandas or polars DataFrame, all
read through Arrow a whole column at a time) has one row per item, with the columns of
an ERP's open-items extract (names configurable with ``columns=``): ``account_id``,
``account_name``, ``item_id``, ``kind``, ``issue_date``, ``due_date``, ``amount``,
``open_amount``, ``currency``, ``language`` (the account's; empty or missing: none).
Amounts may be decimals (exact), strings, integers or floats (a float is read through
``str()``, like everywhere in collectlib); dates may be dates, ISO strings or
timestamps (their day).

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
import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

try:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError as missing:  # the extra is not installed: say which one to install
    raise ModuleNotFoundError(
        f"collectlib.frames needs pandas and pyarrow: pip install 'collectlib[frames]' ({missing})",
        name=missing.name,
    ) from missing

from collectlib._checks import check_bool, check_currency, check_each, read_date
from collectlib._frozen import item_ids_trusted, trusted_maker
from collectlib.enums import Channel, EntryKind, ItemKind
from collectlib.errors import CollectError, LoadError, ValidationError
from collectlib.forecast import CashForecast, PaymentForecast
from collectlib.io._bulk import KINDS, collection_paused, unique_within
from collectlib.io.converters import agenda_columns
from collectlib.io.files import ITEM_COLUMNS, REQUIRED_COLUMNS, column_names
from collectlib.languages import is_language
from collectlib.model import Account, Item, Policy
from collectlib.model.items import new_item as _new_item
from collectlib.money import MAX_INTEGER_DIGITS, MAX_PLACES, is_currency, read_amount
from collectlib.portfolio.agenda import AgendaEntry, agenda
from collectlib.portfolio.simulation import Simulation
from collectlib.rules import format_amount

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = [
    "ITEM_COLUMNS",
    "SimulationFrames",
    "accounts_from_arrow",
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


_ITEM_FIELDS = ("id", "kind", "issue_date", "due_date", "amount", "open_amount")
_CREDITS = (ItemKind.CREDIT_NOTE.value, ItemKind.PAYMENT.value)
# What the bulk checks let through builds without new_item's checks, so they are strict:
# a printable ASCII id without surrounding spaces, a plain decimal amount in range.  Any
# other cell (accents, an exponent, a comma) takes new_item, which reads or names it.
_PLAIN_ID = r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$"
_PLAIN_AMOUNT = rf"^[+-]?[0-9]{{1,{MAX_INTEGER_DIGITS}}}(?:\.[0-9]{{0,{MAX_PLACES}}})?$"
_MARGIN = 1 - 1e-12  # open amounts this close to their amount are compared exactly
_make_item = trusted_maker(Item, _ITEM_FIELDS)
_make_account = trusted_maker(Account, ("id", "name", "currency", "language", "items"))
_item_id = operator.attrgetter("id")


def accounts_from_frame(
    table: Any,
    *,
    columns: Mapping[str, str] | None = None,
    currency: str = "EUR",
) -> tuple[Account, ...]:
    """Return one ``Account`` per account id of an items table, in order of first appearance.

    ``table`` is a pandas or polars DataFrame or a pyarrow Table with one row per item,
    read as ``accounts_from_arrow`` reads its Arrow form (a pandas column of mixed
    types, Decimals and floats say, is read through its cells' text).  ``currency`` is
    used when the table has no currency column.  The table is in memory already, so the
    accounts come back as a tuple: read them as often as you like.
    """
    check_currency("accounts_from_frame", "currency", currency)
    names = column_names(columns, "items table")
    return _arrow_accounts(_frame_table("accounts_from_frame", table), names, currency)


def _frame_table(owner: str, table: object) -> pa.Table:
    """Return the Arrow form of a pandas or polars DataFrame (a pyarrow Table as it is)."""
    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pd.DataFrame):
        return pa.table({str(name): _arrow_column(table[name]) for name in table.columns})
    if type(table).__module__.partition(".")[0] == "polars" and hasattr(table, "to_arrow"):
        return table.to_arrow()
    raise ValidationError(
        f"{owner}: table must be a pandas or polars DataFrame or a pyarrow Table, "
        f"not {type(table).__name__}"
    )


def _arrow_column(values: pd.Series) -> pa.Array:
    """Return a pandas column as Arrow; a column of mixed types as its cells' text."""
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([_cell_text(value) for value in values.tolist()], pa.string())


def _cell_text(value: object) -> str | None:
    """Write a cell as the text that reads back as it (a day's timestamp as its date)."""
    if value is None or value != value:  # noqa: PLR0124  # NaN: an empty cell
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def accounts_from_arrow(
    table_or_batches: pa.Table | Iterable[pa.RecordBatch],
    *,
    columns: Mapping[str, str] | None = None,
    currency: str = "EUR",
) -> tuple[Account, ...]:
    """Return one ``Account`` per account id of an Arrow items table, in order of first appearance.

    ``table_or_batches`` is a ``pyarrow.Table`` or an iterable of ``RecordBatch`` objects
    (a Parquet file's batches, a ``RecordBatchReader``), one row per item.  Whole
    columns are read and checked at once: dates from ``date32`` (or ``timestamp``)
    columns or ISO strings, amounts exactly from ``decimal128`` columns, strings or
    integers (floats through ``str()``); an account's rows may be anywhere in the table.
    A bad value is a ``LoadError`` naming its row and column, a bad item or account one
    naming its row; an account whose rows give two currencies is refused.
    """
    check_currency("accounts_from_arrow", "currency", currency)
    names = column_names(columns, "items table")
    return _arrow_accounts(_arrow_table(table_or_batches), names, currency)


def _arrow_table(table_or_batches: object) -> pa.Table | None:
    """Return the table of ``table_or_batches`` (``None``: no batch, no row)."""
    if isinstance(table_or_batches, pa.Table):
        return table_or_batches
    if isinstance(table_or_batches, pa.RecordBatch):
        return pa.Table.from_batches([table_or_batches])
    if isinstance(table_or_batches, pa.RecordBatchReader):
        return table_or_batches.read_all()
    if isinstance(table_or_batches, Iterable) and not isinstance(
        table_or_batches, str | bytes | Mapping | pd.DataFrame
    ):
        batches = list(table_or_batches)
        if all(isinstance(batch, pa.RecordBatch) for batch in batches):
            return pa.Table.from_batches(batches) if batches else None
    raise ValidationError(
        "accounts_from_arrow: table_or_batches must be a pyarrow Table or RecordBatches, "
        f"not {type(table_or_batches).__name__}"
    )


def _arrow_accounts(
    table: pa.Table | None, names: dict[str, str], currency: str
) -> tuple[Account, ...]:
    if table is None:
        return ()
    present = set(table.column_names)
    missing = [names[f] for f in REQUIRED_COLUMNS if names[f] not in present]
    if missing:
        raise LoadError(
            f"items table: missing columns {missing} (the table has {table.column_names})"
        )
    if not table.num_rows:
        return ()
    with collection_paused():
        return _built_accounts(table, names, currency, present)


def _built_accounts(
    table: pa.Table, names: dict[str, str], currency: str, present: set[str]
) -> tuple[Account, ...]:
    def column(field: str) -> pa.Array:
        return _plain(table.column(names[field]))

    # Accounts by first appearance: a dictionary encoding numbers them so.
    ids = column("account_id")
    if not _is_text(ids.type):
        ids = ids.cast(pa.string())
    _no_nulls(ids, names["account_id"], "not an account id")
    encoded = ids.dictionary_encode()
    account_ids: list[str] = encoded.dictionary.to_pylist()
    codes = encoded.indices.to_numpy()
    counts = np.bincount(codes, minlength=len(account_ids))
    ends = np.cumsum(counts)
    # The rows in account order: the table's own when each account's rows are together.
    order = np.argsort(codes, kind="stable") if (np.diff(codes) < 0).any() else None
    firsts = ends - counts if order is None else order[ends - counts]
    items = _arrow_items(column, names, codes, account_ids)
    if order is not None:
        items = list(map(items.__getitem__, order.tolist()))
    _one_per_account(table, names["currency"], present, firsts, codes, account_ids)
    account_currencies = _account_values(table, names["currency"], present, firsts, currency)
    account_names = _account_values(table, names["account_name"], present, firsts)
    languages = _account_values(table, names["language"], present, firsts)
    # An account's own fields checked in bulk too: a plain id, a known currency, a valid
    # language, its items' ids once each; the others go through Account, which says why.
    plain_ids = _mask(pc.match_substring_regex(encoded.dictionary, _PLAIN_ID)).tolist()
    # most tables have no item id twice at all, checked at once (else account by account)
    ids_unique = unique_within(list(map(_item_id, items)), [0, *ends.tolist()])
    accounts = []
    start = 0
    for number, (account_id, end) in enumerate(zip(account_ids, ends.tolist(), strict=True)):
        name = account_names[number]
        name = "" if name is None else str(name)
        account_currency = account_currencies[number]
        language = _language(languages[number])
        group = tuple(items[start:end])
        if (
            plain_ids[number]
            and is_currency(account_currency)
            and (language is None or is_language(language))
            and (ids_unique or len({item.id for item in group}) == len(group))
        ):
            accounts.append(_make_account(account_id, name, account_currency, language, group))
            start = end
            continue
        try:
            accounts.append(
                Account(
                    id=account_id,
                    name=name,
                    currency=account_currency,
                    language=language,
                    items=group,
                )
            )
        except CollectError as error:
            rows = list(range(start, end)) if order is None else order[start:end].tolist()
            row = _twice(items[start:end], rows)
            raise LoadError(f"items table: row {row} (account {account_id!r}): {error}") from None
        start = end
    return tuple(accounts)


def _twice(items: list[Item], rows: list[int]) -> int:
    """Return the row of the first item whose id came before, else the first row."""
    seen: set[str] = set()
    for item, row in zip(items, rows, strict=True):
        if item.id in seen:
            return row
        seen.add(item.id)
    return rows[0]


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _plain(values: pa.ChunkedArray) -> pa.Array:
    """Return a column as one array of plain values (dictionaries decoded, string views cast)."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    if pa.types.is_string_view(values.type):
        values = values.cast(pa.large_string())
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _no_nulls(values: pa.Array, what: str, problem: str) -> None:
    """Refuse a column with an empty cell, naming its first row."""
    if values.null_count:
        row = int(np.flatnonzero(values.is_null().to_numpy(zero_copy_only=False))[0])
        raise LoadError(f"items table: row {row}: {what}: {problem}: None")


def _language(value: Any) -> Any:
    """Read a language cell: empty (``""``, ``None``, ``NaN``) is none; the rest as it is."""
    return None if value is None or value == "" or value != value else value  # noqa: PLR0124


def _account_values(
    table: pa.Table, name: str, present: set[str], firsts: Any, default: str | None = None
) -> list[Any]:
    """Return the values of column ``name`` on the accounts' first rows (``default``: none)."""
    if name not in present:
        return [default] * len(firsts)
    return _plain(table.column(name)).take(pa.array(firsts)).to_pylist()  # type: ignore[no-any-return]


def _one_per_account(
    table: pa.Table, name: str, present: set[str], firsts: Any, codes: Any, account_ids: list[str]
) -> None:
    """Refuse a column ``name`` with two values in an account, naming the first other row."""
    if name not in present:
        return
    values = _plain(table.column(name))
    cells = values.dictionary_encode().indices.fill_null(-1).to_numpy(zero_copy_only=False)
    other = cells != cells[firsts][codes]
    if other.any():
        row = int(np.flatnonzero(other)[0])
        account_id = account_ids[codes[row]]
        got, first = values[row].as_py(), values[int(firsts[codes[row]])].as_py()
        raise LoadError(
            f"items table: row {row} (account {account_id!r}): account {account_id!r} "
            f"in {got!r}, its first rows in {first!r} (an account has one currency)"
        )


def _arrow_items(
    column: Any, names: dict[str, str], codes: Any, account_ids: list[str]
) -> list[Item]:
    """Return the items of the table in its order: columns read and checked in bulk.

    Rows whose every cell passes the bulk checks are built directly; the others go
    through ``new_item``, which converts them or says what is wrong.
    """
    item_ids = column("item_id")
    if not _is_text(item_ids.type):
        item_ids = item_ids.cast(pa.string())
    trusted = _mask(pc.match_substring_regex(item_ids, _PLAIN_ID))
    kinds_column = column("kind")
    if _is_text(kinds_column.type):
        kinds_set = pa.array(list(KINDS), kinds_column.type)
        trusted &= _mask(pc.is_in(kinds_column, value_set=kinds_set))
        kinds = _decoded(kinds_column, lambda value: KINDS.get(value, value))
    else:
        trusted[:] = False
        kinds = kinds_column.to_pylist()
    issue = _arrow_dates(column("issue_date"), names["issue_date"])
    due = _arrow_dates(column("due_date"), names["due_date"])
    amount_column, open_column = column("amount"), column("open_amount")
    amounts, amount_ok, amount_floats = _arrow_amounts(amount_column, names["amount"])
    # An unpaid item's open amount is its amount: one Decimal for both, read once.
    shared = (
        _mask(pc.equal(amount_column, open_column))
        if amount_column.type == open_column.type
        else np.zeros(len(amounts), dtype=bool)
    )
    other = np.flatnonzero(~shared)
    opens = list(amounts)
    open_ok, open_floats = amount_ok.copy(), amount_floats.copy()
    if len(other):
        read, ok, floats = _arrow_amounts(
            open_column.take(pa.array(other)), names["open_amount"], other
        )
        for row, value in zip(other.tolist(), read, strict=True):
            opens[row] = value
        open_ok[other], open_floats[other] = ok, floats
    # The rules of Item on the signs and sizes of the amounts, in bulk, by floats: a
    # float keeps the sign of an amount in range and is rounded monotonically, so an
    # open amount clearly smaller than its amount is; the close ones are read exactly.
    if _is_text(kinds_column.type):
        invoice = _mask(pc.equal(kinds_column, ItemKind.INVOICE.value))
        credit = _mask(pc.is_in(kinds_column, value_set=pa.array(_CREDITS, kinds_column.type)))
    else:
        invoice = credit = np.zeros(len(amounts), dtype=bool)
    debit = amount_floats > 0
    signed = np.where(invoice, debit, np.where(credit, amount_floats < 0, amount_floats != 0))
    smaller = np.where(
        debit,
        (open_floats > 0) & (open_floats < amount_floats * _MARGIN),
        (open_floats < 0) & (open_floats > amount_floats * _MARGIN),
    )
    trusted &= amount_ok & open_ok & signed & (shared | (open_floats == 0) | smaller)
    ids = item_ids.to_pylist()
    items: list[Item] = list(map(_make_item, ids, kinds, issue, due, amounts, opens))
    for row in np.flatnonzero(~trusted).tolist():
        try:
            items[row] = _new_item(
                ids[row], kinds[row], issue[row], due[row], amounts[row], opens[row]
            )
        except CollectError as error:  # noqa: PERF203  # the first error ends the loop
            account_id = account_ids[codes[row]]
            raise LoadError(f"items table: row {row} (account {account_id!r}): {error}") from None
    return items


def _mask(values: pa.Array) -> Any:
    """Return a boolean column as a writable numpy array, empty cells false."""
    return np.array(values.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _decoded(values: pa.Array, read: Callable[[Any], Any]) -> list[Any]:
    """Return ``read`` of each cell, read once per distinct value (a column of few values)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = values.dictionary_encode()
    distinct = np.array(
        [read(value) for value in encoded.dictionary.to_pylist()] + [read(None)], dtype=object
    )
    indices = encoded.indices.fill_null(len(distinct) - 1).to_numpy(zero_copy_only=False)
    return distinct[indices].tolist()  # type: ignore[no-any-return]


def _arrow_dates(values: pa.Array, what: str) -> list[dt.date]:
    """Read a column of dates: ``date32``, ``date64``, ``timestamp`` (its day) or ISO text."""
    _no_nulls(values, what, "not a date")
    kind = values.type
    if pa.types.is_timestamp(kind) or pa.types.is_date64(kind):
        values = values.cast(pa.date32(), safe=False)
    elif not pa.types.is_date32(kind):  # text: each distinct value read once
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        encoded = values.dictionary_encode()
        texts = encoded.dictionary.to_pylist()
        days = [read_date(text) for text in texts]
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        for position, day in enumerate(days):
            if day is None:
                row = int(np.flatnonzero(indices == position)[0])
                raise LoadError(f"items table: row {row}: {what}: not a date: {texts[position]!r}")
        return np.array(days, dtype=object)[indices].tolist()  # type: ignore[no-any-return]
    return _decoded(values, read_date)


def _arrow_amounts(values: pa.Array, what: str, rows: Any = None) -> tuple[list[Decimal], Any, Any]:
    """Read a column of amounts exactly: the amounts, which are plain, and their floats.

    ``rows`` are the table's rows of the cells (to name a bad one), the cells' positions
    when ``None``.
    """
    kind = values.type
    count = len(values)
    floats = np.zeros(count)
    if _is_text(kind):
        plain = _mask(pc.match_substring_regex(values, _PLAIN_AMOUNT))
        cells = values.to_pylist()
        floats[plain] = values.filter(pa.array(plain)).cast(pa.float64()).to_numpy()
    elif pa.types.is_decimal(kind) or pa.types.is_integer(kind):
        if pa.types.is_integer(kind):  # in range, or read one at a time
            plain = _mask(pc.less(pc.abs_checked(values.cast(pa.float64())), 1e17))
        else:  # in range by its type
            places, digits = kind.scale, kind.precision - kind.scale
            plain = (
                _mask(values.is_valid())
                & (0 <= places <= MAX_PLACES)
                & (digits <= MAX_INTEGER_DIGITS)
            )
        cells = values.to_pylist()
        floats = values.cast(pa.float64()).fill_null(0).to_numpy(zero_copy_only=False)
    else:  # floats (through str()) and any other cell: one at a time
        plain = np.zeros(count, dtype=bool)
        cells = values.to_pylist()
    for position in np.flatnonzero(~plain).tolist():
        amount = read_amount(cells[position])  # the one reading of amounts
        if amount is None:
            row = position if rows is None else int(rows[position])
            raise LoadError(f"items table: row {row}: {what}: not an amount: {cells[position]!r}")
        cells[position] = amount
    return list(map(Decimal, cells)), plain, floats


_LIBRARIES = ("pandas", "polars")


def agenda_frame(
    entries: Iterable[AgendaEntry],
    *,
    numeric: bool = False,
    formatted: bool = False,
    library: str = "pandas",
) -> Any:
    """Return agenda rows as a DataFrame: one column per ``AgendaEntry`` field.

    The rows are ``agenda_records`` (read as ``agenda_columns``): ``item_ids`` sorted
    tuples, enums their values, amounts exact ``Decimal`` objects (an ``object``
    column), with the row's ``currency`` beside them.  ``numeric=True`` gives the
    amounts (``amount``, ``arrears``) as ``float64`` instead, ``NaN`` for none: for
    ``describe()``, sums by group and charts, never for adding money (and only within
    one currency).
    ``formatted=True`` gives them as text for people, as ``format_amount`` writes them
    in the row's currency (``1,200.125 KWD``, ``120,000 JPY``), ``None`` for none.
    ``library="polars"`` gives a polars DataFrame of the same columns, through Arrow
    (exact amounts as ``Decimal`` columns); it needs ``collectlib[polars]``.
    """
    _check_views("agenda_frame", numeric, formatted, library)
    rows = list(check_each("agenda_frame", "entries", entries, AgendaEntry))
    frame = (
        pd.DataFrame(agenda_columns(rows), columns=_AGENDA_COLUMNS)
        if rows
        else pd.DataFrame.from_records([], columns=_AGENDA_COLUMNS)  # columns of objects
    )
    if formatted:
        frame = _formatted(frame, _AGENDA_AMOUNTS)
    elif numeric:
        frame = frame.astype(dict.fromkeys(_AGENDA_AMOUNTS, "float64"))
    if library == "polars":  # a step's index, not a float (pandas has no int with None)
        frame["step_index"] = frame["step_index"].astype("Int64")
    return _in_library(frame, library)


def report_frame(
    report: Any, *, numeric: bool = False, formatted: bool = False, library: str = "pandas"
) -> Any:
    """Return a report's ``rows()`` as a DataFrame (any report of ``collectlib.portfolio``).

    Amounts stay exact ``Decimal`` objects; ``numeric=True`` gives them as ``float64``
    and ``formatted=True`` as text for people in each row's currency, as
    ``agenda_frame`` does (a row without a currency, a DSO's, keeps its amounts);
    ``library="polars"`` a polars DataFrame, as ``agenda_frame`` does.
    """
    _check_views("report_frame", numeric, formatted, library)
    rows = report.rows()
    frame = pd.DataFrame.from_records(rows)
    if (numeric or formatted) and rows:
        amounts = [name for name in rows[0] if any(isinstance(row[name], Decimal) for row in rows)]
        if formatted:
            frame = _formatted(frame, amounts)
        else:
            frame = frame.astype(dict.fromkeys(amounts, "float64"))
    return _in_library(frame, library)


def _check_views(owner: str, numeric: object, formatted: object, library: object) -> None:
    check_bool(owner, "numeric", numeric)
    check_bool(owner, "formatted", formatted)
    if numeric and formatted:
        raise ValidationError(f"{owner}: numeric and formatted: choose one")
    if library not in _LIBRARIES:
        raise ValidationError(f"{owner}: library must be 'pandas' or 'polars', not {library!r}")


def _in_library(frame: pd.DataFrame, library: str) -> Any:
    """Return ``frame`` as a DataFrame of ``library``: pandas as it is, polars through Arrow."""
    if library == "pandas":
        return frame
    try:
        import polars as pl  # noqa: PLC0415  # optional: only for polars frames
    except ImportError as missing:
        raise ModuleNotFoundError(
            f"polars frames need polars: pip install 'collectlib[polars]' ({missing})",
            name=missing.name,
        ) from missing
    return pl.from_arrow(pa.Table.from_pandas(frame, preserve_index=False))


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


# An agenda partition's columns: Arrow types, so that rows travel as columns, not objects;
# a field without one (aware datetimes of many time zones) travels as objects.
_ARROW_TYPES = {
    "account_id": pa.string(),
    "collector": pa.string(),
    "due_on": pa.date32(),
    "late_days": pa.int64(),
    "kind": pa.string(),
    "channel": pa.string(),
    "name": pa.string(),
    "item_ids": pa.list_(pa.string()),
    "amount": pa.string(),  # exact: the Decimal's own text
    "automatic": pa.bool_(),
    "needs_confirmation": pa.bool_(),
    "action_id": pa.string(),
    "step_index": pa.int64(),
    "arrears": pa.string(),
    "currency": pa.string(),
    "on_hold": pa.bool_(),
    "repeat": pa.int64(),
}
_ROW_TYPES = {name: _ARROW_TYPES.get(name) for name in AgendaEntry._fields}
_ENUMS: dict[str, Any] = {"kind": EntryKind, "channel": Channel}
_ENUM_VALUE = operator.attrgetter("_value_")
_new_row = tuple.__new__


def _rows_frame(rows: Iterable[AgendaEntry]) -> pd.DataFrame:
    """Return agenda rows as a frame of columns, each as exact as the row's field."""
    fields = list(zip(*rows, strict=True)) or [()] * len(_ROW_TYPES)
    frame: dict[str, Any] = {}
    for (name, kind), cells in zip(_ROW_TYPES.items(), fields, strict=True):
        if name in _ENUMS:  # a member's value without the ``value`` property's call
            values: list[Any] = list(map(_ENUM_VALUE, cells))
        elif name == "amount":  # never None
            values = list(map(str, cells))
        elif name in _AGENDA_AMOUNTS:
            values = [None if value is None else str(value) for value in cells]
        else:
            values = list(cells)
        frame[name] = (
            pd.Series(values, dtype=object)
            if kind is None
            else pd.array(pa.array(values, kind), dtype=pd.ArrowDtype(kind))
        )
    return pd.DataFrame(frame)


# The agenda's order (``sort_agenda``) as an Arrow sort: stable, the amounts exact.
_AGENDA_ORDER = [
    ("due_on", "ascending"),
    ("currency", "ascending"),
    ("amount", "descending"),
    ("account_id", "ascending"),
]
_AMOUNT_KEY = pa.decimal256(76, MAX_PLACES)  # any sum of amounts, exactly


def _sorted_rows(frame: pd.DataFrame) -> list[AgendaEntry]:
    """Return the rows of partitions' agendas in the agenda's order, sorted as columns."""
    keys = pa.table(
        {
            name: pa.array(frame[name]).cast(_AMOUNT_KEY)
            if name == "amount"
            else pa.array(frame[name])
            for name, _ in _AGENDA_ORDER
        }
    )
    order = pc.sort_indices(keys, sort_keys=_AGENDA_ORDER).to_numpy()
    return _frame_rows(frame.take(order))


# Columns of few distinct values (dates, names, currencies, enums): one object per value.
_FEW = frozenset({"collector", "due_on", "kind", "channel", "name", "currency"})


def _member(members: dict[Any, Any], value: Any) -> Any:
    """Return the enum member of ``value`` (``value`` itself, for a column of no enum)."""
    return members.get(value, value)


def _frame_rows(frame: pd.DataFrame) -> list[AgendaEntry]:
    """Return the agenda rows of a frame of ``_rows_frame`` (its inverse)."""
    fields = []
    for name, kind in _ROW_TYPES.items():
        if kind is None:
            values = frame[name].tolist()
        elif name in _FEW:
            members: dict[Any, Any] = {member.value: member for member in _ENUMS.get(name, ())}
            values = _decoded(pa.array(frame[name]), functools.partial(_member, members))
        else:
            values = pa.array(frame[name]).to_pylist()
        if name == "amount":
            values = list(map(Decimal, values))
        elif name == "arrears":
            values = [None if value is None else Decimal(value) for value in values]
        elif name == "item_ids":  # an agenda row's ids, unique: as the agenda builds them
            values = list(map(item_ids_trusted, values))
        fields.append(values)
    # each row of the agenda's own fields, checked where it was computed
    return [_new_row(AgendaEntry, row) for row in zip(*fields, strict=True)]


def _partition_agenda(  # called positionally by map_partitions
    part: pd.DataFrame,
    policy: Policy,
    on: dt.date,
    horizon_days: int,
    names: dict[str, str],
    currency: str,
    *,
    elsewhere: frozenset[Any] = frozenset(),
) -> pd.DataFrame:
    """Compute the agenda of the accounts whose items are all in ``part``, as columns.

    The rows of the accounts ``elsewhere`` (whose ids hash to one of these: they are in
    other partitions too) are left out.  The cycle collector is paused, as the command
    line pauses it: the accounts and rows of a partition hold no reference cycle.
    """
    if elsewhere:
        part = part[~_spread(part, names["account_id"], elsewhere)]
    with collection_paused():  # the agenda's rows hold no cycle either
        accounts = _arrow_accounts(_frame_table("agenda_dask", part), names, currency)
        return _rows_frame(agenda(accounts, policy, on, horizon_days))


def _hashes(ids: pd.Series) -> pd.Series:
    """Return the 64-bit hash of each account id of a partition, each once."""
    return pd.Series(np.unique(pd.util.hash_pandas_object(ids, index=False).to_numpy()))


def _rows_of(part: pd.DataFrame, column: str, hashes: frozenset[int]) -> pd.DataFrame:
    """Return the rows of the accounts whose id hashes to one of ``hashes``."""
    rows: pd.DataFrame = part[_spread(part, column, hashes)]
    return rows


def _spread(part: pd.DataFrame, column: str, hashes: frozenset[int]) -> Any:
    """Tell, row by row, whether the account id hashes to one of ``hashes``."""
    values = pd.util.hash_pandas_object(part[column], index=False).to_numpy()
    return np.isin(values, np.fromiter(hashes, dtype=np.uint64, count=len(hashes)))


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

    Every account's items must meet in one partition.  The account ids of each
    partition are read first (one column); the accounts found in one partition only
    stay where they are, and only the rows of the others move, shuffled on the account
    id (a table exported in account order moves a few rows at the partitions' edges;
    when most accounts are spread, the whole table is shuffled).  Skip all of it with
    ``partitioned_by_account=True`` when the table is laid out so (Parquet files written
    per account range).  Each partition reads its accounts from Arrow columns
    (``accounts_from_arrow``) and runs the pure ``agenda`` where its data lives; only
    the rows come back, as columns, put in the agenda's order once (``sort_agenda``'s,
    by an Arrow sort).  Runs on whatever scheduler is active (a ``distributed.Client``
    for a cluster).
    """
    from dask.base import compute  # noqa: PLC0415  # the extra collectlib[dask]
    from dask.dataframe import concat  # noqa: PLC0415

    check_currency("agenda_dask", "currency", currency)
    check_bool("agenda_dask", "partitioned_by_account", partitioned_by_account)
    names = column_names(columns, "items table")
    used = [name for name in names.values() if name in items.columns]
    table = items[used]
    account = names["account_id"]
    meta = _rows_frame(())
    arguments = (policy, on, horizon_days, names, currency)
    if partitioned_by_account:
        rows = table.map_partitions(_partition_agenda, *arguments, meta=meta)
    else:
        # An account's id hash in two partitions: it is spread (two accounts of one hash
        # would move together, no less right).
        seen = table[account].map_partitions(_hashes, meta=pd.Series(dtype=np.uint64))
        counts = seen.compute().value_counts()
        spread = frozenset(counts.index[counts.to_numpy() > 1].tolist())
        if len(spread) * 2 > len(counts):  # most accounts: shuffle the whole table
            rows = table.shuffle(on=account).map_partitions(
                _partition_agenda, *arguments, meta=meta
            )
        else:
            rows = table.map_partitions(_partition_agenda, *arguments, elsewhere=spread, meta=meta)
            if spread:
                moved = table.map_partitions(_rows_of, account, spread, meta=table._meta)
                share = max(1, round(table.npartitions * len(spread) / len(counts)))
                moved = (
                    moved.shuffle(on=account, npartitions=share)
                    if share > 1
                    else moved.repartition(npartitions=1)
                )
                rows = concat(  # type: ignore[no-untyped-call]
                    [rows, moved.map_partitions(_partition_agenda, *arguments, meta=meta)]
                )
    # Each partition's rows come straight to this process (no last task on a worker
    # gathering them first, which would wait for every partition and move them twice),
    # then are put in the agenda's order once.
    parts = compute(*rows.to_delayed())  # type: ignore[no-untyped-call]
    with collection_paused():
        return tuple(_sorted_rows(pd.concat(parts, ignore_index=True)))


# --- simulations -------------------------------------------------------------------------

_PERIODS = {"day": 1, "week": 7}


class SimulationFrames(NamedTuple):
    """The tables of a simulation (``simulation_frames``): work, cash in, receivable."""

    workload: Any
    """Actions per period, collector and channel: ``performed``, ``automatic``, ``waiting``."""
    cash: Any
    """Cash in per period and currency: ``amount``, ``items``."""
    balances: Any
    """The receivable per date and currency: the aged buckets, ``receivables``,
    ``overdue``, ``dso`` (standard) and ``dso_count_back``."""


def simulation_frames(
    simulation: Simulation, *, by: str = "week", numeric: bool = False, library: str = "pandas"
) -> SimulationFrames:
    """Return a simulation's work, cash in and receivable as DataFrames, for a notebook.

    ``by="week"`` (default) adds the work and the cash up over weeks of seven days from
    the simulation's start, each labelled by its first day in the ``period`` column;
    ``by="day"`` keeps one row per day.  ``workload`` has a row per period, collector
    (``None`` for the accounts without one) and channel (its value, ``"CALL"``...);
    ``cash`` a row per period and currency; ``balances`` a row per date of the
    simulation's ``balances`` and currency, one column per aged bucket (``not_due``,
    ``1-30``...).  Amounts stay exact ``Decimal`` objects; ``numeric=True`` gives them
    as ``float64``, for charts (one currency at a time); ``library="polars"`` gives
    polars DataFrames.
    """
    owner = "simulation_frames"
    if not isinstance(simulation, Simulation):
        raise ValidationError(f"{owner}: simulation must be a Simulation, not {simulation!r}")
    if by not in _PERIODS:
        raise ValidationError(f"{owner}: by must be 'week' or 'day', not {by!r}")
    _check_views(owner, numeric, False, library)
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
    return SimulationFrames(
        workload=_in_library(workload, library),
        cash=_in_library(cash, library),
        balances=_in_library(balances, library),
    )


def _work_order(pair: tuple[tuple[dt.date, str | None, str], list[int]]) -> tuple[Any, ...]:
    """By period, then collector (``None`` first), then channel: a simulation's order."""
    (on, collector, channel), _counts = pair
    return (on, collector is not None, collector or "", channel)


# --- the cash forecast and the payment predictions ------------------------------------------
_CASH_COLUMNS = ["week", "start", "currency", "amount", "items"]
_PREDICTION_COLUMNS = [field.name for field in attrs.fields(PaymentForecast)]


def cash_forecast_frame(
    forecast: CashForecast,
    *,
    numeric: bool = False,
    formatted: bool = False,
    library: str = "pandas",
) -> Any:
    """Return a ``CashForecast`` as a DataFrame: one row per week and currency, then ``later``.

    The columns are ``week`` (``"2026-W12"``), ``start`` (its Monday), ``currency``,
    ``amount`` and ``items``, the rows of ``forecast.rows``; then, per currency, the
    cash expected after the last week: ``week`` ``"later"``, no ``start``, no
    ``items`` (``None``).  Amounts are exact ``Decimal`` objects; ``numeric=True``
    gives them as ``float64`` and ``formatted=True`` as text, as ``agenda_frame`` does;
    ``library="polars"`` a polars DataFrame.
    """
    owner = "cash_forecast_frame"
    if not isinstance(forecast, CashForecast):
        raise ValidationError(f"{owner}: forecast must be a CashForecast, not {forecast!r}")
    _check_views(owner, numeric, formatted, library)
    records: list[tuple[Any, ...]] = [
        (row.week, row.start, row.currency, row.amount, row.items) for row in forecast.rows
    ]
    records.extend(
        ("later", None, currency, amount, None) for currency, amount in forecast.later.items()
    )
    frame = pd.DataFrame(records, columns=_CASH_COLUMNS, dtype=object)
    if formatted:
        frame = _formatted(frame, ["amount"])
    elif numeric:
        frame = frame.astype({"amount": "float64"})
    return _in_library(frame, library)


def predictions_frame(forecasts: Iterable[PaymentForecast], *, library: str = "pandas") -> Any:
    """Return ``predict_payment``'s forecasts as a DataFrame, one column per field.

    ``item_id``, ``expected_on``, ``days_late``, ``late_probability``, ``basis``,
    ``disputed``: for a call list, a chart of the expected dates, a join with the
    items table on ``item_id``.  ``library="polars"`` gives a polars DataFrame.
    """
    _check_views("predictions_frame", False, False, library)
    rows = [
        (f.item_id, f.expected_on, f.days_late, f.late_probability, f.basis, f.disputed)
        for f in check_each("predictions_frame", "forecasts", forecasts, PaymentForecast)
    ]
    return _in_library(pd.DataFrame.from_records(rows, columns=_PREDICTION_COLUMNS), library)
