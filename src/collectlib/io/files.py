"""Policy and portfolio files: TOML or JSON policies, JSON portfolios, ERP CSV extracts.

Every file format is versioned (``format = 1``) and documented in
``docs/reference/file-formats.md``.  Every problem is a ``LoadError`` naming the file and
the line (CSV, TOML and JSON syntax) or the path inside the document
(``portfolio.json: accounts[3].items[12].due_date: not a date: '2026-13-01'``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

import attrs

from collectlib.enums import ItemKind
from collectlib.errors import CollectError, LoadError
from collectlib.io.converters import structure, unstructure
from collectlib.model import Account, Item, Policy
from collectlib.model.items import _new_item

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "FORMAT",
    "ITEM_COLUMNS",
    "Portfolio",
    "load_policy",
    "load_portfolio",
    "read_items_csv",
    "save_policy",
    "save_portfolio",
]

FORMAT = 1
"""The version of the file formats this release reads and writes."""

ITEM_COLUMNS: Mapping[str, str] = {
    "account_id": "account_id",
    "account_name": "account_name",
    "item_id": "item_id",
    "kind": "kind",
    "issue_date": "issue_date",
    "due_date": "due_date",
    "amount": "amount",
    "open_amount": "open_amount",
    "currency": "currency",
}
"""The default column names of an open-items table (field name -> column name)."""

REQUIRED_COLUMNS = (
    "account_id",
    "item_id",
    "kind",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
)
"""The fields an open-items table must have (``account_name`` and ``currency`` are optional)."""


def column_names(columns: Mapping[str, str] | None, where: str) -> dict[str, str]:
    """Return the column name of every field: ``ITEM_COLUMNS`` with ``columns`` applied.

    A field that is not one of ``ITEM_COLUMNS`` is a ``LoadError`` (a typo in a mapping
    must not be ignored).
    """
    names = dict(ITEM_COLUMNS)
    if columns:
        unknown = set(columns) - set(ITEM_COLUMNS)
        if unknown:
            raise LoadError(f"{where}: unknown fields in columns=: {sorted(unknown)}")
        names.update(columns)
    return names


def _tuple_of_accounts(accounts: Iterable[Account]) -> tuple[Account, ...]:
    return tuple(accounts)


@attrs.frozen(kw_only=True)
class Portfolio:
    """The accounts of a portfolio file, and the date it describes (``as_of``), if it says."""

    accounts: tuple[Account, ...] = attrs.field(converter=_tuple_of_accounts)
    as_of: dt.date | None = None


def _read_document(path: Path) -> Any:
    """Read a JSON or TOML file into plain data; syntax errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise LoadError(f"{path}: not a UTF-8 text file") from None
    if path.suffix.lower() == ".toml":
        try:
            return tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            raise LoadError(f"{path}: not valid TOML: {error}") from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise LoadError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None


def _body(path: Path, document: Any, kind: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise LoadError(f"{path}: a {kind} file holds a table/object at the top")
    body = dict(document)
    version = body.pop("format", None)
    if version != FORMAT:
        raise LoadError(f"{path}: format: expected {FORMAT}, found {version!r}")
    return body


def _where(path: Path, error: LoadError) -> LoadError:
    return LoadError(f"{path}: {error}")


def load_policy(path: str | Path) -> Policy:
    """Read a policy from a TOML or JSON file (``format = 1``)."""
    path = Path(path)
    body = _body(path, _read_document(path), "policy")
    try:
        return structure(body, Policy, where="policy")
    except LoadError as error:
        raise _where(path, error) from None


def save_policy(policy: Policy, path: str | Path) -> None:
    """Write a policy as JSON (``format = 1``); ``load_policy`` reads it back equal."""
    data = {"format": FORMAT, **unstructure(policy)}
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_portfolio(path: str | Path, **csv_options: Any) -> Portfolio:
    """Read a portfolio: a JSON file (``format = 1``) or a CSV of open items.

    ``csv_options`` go to ``read_items_csv`` for a ``.csv`` file.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return Portfolio(accounts=tuple(read_items_csv(path, **csv_options)))
    body = _body(path, _read_document(path), "portfolio")
    unknown = set(body) - {"accounts", "as_of"}
    if unknown:
        raise LoadError(f"{path}: unknown keys {sorted(unknown)}")
    try:
        accounts = structure(body.get("accounts", []), tuple[Account, ...], where="accounts")
        as_of = structure(body["as_of"], dt.date, where="as_of") if "as_of" in body else None
    except LoadError as error:
        raise _where(path, error) from None
    ids = [a.id for a in accounts]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise LoadError(f"{path}: accounts: account {twice[0]!r} appears twice")
    return Portfolio(accounts=accounts, as_of=as_of)


def save_portfolio(portfolio: Portfolio, path: str | Path) -> None:
    """Write a portfolio as JSON (``format = 1``); ``load_portfolio`` reads it back equal.

    One account per line: a diff shows which accounts changed, and the compact JSON
    encoder writes it (an indented layout takes Python's slower encoder).
    """
    head: dict[str, Any] = {"format": FORMAT}
    if portfolio.as_of is not None:
        head["as_of"] = portfolio.as_of.isoformat()
    accounts = ",\n".join(
        json.dumps(account, ensure_ascii=False) for account in unstructure(portfolio.accounts)
    )
    text = f'{json.dumps(head)[:-1]}, "accounts": [\n{accounts}\n]}}\n'
    Path(path).write_text(text, encoding="utf-8")


def read_items_csv(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    currency: str = "EUR",
    delimiter: str = ",",
) -> Iterator[Account]:
    """Stream the accounts of a CSV of open items, one row per item, as ERPs export them.

    The rows of an account must be together (one after the other), so the file is
    read once, one account at a time, whatever its size; an account found again after
    others is a ``LoadError`` naming the line.  ``columns`` renames columns (field name ->
    column name, see ``ITEM_COLUMNS``); ``currency`` applies when there is no currency
    column.  Amounts are read exactly (``Decimal``), dates in ISO 8601 (``2026-03-31``);
    every item is validated like any ``Item``, and a bad row is a ``LoadError`` naming the
    file and line.
    """
    path = Path(path)
    names = column_names(columns, str(path))
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise LoadError(
            f"{path}: the delimiter is one character other than a quote or a line break, "
            f"not {delimiter!r}"
        )
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from None
    with handle:
        yield from _accounts(path, handle, delimiter, names, currency)


def _accounts(  # the hot loop of a million rows, kept flat
    path: Path, handle: TextIO, delimiter: str, names: dict[str, str], currency: str
) -> Iterator[Account]:
    # Lines are split on the delimiter; a line with a quote (or longer than the csv
    # module's field limit) is read by the csv module, with the lines its quotes span:
    # the same rows as csv.reader gives, at half the cost for the usual unquoted line.
    limit = csv.field_size_limit()
    try:
        header_reader = csv.reader(handle, delimiter=delimiter)
        header = next(header_reader)
    except StopIteration:
        return
    except (csv.Error, UnicodeDecodeError) as error:
        raise LoadError(f"{path}:1: cannot read the header: {error}") from None
    position = {column: index for index, column in enumerate(header)}
    missing = [names[f] for f in REQUIRED_COLUMNS if names[f] not in position]
    if missing:
        read_as_one = header[0] if len(header) == 1 else ""
        likely = [c for c in ";\t|," if c != delimiter and c in read_as_one]
        hint = f"; is the delimiter {likely[0]!r}?" if likely else ""
        raise LoadError(f"{path}:1: missing columns {missing} (the header has {header}{hint})")
    (account_col, item_col, kind_col, issue_col, due_col, amount_col, open_col) = (
        position[names[f]] for f in REQUIRED_COLUMNS
    )
    name_col = position.get(names["account_name"])
    currency_col = position.get(names["currency"])
    width = len(header)
    dates: dict[str, dt.date] = {}
    dates_get = dates.get
    zeros_setdefault: Any = {}.setdefault  # one zero per spelling ("0.00") for the paid items
    kinds_get = {kind.value: kind for kind in ItemKind}.get
    seen: set[str] = set()
    current: str | None = None
    first: list[str] = []
    items: list[Item] = []
    append = items.append
    new_item = _new_item

    def account() -> Account:
        return Account(
            id=current or "",
            name=first[name_col] if name_col is not None else "",
            currency=first[currency_col] if currency_col is not None else currency,
            items=items,
        )

    line = end = header_reader.line_num  # the last line read, the last line of a row
    try:
        for text in handle:
            line += 1
            if '"' in text or len(text) >= limit:
                reader = csv.reader(chain((text,), handle), delimiter=delimiter)
                row = next(reader, [])
                line += reader.line_num - 1
            else:
                cells = text.rstrip("\r\n")
                row = cells.split(delimiter) if cells else []
            if len(row) != width:
                if not row:
                    continue
                raise LoadError(f"{path}:{line}: {len(row)} fields, the header has {width}")
            account_id = row[account_col]
            if account_id != current:
                if current is not None:
                    yield _built(path, end, account)
                if account_id in seen:
                    raise LoadError(
                        f"{path}:{line}: account {account_id!r} appears again after other "
                        "accounts (the rows of an account must be together)"
                    )
                seen.add(account_id)
                current, first, items = account_id, row, []
                append = items.append
            issue_text, due_text = row[issue_col], row[due_col]
            amount_text, open_text = row[amount_col], row[open_col]
            try:
                issue = dates_get(issue_text) or _parse_date(dates, issue_text, "issue_date")
                due = dates_get(due_text) or _parse_date(dates, due_text, "due_date")
                amount = Decimal(amount_text)
                # an unpaid item's open amount is its amount, a paid one's a shared zero
                if open_text == amount_text:
                    open_amount = amount
                else:
                    open_amount = Decimal(open_text)
                    if not open_amount:
                        open_amount = zeros_setdefault(open_text, open_amount)
                kind = row[kind_col]
                append(
                    new_item(row[item_col], kinds_get(kind, kind), issue, due, amount, open_amount)
                )
            except InvalidOperation:
                message = _amount_error(amount_text, "amount") or _amount_error(
                    open_text, "open_amount"
                )
                raise LoadError(f"{path}:{line}: {message}") from None
            except CollectError as error:
                raise LoadError(f"{path}:{line}: {error}") from None
            end = line
    except csv.Error as error:
        raise LoadError(f"{path}:{line}: {error}") from None
    except UnicodeDecodeError:
        raise LoadError(f"{path}: not a UTF-8 text file (near line {line})") from None
    if current is not None:
        yield _built(path, line, account)


def _built(path: Path, line: int, build: Any) -> Account:
    try:
        return build()  # type: ignore[no-any-return]
    except CollectError as error:
        raise LoadError(f"{path}:{line}: {error}") from None


def _parse_date(cache: dict[str, dt.date], text: str, field: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise LoadError(f"{field}: not a date: {text!r}") from None
    cache[text] = value
    return value


def _amount_error(text: str, field: str) -> str | None:
    """Return the message for a cell that is not an amount, or ``None`` if it is one."""
    try:
        Decimal(text)  # NaN and infinities are amounts here: the Item refuses them
    except InvalidOperation:
        return f"{field}: not an amount: {text!r}"
    return None
