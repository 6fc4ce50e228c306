"""Policy and portfolio files: TOML or JSON policies, JSON portfolios, ERP CSV extracts.

Every file format is versioned (``format = 1``) and documented in
``docs/reference/file-formats.md``.  Every problem is a ``LoadError`` naming the file and
the line (CSV, TOML and JSON syntax) or the path inside the document
(``portfolio.json: accounts[3].items[12].due_date: not a date: '2026-13-01'``).  A file
with several problems reports them all in one ``LoadError`` (its ``problems``, each a
``Problem`` with its file, line or path), the first ``MAX_PROBLEMS`` of them: every bad
row of a CSV, every bad value and every wrong reference of a policy.

What a file may hold is capped, so that no file (``/dev/zero``, a file nested a
hundred thousand levels deep) ends in anything but a ``LoadError``: a policy has at
most ``POLICY_MAX_BYTES``, a JSON portfolio ``PORTFOLIO_MAX_BYTES`` (``max_bytes=``
raises it), a JSON or TOML document nests at most ``MAX_DEPTH`` levels, a CSV line has
at most ``MAX_LINE`` characters (a CSV is streamed: its size is not capped).
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import csv
import datetime as dt
import functools
import io
import json
import json.scanner
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from itertools import chain, compress, islice, pairwise
from operator import attrgetter, ne
from pathlib import Path
from typing import IO, Any, NamedTuple, TextIO, get_args, get_type_hints

import attrs
import cattrs

from collectlib._checks import check_currency, read_date
from collectlib._frozen import trusted_columns
from collectlib.errors import MAX_PROBLEMS, CollectError, ConfigurationError, LoadError, Problem
from collectlib.forecast import Settlement
from collectlib.io import _bulk
from collectlib.io.converters import converter, problem_message, unstructure
from collectlib.languages import is_language
from collectlib.model import Account, Item, Policy
from collectlib.model.items import new_item
from collectlib.money import CURRENCIES, read_amount

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DATE_FORMATS",
    "FORMAT",
    "ITEM_COLUMNS",
    "MAX_DEPTH",
    "MAX_LINE",
    "POLICY_MAX_BYTES",
    "PORTFOLIO_MAX_BYTES",
    "REQUIRED_COLUMNS",
    "SETTLEMENT_COLUMNS",
    "Portfolio",
    "column_names",
    "date_reader",
    "load_policy",
    "load_portfolio",
    "load_settlements",
    "read_decimal_comma",
    "read_items_csv",
    "read_settlements_csv",
    "safe_cell",
    "save_policy",
    "save_portfolio",
    "save_settlements",
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
    "language": "language",
}
"""The default column names of an open-items table (field name -> column name)."""

POLICY_MAX_BYTES = 4 * 2**20
"""The largest policy file read by default, in bytes (4 MiB; a policy takes a few KiB)."""

PORTFOLIO_MAX_BYTES = 2**30
"""The largest JSON portfolio read by default, in bytes (1 GiB, some 5 million items).

``load_portfolio(path, max_bytes=...)`` (``--max-size`` on the command line) raises it.
"""

MAX_DEPTH = 64
"""The deepest nesting of lists and tables a JSON or TOML file may have (a policy has 6)."""

MAX_LINE = 2**20
"""The longest line of a CSV of open items, in characters (1 MiB; a row takes ~100)."""

_CHUNK = 2**20  # what a pipe or a device is read by: a cap or a NUL byte ends the reading

REQUIRED_COLUMNS = (
    "account_id",
    "item_id",
    "kind",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
)
"""The fields an open-items table must have (``account_name``, ``currency`` and
``language``, the account's, are optional)."""


def _error(path: Path | str, what: str, line: int | None = None) -> LoadError:
    """Return the ``LoadError`` of one problem of the file ``path`` (at ``line``)."""
    return LoadError.of([Problem(file=str(path), line=line, what=what)])


def column_names(columns: Mapping[str, str] | None, where: str) -> dict[str, str]:
    """Return the column name of every field: ``ITEM_COLUMNS`` with ``columns`` applied.

    A field that is not one of ``ITEM_COLUMNS`` is a ``LoadError`` (a typo in a mapping
    must not be ignored).
    """
    names = dict(ITEM_COLUMNS)
    if columns:
        unknown = set(columns) - set(ITEM_COLUMNS)
        if unknown:
            raise _error(where, f"unknown fields in columns=: {sorted(unknown)}")
        names.update(columns)
    return names


_ACCOUNT_ID = attrgetter("id")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def safe_cell(text: str) -> str:
    """Return a CSV cell that no spreadsheet runs as a formula (OWASP's CSV injection advice).

    A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    single quote in front, which a spreadsheet shows as text; a plain number (``-30.00``,
    ``+5``, ``-1e3``) is no formula and stays as it is, a number.  Every CSV that
    collectlib writes takes its text cells through here, unless asked for raw cells.

    >>> print(safe_cell('=HYPERLINK("http://evil")'))
    '=HYPERLINK("http://evil")
    >>> safe_cell("-30.00"), safe_cell("-2+3"), safe_cell("C-1")
    ('-30.00', "'-2+3", 'C-1')
    """
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _tuple_of_accounts(accounts: Iterable[Account]) -> tuple[Account, ...]:
    return tuple(accounts)


@attrs.frozen(kw_only=True)
class Portfolio:
    """The accounts of a portfolio file, and the date it describes (``as_of``), if it says."""

    accounts: tuple[Account, ...] = attrs.field(converter=_tuple_of_accounts)
    as_of: dt.date | None = None


def _read_bytes(path: Path, max_bytes: int, raise_it: str) -> bytes | bytearray:
    """Read a file of at most ``max_bytes`` bytes and without a NUL byte (not a text file).

    A regular file says its size; a pipe or a device (``/dev/zero``) is read by chunks,
    up to the cap or the first NUL byte.
    """
    try:
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                data: bytes | bytearray = bytearray()
                while chunk := handle.read(min(_CHUNK, max_bytes + 1 - len(data))):
                    data += chunk
                    if b"\0" in chunk:
                        break
                size = len(data)
            elif status.st_size > max_bytes:
                data, size = b"", status.st_size
            else:
                data = handle.read()
                size = len(data)  # it may have grown since
    except OSError as error:
        raise _error(path, f"cannot read: {error.strerror or error}") from None
    if size > max_bytes:
        raise _error(
            path, f"larger than {max_bytes:,} bytes, the most this file may have{raise_it}"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        raise _error(path, "a NUL byte: not a text file", data.count(b"\n", 0, nul) + 1)
    return data


def _read_document(path: Path, max_bytes: int, raise_it: str = "", *, depth: bool = True) -> Any:
    """Read a JSON or TOML file into plain data; syntax errors name the file and line.

    The file has at most ``max_bytes`` and nests at most ``MAX_DEPTH`` levels (unless
    ``depth`` is false: the caller checks it); ``raise_it`` tells how to raise the
    size cap.
    """
    return _parsed(path, _read_text(path, max_bytes, raise_it), depth=depth)


def _read_text(path: Path, max_bytes: int, raise_it: str) -> str:
    """Read a UTF-8 text file of at most ``max_bytes`` bytes (see ``_read_bytes``)."""
    try:
        return _read_bytes(path, max_bytes, raise_it).decode("utf-8")
    except UnicodeDecodeError:
        raise _error(path, "not a UTF-8 text file") from None


def _parsed(path: Path, text: str, *, depth: bool = True) -> Any:
    """Return the plain data of a JSON or TOML text (``_read_document``'s second half)."""
    syntax = _syntax(path)
    try:
        if syntax == "TOML":
            document = tomllib.loads(text, parse_float=Decimal)
        else:
            document = json.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise _error(path, f"not valid TOML: {error}") from None
    except json.JSONDecodeError as error:
        raise _error(path, f"not valid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise _too_deep(path, syntax) from None
    except ValueError:  # the one other failure: int() refuses a number of too many digits
        what = f"not valid {syntax}: a number has too many digits"
        raise _error(path, what, _long_number(text)) from None
    if depth:
        _check_depth(path, document, syntax)
    return document


def _syntax(path: Path) -> str:
    """Return the syntax of the file ``path``: TOML for a ``.toml`` file, else JSON."""
    return "TOML" if path.suffix.lower() == ".toml" else "JSON"


def _long_number(text: str) -> int:
    """Return the line of the longest run of digits in ``text`` (what ``int()`` refused)."""
    longest = max(re.finditer(r"[0-9_]+", text), key=lambda run: run.end() - run.start())
    return text.count("\n", 0, longest.start()) + 1


def _too_deep(path: Path, syntax: str) -> LoadError:
    return _error(path, f"not valid {syntax}: nested more than {MAX_DEPTH} levels deep")


_CONTAINERS = frozenset((dict, list))


def _check_depth(path: Path, document: Any, syntax: str, level: int = 1) -> None:
    """Refuse a document that nests lists and tables more than ``MAX_DEPTH`` levels deep.

    ``document`` may be a part of the document, at ``level`` in it.
    """
    # level by level: a deep document must not exhaust the stack
    layer = [document] if type(document) in _CONTAINERS else []
    while layer:
        deeper: list[Any] = []
        for value in layer:
            values = value.values() if value.__class__ is dict else value
            if not _CONTAINERS.isdisjoint(map(type, values)):  # at C speed for a flat record
                deeper.extend(v for v in values if v.__class__ is dict or v.__class__ is list)
        if deeper and level == MAX_DEPTH:
            raise _too_deep(path, syntax)
        layer, level = deeper, level + 1


def _body(path: Path, document: Any, kind: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise _error(path, f"a {kind} file holds a table/object at the top")
    body = dict(document)
    version = body.pop("format", None)
    if version != FORMAT:
        raise _error(path, f"format: expected {FORMAT}, found {version!r}")
    return body


def _structured(path: Path, data: Any, kind: Any, where: str) -> tuple[Any, list[Problem]]:
    """Return ``data`` read as ``kind`` and no problem, or ``None`` and every problem.

    Each problem has the path of its value in the document (``where`` first); a
    ``ConfigurationError`` (a policy's wrong references) gives each of its problems.
    """
    try:
        return converter.structure(data, kind), []
    except cattrs.BaseValidationError as error:
        leaves: list[tuple[BaseException, type | None]] = []

        def token(leaf: BaseException, leaf_kind: type | None) -> str:
            leaves.append((leaf, leaf_kind))
            return str(len(leaves) - 1)

        found: list[Problem] = []
        for text in cattrs.transform_error(error, path=where, format_exception=token):
            index, _, at = text.partition(" @ ")
            leaf, leaf_kind = leaves[int(index)]
            if isinstance(leaf, ConfigurationError):
                messages = [str(problem) for problem in leaf.problems]
            else:
                messages = [problem_message(leaf, leaf_kind)]
            found.extend(
                Problem(file=str(path), path=at, what=message.removeprefix(f"{at}: "))
                for message in messages
            )
        return None, found
    except (CollectError, ValueError, TypeError, KeyError, AttributeError) as error:
        # the document itself is amiss
        return None, [Problem(file=str(path), path=where, what=problem_message(error, kind))]


_POLICY_FIELDS = {field.alias or field.name: field.name for field in attrs.fields(Policy)}
_POLICY_TYPES = get_type_hints(Policy)


def _reference_problems(path: Path, body: dict[str, Any]) -> list[Problem]:
    """Return the problems that ``Policy`` finds in the parts of ``body`` that can be read.

    A policy with unreadable values is never built, so its references are checked
    here on the rest: a status or scenario that cannot be read is left out, and so
    is a reference to one (its own problems tell what is wrong).
    """
    kept: dict[str, Any] = {}
    unreadable: dict[str, set[object]] = {"statuses": set(), "scenarios": set()}
    for key, value in body.items():
        if key not in _POLICY_FIELDS:
            continue  # reported by the structuring
        kind = _POLICY_TYPES[_POLICY_FIELDS[key]]
        if key in unreadable and isinstance(value, list):
            records = [_structured(path, raw, get_args(kind)[0], key)[0] for raw in value]
            kept[key] = [record for record in records if record is not None]
            name = "code" if key == "statuses" else "name"
            unreadable[key].update(
                raw[name]
                for raw, record in zip(value, records, strict=True)
                if record is None and isinstance(raw, dict) and isinstance(raw.get(name), str)
            )
            continue
        record, problems = _structured(path, value, kind, key)
        if not problems:
            kept[key] = record
    statuses, scenarios = unreadable["statuses"], unreadable["scenarios"]
    quick_promise = kept.get("quick_promise")
    for key, target, names in (
        ("quick_promise", quick_promise.status if quick_promise else None, statuses),
        ("dispute_resolved_status", kept.get("dispute_resolved_status"), statuses),
        ("default_scenario", kept.get("default_scenario"), scenarios),
    ):
        if target in names:
            del kept[key]
    if kept.get("scenario_by_client_type"):
        kept["scenario_by_client_type"] = {
            client_type: name
            for client_type, name in kept["scenario_by_client_type"].items()
            if name not in scenarios
        }
    return _built_policy(path, kept)


def _built_policy(path: Path, fields: dict[str, Any]) -> list[Problem]:
    """Return the problems of a ``Policy`` built from ``fields``: none if it is built."""
    try:
        Policy(**fields)
    except ConfigurationError as error:
        return [Problem(file=str(path), path="policy", what=str(p)) for p in error.problems]
    except CollectError as error:
        what = str(error).removeprefix("policy: ")
        return [Problem(file=str(path), path="policy", what=what)]
    return []


def load_policy(path: str | Path, *, max_bytes: int = POLICY_MAX_BYTES) -> Policy:
    """Read a policy from a TOML or JSON file (``format = 1``) of at most ``max_bytes``.

    Every problem is listed in one ``LoadError``: each value that cannot be read, and
    each wrong reference (a missing scenario or status, an unknown #hashtag) among the
    values that can.
    """
    path = Path(path)
    body = _body(path, _read_document(path, max_bytes), "policy")
    policy, problems = _structured(path, body, Policy, "policy")
    if not problems:
        return policy  # type: ignore[no-any-return]
    # when the policy was built (and refused), its reference problems come twice
    raise LoadError.of(dict.fromkeys(problems + _reference_problems(path, body)))


def save_policy(policy: Policy, path: str | Path) -> None:
    """Write a policy as JSON (``format = 1``); ``load_policy`` reads it back equal."""
    data = {"format": FORMAT, **unstructure(policy)}
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_portfolio(
    path: str | Path, *, max_bytes: int = PORTFOLIO_MAX_BYTES, **csv_options: Any
) -> Portfolio:
    """Read a portfolio: a JSON file (``format = 1``) or a CSV of open items.

    A JSON file has at most ``max_bytes`` (``PORTFOLIO_MAX_BYTES``, 1 GiB, by default);
    a CSV is streamed, whatever its size.  ``csv_options`` go to ``read_items_csv`` for
    a ``.csv`` file.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return Portfolio(accounts=tuple(read_items_csv(path, **csv_options)))
    with _bulk.collection_paused():  # a document and accounts hold no cycle
        return _json_portfolio(path, max_bytes)


def _json_portfolio(path: Path, max_bytes: int) -> Portfolio:
    raise_it = " (a bigger portfolio: max_bytes=, --max-size on the command line)"
    text = _read_text(path, max_bytes, raise_it)
    syntax = _syntax(path)

    def deep(account: Any) -> None:  # an account of the document's list: at level 3
        _check_depth(path, account, syntax, 3)

    saved = _saved_portfolio(text, deep) if syntax == "JSON" else None
    if saved is not None:
        read, as_of_text = saved
        day, found = _structured(path, as_of_text, dt.date | None, "as_of")
        return _checked_portfolio(path, tuple(read), day, found, read=True)
    document = _parsed(path, text, depth=False)
    data = document.get("accounts", []) if type(document) is dict else None
    # The accounts read a column at a time; None: read (again) by the converter, which
    # names every problem.  The depth of what the fast path does not read is checked.
    fast = _bulk.portfolio_accounts(data, deep)
    if fast is None:
        _check_depth(path, document, syntax)
    else:
        _check_depth(
            path, {key: value for key, value in document.items() if key != "accounts"}, syntax
        )
    body = _body(path, document, "portfolio")
    problems: list[Problem] = []
    unknown = set(body) - {"accounts", "as_of"}
    if unknown:
        problems.append(Problem(file=str(path), what=f"unknown keys {sorted(unknown)}"))
    unread: list[Problem] = []
    if fast is not None:
        accounts = tuple(fast)
    else:
        accounts, unread = _structured(
            path, body.get("accounts", []), tuple[Account, ...], "accounts"
        )
    as_of, found = _structured(path, body.get("as_of"), dt.date | None, "as_of")
    return _checked_portfolio(path, accounts, as_of, problems + unread + found, read=not unread)


def _checked_portfolio(
    path: Path, accounts: Any, as_of: Any, problems: list[Problem], *, read: bool
) -> Portfolio:
    """Return the portfolio, or raise with ``problems`` and the accounts found twice.

    ``read``: whether the accounts could be read (else ``accounts`` is none).
    """
    ids = list(map(_ACCOUNT_ID, accounts)) if read else []
    if not _bulk.unique(ids):  # most portfolios: every id once, seen at once
        counts = collections.Counter(ids)
        problems += (
            Problem(file=str(path), path="accounts", what=f"account {id_!r} appears twice")
            for id_, count in counts.items()
            if count > 1
        )
    if problems:
        raise LoadError.of(problems)
    return Portfolio(accounts=accounts, as_of=as_of)


# What save_portfolio writes: the head on the first line, then one account a line.
_SAVED_HEAD = re.compile(r'\{"format": 1(?:, "as_of": ("[^"\\\x00-\x1f]*"))?, "accounts": \[')


def _saved_portfolio(
    text: str, deep: Callable[[Any], None]
) -> tuple[list[Account], str | None] | None:
    """Return the accounts and ``as_of`` text of a portfolio as ``save_portfolio`` writes it.

    A document laid out so (its head on the first line, then an account a line) is
    read a few hundred accounts at a time: each account parsed by ``json``'s scanner
    where it is in the text, and a run of them built at once
    (``_bulk.portfolio_accounts``) while they are in the cache, then freed.  ``None``
    for any other layout, syntax error or value that breaks a rule: the whole
    document is read again, which names every problem.
    """
    head = _SAVED_HEAD.match(text)
    if head is None or not text.startswith("\n", head.end()) or not text.endswith("\n]}\n"):
        return None
    # json.loads' own scanner (typeshed wants the scanner's attributes: a decoder has them)
    scan = json.scanner.make_scanner(json.JSONDecoder(parse_float=Decimal))  # type: ignore[arg-type]
    at, end = head.end() + 1, len(text) - 4  # the accounts' lines
    every: list[Account] = []
    cache: dict[str, dt.date] = {}
    records: list[Any] = []
    while at < end:
        try:
            record, at = scan(text, at)
        except (StopIteration, ValueError, RecursionError):  # no value, bad syntax, deep
            return None
        records.append(record)
        if at < end:  # another account on the next line
            if not text.startswith(",\n", at):
                return None
            at += 2
        if len(records) == _bulk.CHUNK or at >= end:
            read = _bulk.portfolio_accounts(records, deep, cache)
            if read is None:
                return None
            every += read
            records = []
    if at != end and not (at == end + 1 and not every):  # an account across the end
        return None
    as_of = head.group(1)
    return every, None if as_of is None else json.loads(as_of)


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
    source: str | Path | IO[bytes],
    *,
    columns: Mapping[str, str] | None = None,
    currency: str = "EUR",
    delimiter: str = ",",
    decimal_comma: bool = False,
    date_format: str | None = None,
    encoding: str = "utf-8",
) -> Iterator[Account]:
    """Stream the accounts of a CSV of open items, one row per item, as ERPs export them.

    ``source`` is a path, ``"-"`` for the standard input (as on the command line), or a
    binary file object (read, not closed).  The rows of an account must be together
    (one after the other), so the file is read once, one account at a time, whatever
    its size.  ``columns`` renames columns (field name -> column name, see
    ``ITEM_COLUMNS``); ``currency`` applies when there is no currency column; the
    account's name, currency and language (an empty cell: none) are read on its first
    row; every item is validated like any ``Item``.

    How the values are written, as the ERP's country writes them:

    - ``delimiter``: any one character other than a quote or a line break (``";"``, a
      tab);
    - amounts are read exactly (``Decimal``) with a decimal point (``1200.50``); with
      ``decimal_comma=True``, with a decimal comma and the thousands grouped by dots or
      spaces, no-break spaces included (``1.200,50``, ``1 200,50``; see
      ``read_decimal_comma``);
    - dates are ISO 8601 (``2026-03-31``), or ``date_format`` (``"%d.%m.%Y"``,
      ``"%d/%m/%Y"``: ``datetime.strptime``'s directives; see ``date_reader``);
    - ``encoding`` (``"utf-8"``, a byte order mark skipped; ``"latin-1"``, ``"cp1252"``,
      any codec Python knows).

    A value that these options cannot read but another would is reported with that
    option (``amount: not an amount: '1.200,50' (with --decimal-comma /
    decimal_comma=True it reads as 1200.50)``), and bytes that are not of the encoding
    with their byte offset, line and the encoding that reads them.

    A bad row (a bad value, a wrong number of cells, an account found again after
    others or in a second currency) does not stop the reading: from the first one on,
    no more account is yielded, the rest of the file is read for its problems, and the
    end of the file raises one ``LoadError`` listing every problem with its line (the
    first ``MAX_PROBLEMS``, then how many more).  A file that cannot be read on (a
    header without the columns, a line longer than ``MAX_LINE`` characters, an
    unclosed quote, bytes not of the encoding) raises at once, with the problems found
    before.
    """
    check_currency("read_items_csv", "currency", currency)
    name = _source_name(source)
    names = column_names(columns, name)
    _check_delimiter(name, delimiter)
    cells = _Cells(name, names, decimal_comma, date_format)
    with _text(source, name, encoding) as (handle, binary):
        yield from _accounts(
            Path(name), handle, delimiter, names, currency, cells=cells, binary=binary
        )


SETTLEMENT_COLUMNS = (
    "account_id",
    "item_id",
    "issue_date",
    "due_date",
    "settled_on",
    "amount",
    "currency",
    "disputed",
)
"""The columns of a history of paid items (``currency`` and ``disputed`` are optional)."""

_SETTLEMENT_REQUIRED = SETTLEMENT_COLUMNS[:6]
_DISPUTED = {
    "": False,
    "false": False,
    "0": False,
    "no": False,
    "true": True,
    "1": True,
    "yes": True,
}


def load_settlements(
    path: str | Path, *, max_bytes: int = PORTFOLIO_MAX_BYTES, **csv_options: Any
) -> tuple[Settlement, ...]:
    """Read an ERP's history of paid items: a CSV (``read_settlements_csv``) or JSON file.

    A JSON file is ``{"format": 1, "settlements": [...]}``, each settlement an object
    with the fields of ``Settlement`` (as ``save_settlements`` writes it), at most
    ``max_bytes``; a problem names the path of its value (``settlements[3].amount``).
    ``csv_options`` go to ``read_settlements_csv`` for a ``.csv`` file.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return read_settlements_csv(path, **csv_options)
    body = _body(path, _read_document(path, max_bytes), "settlements")
    problems: list[Problem] = []
    unknown = set(body) - {"settlements"}
    if unknown:
        problems.append(Problem(file=str(path), what=f"unknown keys {sorted(unknown)}"))
    found, unread = _structured(
        path, body.get("settlements", []), tuple[Settlement, ...], "settlements"
    )
    problems += unread
    if problems:
        raise LoadError.of(problems)
    return found  # type: ignore[no-any-return]


def save_settlements(settlements: Iterable[Settlement], path: str | Path) -> None:
    """Write settlements as JSON (``format = 1``), one a line; ``load_settlements`` reads them."""
    lines = ",\n".join(
        json.dumps(record, ensure_ascii=False) for record in unstructure(tuple(settlements))
    )
    Path(path).write_text(
        f'{{"format": {FORMAT}, "settlements": [\n{lines}\n]}}\n', encoding="utf-8"
    )


def read_settlements_csv(
    source: str | Path | IO[bytes],
    *,
    currency: str = "EUR",
    delimiter: str = ",",
    decimal_comma: bool = False,
    date_format: str | None = None,
    encoding: str = "utf-8",
) -> tuple[Settlement, ...]:
    """Read a CSV of paid items, one row per settlement (``SETTLEMENT_COLUMNS``).

    The columns ``account_id``, ``item_id``, ``issue_date``, ``due_date``,
    ``settled_on`` and ``amount`` are required, in any order; ``currency`` (else the
    ``currency`` argument) and ``disputed`` (``true``/``false``, ``1``/``0``,
    ``yes``/``no``, empty: false) are optional.  ``source``, ``delimiter``,
    ``decimal_comma``, ``date_format`` and ``encoding`` are read as by
    ``read_items_csv``.  Every bad row is reported: one ``LoadError`` lists each
    problem with its line and the column at fault (``line 4: settled_on: not a date:
    '2026-13-01'``), and no settlement is returned.
    """
    check_currency("read_settlements_csv", "currency", currency)
    name = _source_name(source, "read_settlements_csv")
    _check_delimiter(name, delimiter)
    cells = _Cells(
        name, {column: column for column in SETTLEMENT_COLUMNS}, decimal_comma, date_format
    )
    with _text(source, name, encoding) as (handle, binary):
        return _settlements(Path(name), handle, delimiter, currency, cells, binary)


def _settlements(
    path: Path, handle: TextIO, delimiter: str, currency: str, cells: _Cells, binary: IO[bytes]
) -> tuple[Settlement, ...]:
    lines = _capped(path, iter(functools.partial(handle.readline, MAX_LINE), ""))
    reader = csv.reader(lines, delimiter=delimiter, strict=True)  # an unclosed quote: an error
    problems = _Problems(path)
    found: list[Settlement] = []
    dates: dict[str, dt.date] = {}
    try:
        header = next(reader, None)
        if header is None:
            return ()
        position = {column: index for index, column in enumerate(header)}
        missing = [column for column in _SETTLEMENT_REQUIRED if column not in position]
        if missing:
            raise _error(path, f"missing columns {missing} (the header has {header})", 1)
        for row in reader:
            line = reader.line_num
            if len(row) != len(header):
                if row:
                    problems.add(line, f"{len(row)} fields, the header has {len(header)}")
                continue
            cell = {column: row[index] for column, index in position.items()}
            try:
                found.append(_settlement(cell, currency, cells, dates))
            except CollectError as error:
                problems.add(line, str(error))
    except csv.Error as error:
        problems.add(reader.line_num, str(error))
    except UnicodeDecodeError as error:
        problems.add(*_undecodable(error, binary, reader.line_num, handle.encoding))
    if problems:
        raise problems.error()
    return tuple(found)


def _settlement(
    cell: dict[str, str], currency: str, cells: _Cells, dates: dict[str, dt.date]
) -> Settlement:
    """Return the settlement of one row, or raise a ``CollectError`` naming the column."""
    read: dict[str, Any] = {}
    for field in ("issue_date", "due_date", "settled_on"):
        text = cell[field]
        read[field] = dates.get(text) or cells.date(dates, text, field)
    message = cells.amount_error(cell["amount"], "amount")
    if message is not None:
        raise LoadError(message)
    disputed = _DISPUTED.get(cell.get("disputed", "").strip().lower())
    if disputed is None:
        raise LoadError(f"disputed: not true or false: {cell['disputed']!r}")
    return Settlement(
        account_id=cell["account_id"],
        item_id=cell["item_id"],
        amount=cells.number(cell["amount"]),
        disputed=disputed,
        currency=cell.get("currency") or currency,
        **read,
    )


def _check_delimiter(name: str, delimiter: object) -> None:
    """Refuse a delimiter that is not one character other than a quote or a line break."""
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise _error(
            name,
            f"the delimiter is one character other than a quote or a line break, not {delimiter!r}",
        )


@contextlib.contextmanager
def _text(
    source: str | Path | IO[bytes], name: str, encoding: str
) -> Iterator[tuple[TextIO, IO[bytes]]]:
    """Open ``source`` (a path, ``"-"`` or a binary stream) as text; close what it opened.

    A caller's stream stays open (the text layer is detached from it).
    """
    codec = _codec(name, encoding)
    if isinstance(source, str | Path) and str(source) != "-":
        try:
            binary: IO[bytes] = Path(source).open("rb")  # noqa: SIM115  # closed below
        except OSError as error:
            raise _error(name, f"cannot read: {error.strerror or error}") from None
        owned = True
    else:
        binary = sys.stdin.buffer if isinstance(source, str | Path) else source
        owned = False
    handle = io.TextIOWrapper(binary, encoding=codec, newline="")
    try:
        yield handle, binary
    finally:
        handle.detach()  # the caller's stream stays open
        if owned:
            binary.close()


def _source_name(source: object, owner: str = "read_items_csv") -> str:
    """Return how errors name ``source``: its path, ``<stdin>``, or the stream's name."""
    if isinstance(source, str | Path):
        return "<stdin>" if str(source) == "-" else str(source)
    if isinstance(source, io.TextIOBase):
        raise _error(
            owner,
            f"source must be a binary file object (opened 'rb'), not {source!r}",
        )
    if not callable(getattr(source, "read", None)):
        raise _error(
            owner,
            f"source must be a path, '-' or a binary file object, not {source!r}",
        )
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


def _codec(name: str, encoding: object) -> str:
    """Return the codec to read with: ``encoding``, UTF-8 skipping a byte order mark."""
    try:
        known = codecs.lookup(encoding).name  # type: ignore[arg-type]
    except (LookupError, TypeError):
        raise _error(
            name, f"unknown encoding {encoding!r} (e.g. 'utf-8', 'latin-1', 'cp1252')"
        ) from None
    return "utf-8-sig" if known == "utf-8" else known


_BLOCK = 2**15  # the characters checked and built at a time: some 500 lines
_READ = 2**13  # the bytes decoded at a time (as TextIOWrapper does)
_LINE_END = re.compile("\r\n?|\n")
_LINE = re.compile("[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


class _Lines:
    r"""The text of a binary stream, decoded by chunks: whole lines a block at a time, or one.

    Iterated, it gives the lines as ``TextIOWrapper(newline="").readline(MAX_LINE)``
    does (a line ends with ``"\n"``, ``"\r\n"`` or a lone ``"\r"``; a longer one comes
    in pieces of ``MAX_LINE`` characters); ``block`` gives the whole lines of some
    ``_BLOCK`` characters at once, without a Python step per line.  Bytes not of the
    encoding raise once every line decoded before their chunk is handed on (the text
    held back then has no line break: what ``_undecodable`` counts on).
    """

    __slots__ = ("at", "decode", "ended", "error", "read", "text")

    def __init__(self, binary: IO[bytes], encoding: str) -> None:
        self.read = binary.read
        self.decode = codecs.getincrementaldecoder(encoding)().decode
        self.text = ""  # decoded, from ``at`` on not handed on yet
        self.at = 0
        self.ended = False
        self.error: UnicodeDecodeError | None = None  # raised once the lines before are read

    def _more(self, size: int) -> None:
        """Decode chunks of bytes until ``size`` characters are held, the end or an error."""
        parts = [self.text[self.at :]]
        held = len(parts[0])
        while held < size and not self.ended and self.error is None:
            data = self.read(min(_READ, _BLOCK))
            self.ended = not data
            try:
                part = self.decode(data, final=self.ended)
            except UnicodeDecodeError as error:
                self.error = error
                break
            parts.append(part)
            held += len(part)
        self.text, self.at = "".join(parts), 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while True:
            text, at = self.text, self.at
            found = _LINE_END.search(text, at, at + MAX_LINE)
            # a "\r" last may begin a "\r\n": known once more text is read
            if found and (
                text[found.end() - 1] == "\n"
                or found.end() < len(text)
                or self.ended
                or found.end() - at == MAX_LINE
            ):
                self.at = found.end()
                return text[at : found.end()]
            if not found and len(text) - at >= MAX_LINE:  # a long line: in pieces
                self.at = at + MAX_LINE
                return text[at : self.at]
            if self.error is not None:
                raise self.error
            if self.ended:
                if at == len(text):
                    raise StopIteration
                self.at = len(text)
                return text[at:]
            self._more(len(text) - at + 1)

    def block(self) -> tuple[str, int, list[str] | None]:
        """Return the next whole lines: their text, their count and ``None``; ``""`` at the end.

        When the next line is longer than ``MAX_LINE``, the lines come by iteration
        instead: up to a block's lines, their text, their count and the lines themselves.
        """
        self._more(_BLOCK)
        while True:
            text, at = self.text, self.at
            if len(text) - at >= MAX_LINE and not _whole(text, at):
                break  # a long line (the first: the others fit in a block)
            if self.ended:
                cut = len(text)
            else:
                cut = text.rfind("\n", at) + 1
                lone = text.rfind("\r", max(cut, at), len(text) - 1)  # a "\r" not last: lone
                cut = max(cut, lone + 1)
            if cut > at:
                block = text[at:cut]
                self.at = cut
                count = block.count("\n")
                if "\r" in block:
                    count += block.count("\r") - block.count("\r\n")
                if block[-1] not in "\r\n":  # the last line of the text, without a line break
                    count += 1
                return block, count, None
            if self.error is not None:
                raise self.error
            if self.ended:
                return "", 0, None
            self._more(len(text) - at + _BLOCK)  # a line longer than a block
        lines: list[str] = []  # a long line's pieces and the lines after: as readline reads them
        with contextlib.suppress(UnicodeDecodeError):  # raised again on the next call
            lines.extend(islice(self, _BLOCK // 64 or 1))  # a piece of the long line first
        return "".join(lines), len(lines), lines


def _whole(text: str, at: int) -> bool:
    """Whether ``readline(MAX_LINE)`` reads the line of ``text`` at ``at`` whole (not in pieces)."""
    found = _LINE_END.search(text, at, at + MAX_LINE)
    # a "\r\n" across the limit: readline reads the "\r", then the "\n" as a line
    return found is not None and not (
        found.end() == at + MAX_LINE and text.startswith("\r\n", found.end() - 1)
    )


def _lines_of(block: str) -> list[str]:
    """Return the lines of ``block``, each with its line break (the last one may have none)."""
    return _LINE.findall(block)


def _split_batch(
    block: str, count: int, lines: list[str] | None, delimiter: str, width: int, limit: int
) -> list[str] | None:
    r"""Return the cells of the ``count`` lines of ``block``, row after row, or ``None``.

    ``None`` unless every line is plain: it has ``width`` cells, no quote and fewer
    than ``limit`` characters (the csv module's field limit); split on the delimiter,
    it gives csv.reader's row.  ``lines`` are the lines, if the block came by them.
    Each row is followed by a cell ``"\n"`` (its line break): a row takes ``width + 1``
    places (``_Layout.stride``).
    """
    if '"' in block:
        return None
    if len(block) >= limit and max(map(len, lines or _lines_of(block))) >= limit:
        return None
    if "\r" in block:
        block = block.replace("\r\n", "\n").replace("\r", "\n")
    if not block.endswith("\n"):  # the last line of the file
        block += "\n"
    # Each line break a cell of its own: the lines have ``width`` cells each (an empty
    # line none) when every ``width + 1``-th cell is one, the cells being as many.
    cells = block.replace("\n", f"{delimiter}\n{delimiter}").split(delimiter)
    cells.pop()  # the text after the last line break: none
    if len(cells) != count * (width + 1) or cells[width :: width + 1].count("\n") != count:
        return None
    return cells


class _Layout(NamedTuple):
    """Where each field of an open-items table is: its column's position (``None``: absent)."""

    width: int
    stride: int  # the places of a row in a batch's cells: its cells and its line break
    account: int
    item: int
    kind: int
    issue: int
    due: int
    amount: int
    open: int
    name: int | None
    currency: int | None
    language: int | None


class _Batch(NamedTuple):
    """A batch of plain rows read in bulk: its items and the accounts that begin in it."""

    items: list[Item]
    starts: list[int]  # the row each account begins on
    ids: list[str]
    names: list[str]
    currencies: list[str]
    languages: list[str | None]


def _batch_items(
    cells: list[str], at: _Layout, number: Any, read: Any, dates: Any
) -> list[Item] | None:
    """Return the item of every row of ``cells``, or ``None`` if a value breaks a rule.

    Each column is checked at once (``collectlib.io._bulk``).
    """
    width = at.stride
    ids, kinds = cells[at.item :: width], cells[at.kind :: width]
    if not (_bulk.kinds_in(kinds) <= _bulk.KINDS.keys() and _bulk.ids_ok(ids)):
        return None
    issues = _bulk.dates_of(cells[at.issue :: width], dates, read)
    dues = _bulk.dates_of(cells[at.due :: width], dates, read)
    read_amounts = _bulk.amounts_of(
        kinds, cells[at.amount :: width], cells[at.open :: width], number
    )
    if issues is None or dues is None or read_amounts is None:
        return None
    amounts, opens = read_amounts
    return _bulk.new_items(ids, kinds, issues, dues, amounts, opens)


def _batch(
    cells: list[str],
    at: _Layout,
    items: list[Item],
    seen: set[str],
    going_on: tuple[str | None, str | None],
    currency: str,
) -> _Batch | None:
    """Return the batch of the rows ``cells`` and their ``items``; ``None`` if an account is amiss.

    ``going_on`` is the account the batch before ended with and its currency cell (if
    the file has the column): the batch may go on with it.  ``currency`` is the
    currency of a file without the column.  An account of ``seen`` (an account
    again), a second currency, an item id twice, an account's bad id, name, currency
    or language: ``None``.
    """
    width, size = at.stride, len(items)
    accounts = cells[at.account :: width]
    starts = [0, *compress(range(1, size), map(ne, accounts[1:], accounts))]
    going_id, going_currency = going_on
    if accounts[0] == going_id:
        del starts[0]
    ids = [accounts[start] for start in starts]
    if not (
        _bulk.unique(ids) and seen.isdisjoint(ids) and going_id not in ids and _bulk.ids_ok(ids)
    ):
        return None
    bounds = [0, *starts, size] if not starts or starts[0] else [*starts, size]
    if not _bulk.unique_within(cells[at.item :: width], bounds):
        return None

    def column(place: int | None, default: Any) -> list[Any]:
        if place is None:
            return [default] * len(starts)
        return [cells[start * width + place] for start in starts]

    names, currencies = column(at.name, ""), column(at.currency, currency)
    languages = [text or None for text in column(at.language, None)]
    if at.currency is not None:
        of = cells[at.currency :: width]
        # the usual batch has one currency: no account changes it
        if of.count(of[0]) != size and not (
            set(compress(range(1, size), map(ne, of[1:], of))) <= set(starts)
        ):
            return None
        if not (bounds[0] in starts or of[0] == going_currency):
            return None
    if not (
        _bulk.texts_ok(names)
        and set(currencies) <= CURRENCIES
        and all(map(is_language, set(languages) - {None}))
    ):
        return None
    return _Batch(items, starts, ids, names, currencies, languages)


def _accounts(  # the hot loop of a million rows, kept flat
    path: Path,
    handle: TextIO,
    delimiter: str,
    names: dict[str, str],
    currency: str,
    *,
    cells: _Cells,
    binary: IO[bytes],
) -> Iterator[Account]:
    # Lines are read by batches.  A batch of plain lines (no quote, each a row of the
    # header's width) is split at once and read a column at a time, its values checked
    # in bulk and its items built without a Python call per item (``_batch_items``); a
    # batch with anything else (a quote, a bad value, an account again...) is read a
    # line at a time, which names each problem with its line.  A line with a quote (or
    # longer than the csv module's field limit) is read by the csv module, with the
    # lines its quotes span: the same rows as csv.reader gives.
    limit = csv.field_size_limit()
    lines = _Lines(binary, handle.encoding)  # no line is unbounded
    try:
        header_reader = csv.reader(_capped(path, lines), delimiter=delimiter)
        header = next(header_reader)
    except StopIteration:
        return
    except UnicodeDecodeError as error:
        at, what = _undecodable(error, binary, 0, handle.encoding)
        raise _error(path, what, at) from None
    except csv.Error as error:
        raise _error(path, f"cannot read the header: {error}", 1) from None
    position = {column: index for index, column in enumerate(header)}
    missing = [names[f] for f in REQUIRED_COLUMNS if names[f] not in position]
    if missing:
        read_as_one = header[0] if len(header) == 1 else ""
        likely = [c for c in ";\t|," if c != delimiter and c in read_as_one]
        hint = f"; is the delimiter {likely[0]!r}?" if likely else ""
        raise _error(path, f"missing columns {missing} (the header has {header}{hint})", 1)
    (account_col, item_col, kind_col, issue_col, due_col, amount_col, open_col) = (
        position[names[f]] for f in REQUIRED_COLUMNS
    )
    name_col = position.get(names["account_name"])
    currency_col = position.get(names["currency"])
    language_col = position.get(names["language"])
    width = len(header)
    layout = _Layout(
        width,
        width + 1,
        account_col,
        item_col,
        kind_col,
        issue_col,
        due_col,
        amount_col,
        open_col,
        name_col,
        currency_col,
        language_col,
    )
    dates: dict[str, dt.date] = {}
    dates_get = dates.get
    parse_date = cells.date
    number = cells.number  # Decimal itself, unless the decimal comma is asked for
    zeros_setdefault: Any = {}.setdefault  # one zero per spelling ("0.00") for the paid items
    kinds_get = _bulk.KINDS.get
    seen: set[str] = set()
    current: str | None = None
    first: list[str] = []
    items: list[Item] = []
    append = items.append
    make_item = new_item  # a local name: read faster in the loop
    problems = _Problems(path)
    problem = problems.add
    built_here: list[Account] = []  # the accounts a batch completes, yielded after it

    def account() -> Account:
        return Account(
            id=current or "",
            name=first[name_col] if name_col is not None else "",
            currency=first[currency_col] if currency_col is not None else currency,
            language=(first[language_col] or None) if language_col is not None else None,
            items=items,
        )

    line = end = header_reader.line_num  # the last line read, the last line of a row
    undecodable: UnicodeDecodeError | None = None
    try:
        while True:
            # the block's records hold no cycle: the collector waits while they are built
            collecting = _bulk.pause_collection()
            try:
                try:
                    block, size, batch = lines.block()
                except UnicodeDecodeError as error:  # the lines before it were read
                    undecodable = error
                    break
                if not size:
                    break
                split = _split_batch(block, size, batch, delimiter, layout.width, limit)
                read: _Batch | None = None
                if split is not None:
                    found = _batch_items(split, layout, number, cells.read_date, dates)
                    if found is not None:
                        going_currency = (
                            first[currency_col] if currency_col is not None and first else None
                        )
                        read = _batch(
                            split, layout, found, seen, (current, going_currency), currency
                        )
                if read is not None and split is not None:  # every row is fine: build its accounts
                    starts, new_ids = read.starts, read.ids
                    if not starts or starts[0]:  # it goes on with the account of the batch before
                        items += read.items[: starts[0] if starts else size]
                        end = line + (starts[0] if starts else size)
                    if starts:
                        if current is not None:  # the account of the batches before
                            done = _built(problems, end, account)
                            if done is not None and not problems:
                                built_here.append(done)
                        whole = len(starts) - 1  # the accounts that end in the batch
                        if whole and not problems:
                            built_here += trusted_columns(
                                Account,
                                whole,
                                id=new_ids[:whole],
                                name=read.names[:whole],
                                currency=read.currencies[:whole],
                                language=read.languages[:whole],
                                items=[tuple(read.items[a:b]) for a, b in pairwise(starts)],
                            )
                        last = starts[-1]
                        row_at = last * layout.stride
                        current, first = new_ids[-1], split[row_at : row_at + width]
                        items = read.items[last:]
                        append = items.append
                        end = line + size
                    seen.update(new_ids)
                    line += size
                else:
                    texts = iter(batch or _lines_of(block))
                    for text in texts:
                        line += 1
                        if '"' in text or len(text) >= limit:
                            if len(text) == MAX_LINE and text[-1] not in "\r\n":
                                problem(line, f"longer than {MAX_LINE:,} characters")
                                raise problems.error()
                            reader = csv.reader(chain((text,), texts, lines), delimiter=delimiter)
                            row = next(reader, [])
                            line += reader.line_num - 1
                        else:
                            stripped = text.rstrip("\r\n")
                            row = stripped.split(delimiter) if stripped else []
                        if len(row) != width:
                            if row:
                                problem(line, f"{len(row)} fields, the header has {width}")
                            continue
                        account_id = row[account_col]
                        if account_id != current:
                            if current is not None:
                                done = _built(problems, end, account)
                                if done is not None and not problems:
                                    built_here.append(done)
                            if account_id in seen:
                                problem(
                                    line,
                                    f"account {account_id!r} appears again after other accounts "
                                    "(the rows of an account must be together)",
                                )
                            seen.add(account_id)
                            current, first, items = account_id, row, []
                            append = items.append
                        elif currency_col is not None and row[currency_col] != first[currency_col]:
                            problem(
                                line,
                                f"account {account_id!r} in {row[currency_col]!r}, its first rows "
                                f"in {first[currency_col]!r} (an account has one currency)",
                            )
                        end = line
                        issue_text, due_text = row[issue_col], row[due_col]
                        amount_text, open_text = row[amount_col], row[open_col]
                        try:
                            issue = dates_get(issue_text) or parse_date(
                                dates, issue_text, "issue_date"
                            )
                            due = dates_get(due_text) or parse_date(dates, due_text, "due_date")
                            amount = number(amount_text)
                            # an unpaid item's open amount is its amount, a paid one's a shared zero
                            if open_text == amount_text:
                                open_amount = amount
                            else:
                                open_amount = number(open_text)
                                if not open_amount:
                                    open_amount = zeros_setdefault(open_text, open_amount)
                            kind = row[kind_col]
                            append(
                                make_item(
                                    row[item_col],
                                    kinds_get(kind, kind),
                                    issue,
                                    due,
                                    amount,
                                    open_amount,
                                )
                            )
                        except InvalidOperation:
                            message = cells.amount_error(
                                amount_text, "amount"
                            ) or cells.amount_error(open_text, "open_amount")
                            problem(line, str(message))
                        except CollectError as error:
                            problem(line, str(error))
                block, batch, split, read = "", None, None, None  # not held while reading on
                accounts = iter(built_here)  # a record too: allocated while it waits
            finally:
                _bulk.resume_collection(collecting)
            yield from accounts
            built_here.clear()
    except csv.Error as error:
        problem(line, str(error))
        raise problems.error() from None
    except UnicodeDecodeError as error:  # in the lines of a quoted row
        problem(*_undecodable(error, binary, line, handle.encoding))
        raise problems.error() from None
    if undecodable is not None:
        problem(*_undecodable(undecodable, binary, line, handle.encoding))
        raise problems.error() from None
    if current is not None:
        done = _built(problems, line, account)
        if done is not None and not problems:
            yield done
    if problems:
        raise problems.error()


class _Problems:
    """The problems of a CSV file, as found: the first ``MAX_PROBLEMS``, and a count."""

    __slots__ = ("found", "more", "path")

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.found: list[Problem] = []
        self.more = 0

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, line: int | None, what: str) -> None:
        """Note the problem ``what`` at ``line``."""
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(Problem(file=self.path, line=line, what=what))
        else:
            self.more += 1

    def error(self) -> LoadError:
        """Return the ``LoadError`` listing every problem noted."""
        return LoadError.of(self.found, more=self.more)


def _capped(path: Path, lines: Iterator[str]) -> Iterator[str]:
    """Pass the header's lines through; one longer than ``MAX_LINE`` is a ``LoadError``."""
    for number, text in enumerate(lines, start=1):
        if len(text) == MAX_LINE and text[-1] not in "\r\n":
            raise _error(path, f"longer than {MAX_LINE:,} characters", number)
        yield text


def _built(problems: _Problems, line: int, build: Any) -> Account | None:
    """Return the account ``build()`` makes, or note its problem (at ``line``) and ``None``."""
    try:
        return build()  # type: ignore[no-any-return]
    except CollectError as error:
        problems.add(line, str(error))
        return None


DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%y", "%Y%m%d")
"""The date formats an error suggests for a date that the reader's options cannot read."""

_SAMPLE_DATES = (dt.date(2026, 12, 31), dt.date(2001, 2, 3))

# A decimal comma: digits grouped by threes with one separator (a dot, a space, a no-break
# space or a narrow one) or not grouped, then a comma and the decimals.
_DECIMAL_COMMA = re.compile(
    "([+\\-\u2212]?)"
    "([0-9]{1,3}(?P<sep>[. \u00a0\u202f])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]*)"
    "(?:,([0-9]+))?"
)


def read_decimal_comma(text: str) -> Decimal | None:
    r"""Read an amount written with a decimal comma, or return ``None`` when it is not one.

    The decimals follow a comma; the thousands may be grouped by threes with dots,
    spaces, no-break spaces (``\xa0``) or narrow no-break spaces (``\u202f``, French),
    one kind in a number; a minus may be ``-`` or ``\u2212``.  Surrounding spaces are
    ignored.  A number with a point and no comma reads only as grouped thousands:
    ``1.200`` is 1200, ``1.20`` is not an amount.

    >>> read_decimal_comma("1.200,50"), read_decimal_comma("-1 200,5"), read_decimal_comma("0,07")
    (Decimal('1200.50'), Decimal('-1200.5'), Decimal('0.07'))
    >>> read_decimal_comma("1\u202f234\u202f567,00"), read_decimal_comma("1200.50")
    (Decimal('1234567.00'), None)
    """
    found = _DECIMAL_COMMA.fullmatch(text.strip())
    if found is None:
        return None
    sign, whole, separator, decimals = found.group(1, 2, "sep", 4)
    if not whole and not decimals:
        return None
    if separator:
        whole = whole.replace(separator, "")
    minus = "" if sign in ("", "+") else "-"  # "-" or "\u2212"
    return Decimal(f"{minus}{whole or '0'}.{decimals or ''}")


def _comma_number(text: str) -> Decimal:
    """``read_decimal_comma`` for the reading loop: ``InvalidOperation`` when not an amount."""
    value = read_decimal_comma(text)
    if value is None:
        raise InvalidOperation
    return value


def date_reader(date_format: str | None) -> Callable[[str], dt.date | None]:
    """Return the reading of dates written as ``date_format`` (ISO 8601 when ``None``).

    The function returns a date, or ``None`` for text that is not one; surrounding
    spaces are ignored.  ``date_format`` has ``datetime.strptime``'s directives and
    must read a day, a month and a year (``"%d.%m.%Y"``, ``"%d/%m/%y"``), else it is a
    ``LoadError``.

    >>> read = date_reader("%d.%m.%Y")
    >>> read("05.01.2026"), read(" 5.1.2026 "), read("2026-01-05")
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5), None)
    """
    if date_format is None:
        return read_date
    if not isinstance(date_format, str):
        raise LoadError(f"date_format must be a text like '%d.%m.%Y', not {date_format!r}")
    strptime = dt.datetime.strptime

    def read(text: str) -> dt.date | None:
        try:
            return strptime(text.strip(), date_format).date()
        except ValueError:
            return None

    try:
        back = [read(day.strftime(date_format)) for day in _SAMPLE_DATES]
    except (ValueError, re.error):  # strftime's refusal; strptime's of a directive twice
        back = []
    if back != list(_SAMPLE_DATES):
        raise LoadError(
            f"the date format {date_format!r} does not read dates back: it needs a day, "
            "a month and a year, like '%d.%m.%Y'"
        )
    return read


class _Cells:
    """How the cells of a CSV are read (the options), and what a refused cell would read as."""

    __slots__ = ("date_format", "decimal_comma", "labels", "number", "read_date")

    def __init__(
        self, name: str, names: dict[str, str], decimal_comma: object, date_format: object
    ) -> None:
        if type(decimal_comma) is not bool:
            raise _error(name, f"decimal_comma must be True or False, not {decimal_comma!r}")
        try:
            self.read_date = date_reader(date_format)  # type: ignore[arg-type]
        except LoadError as error:
            raise _error(name, str(error)) from None
        self.decimal_comma = decimal_comma
        self.date_format: str | None = date_format  # type: ignore[assignment]
        self.number: Callable[[str], Decimal] = _comma_number if decimal_comma else Decimal
        # How a message names a field: by its column too when the file names it otherwise.
        self.labels = {
            field: field if column == field else f"{field} (column {column!r})"
            for field, column in names.items()
        }

    def date(self, cache: dict[str, dt.date], text: str, field: str) -> dt.date:
        """Read a date cell (and keep it in ``cache``), or raise a ``LoadError`` saying why."""
        value = self.read_date(text)  # the one reading of dates (the cache keeps the loop fast)
        if value is None:
            raise LoadError(f"{self.labels[field]}: not a date: {text!r}{self._date_hint(text)}")
        cache[text] = value
        return value

    def _date_hint(self, text: str) -> str:
        """Say which other date option reads ``text``, and as what; ``""`` if none does."""
        readings = []
        if self.date_format is not None:
            iso = read_date(text)
            if iso is not None:
                readings.append(f"without --date-format / date_format (ISO 8601) it reads as {iso}")
        for other in DATE_FORMATS:
            if other != self.date_format:
                day = date_reader(other)(text)
                if day is not None:
                    readings.append(
                        f"with --date-format {other} / date_format={other!r} it reads as {day}"
                    )
        return f" ({'; '.join(readings)})" if readings else ""

    def amount_error(self, text: str, field: str) -> str | None:
        """Return the message for a cell that is not an amount, or ``None`` if it is one.

        The loop reads text cells with ``Decimal`` directly (or the decimal comma's
        reading), which is what ``read_amount`` does with text; a cell it cannot read is
        named here, by the one reader's rule, with the option that would read it.
        """
        if self.decimal_comma:
            if read_decimal_comma(text) is not None:
                return None
            other, hint = read_amount(text), "without --decimal-comma / decimal_comma"
        else:
            if read_amount(text) is not None:
                return None
            other, hint = read_decimal_comma(text), "with --decimal-comma / decimal_comma=True"
        reads = f" ({hint} it reads as {other})" if other is not None else ""
        return f"{self.labels[field]}: not an amount: {text!r}{reads}"


_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _undecodable(
    error: UnicodeDecodeError, binary: IO[bytes], lines: int, encoding: str
) -> tuple[int, str]:
    """Return the line of the bytes not of the encoding, and what to say about them.

    ``lines`` is the number of lines read before.  The decoder was given a block that
    begins on the next line (a line is handed on once whole, so the text held back
    has no line break) and ends where the bytes read so far end (``error.object``,
    after bytes held back from the blocks before: part of a character).  The byte
    offset is told when the stream tells its position (a file, not a pipe).
    """
    block = error.object
    line = lines + 1 + len(_LINE_BREAK.findall(block, 0, error.start))
    bad = bytes(block[error.start : error.end])
    shown = " ".join(f"0x{byte:02x}" for byte in bad)
    try:
        where = f" at byte {binary.tell() - len(block) + error.start}"
    except (OSError, ValueError):  # a pipe: no position
        where = ""
    name = "UTF-8" if encoding == "utf-8-sig" else encoding
    other = "cp1252" if 0x80 <= bad[0] <= 0x9F else "latin-1"  # Windows' letters (€, œ...)
    try:
        reads = bad.decode(other)
    except UnicodeDecodeError:  # 0x81, 0x8d...: not cp1252 either
        other, reads = "latin-1", bad.decode("latin-1")
    return line, (
        f"not {name} text: the byte {shown}{where} "
        f"(with --encoding {other} / encoding={other!r} it reads as {reads!r})"
    )
