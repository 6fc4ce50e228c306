r"""What the command line writes: tables and text for people, JSON and CSV for programs.

Amounts for people are written by the library's formatter (``format_amount``), in
their currency (``1,200.00 EUR``, ``150,000 JPY``); totals are per currency.  Text for
people shows control characters as escapes (``\x1b``); JSON escapes them as JSON does.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TextIO

from collectlib.io.converters import unstructure
from collectlib.io.files import safe_cell
from collectlib.money import ZERO, exact
from collectlib.rules import format_amount

__all__ = [
    "Visible",
    "amount",
    "cell",
    "count",
    "table",
    "totals",
    "visible",
    "write_rows",
]


def amount(value: Decimal, currency: str | None) -> str:
    """Write an amount for people: ``1,200.00 EUR`` (rounded to the currency's minor unit)."""
    if currency is None:  # a report over no account has no currency
        return f"{value:,}"
    return format_amount(value, currency)


@exact
def totals(amounts: Iterable[tuple[Decimal, str]]) -> str:
    """Write the sum of each currency's amounts: ``1,200.00 EUR and 150,000 JPY``.

    Amounts of two currencies are never added; currencies come in alphabetical order.
    """
    sums: dict[str, Decimal] = {}
    for value, currency in amounts:
        sums[currency] = sums.get(currency, ZERO) + value
    shown = [format_amount(sums[currency], currency) for currency in sorted(sums)]
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def count(number: int, noun: str) -> str:
    """Return ``number`` and ``noun``, plural unless one: ``1 item``, ``3 items``."""
    return f"{number:,} {noun}{'s' * (number != 1)}"


def cell(value: Any, currency: str | None = None) -> str:
    """Write one table cell for people: amounts in ``currency``, sets sorted, enums by value."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount(value, currency)
    if isinstance(value, frozenset | tuple | list):
        return " ".join(sorted(str(v) for v in value))
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int], out: TextIO
) -> None:
    """Write aligned columns under their headers; the columns in ``right`` to the right."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out.write(line(headers) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    for row in rows:
        out.write(line(row) + "\n")


# C0 and C1 controls, DEL, and lone surrogates (which no UTF-8 stream can carry)
_UNSEEN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_UNSEEN_BUT_LINES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\ud800-\udfff]")  # what JSON leaves unescaped


def _escaped(match: re.Match[str]) -> str:
    return ascii(match.group())[1:-1]  # '\x1b', '\t', '\ud800': how Python writes them


def visible(text: str, *, lines: bool = False) -> str:
    r"""Return ``text`` with its control characters shown as escapes (``\x1b``).

    ``lines=True`` keeps line breaks (``\n``), for text of several lines.
    """
    return (_UNSEEN_BUT_LINES if lines else _UNSEEN).sub(_escaped, text)


class Visible:
    """A text stream for people: control characters reach the terminal as escapes."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        """Write ``text``, its control characters (but line breaks) as escapes."""
        return self._out.write(visible(text, lines=True))

    def flush(self) -> None:
        """Flush the stream underneath."""
        self._out.flush()


def _csv_cell(value: Any, raw: bool) -> Any:
    """Return a JSON-ready value as a CSV cell: lists space-separated, JSON's booleans.

    Text that a spreadsheet would run as a formula starts with a quote unless ``raw``.
    """
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    elif isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and not raw:
        return safe_cell(value)
    return value


def write_rows(
    records: list[dict[str, Any]],
    fmt: str,
    out: TextIO,
    headers: Sequence[str],
    right: set[int],
    raw: bool = False,
) -> None:
    """Write rows as JSON or CSV, with the same JSON-ready values, or as a table.

    A table writes each amount in its row's ``currency``.  JSON escapes every control
    character; CSV cells are made safe unless ``raw``.
    """
    if fmt == "table":
        cells = [[cell(r.get(h), r.get("currency")) for h in headers] for r in records]
        table(headers, cells, right, out)
        return
    # A moment in a customer's zone as ISO 8601 with its offset, which every reader
    # parses (the files collectlib saves name the zone too, RFC 9557, to read it back).
    plain: list[dict[str, Any]] = unstructure(
        [{k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in r.items()}
         for r in records]
    )  # fmt: skip
    if fmt == "json":
        text = json.dumps(plain, indent=1, ensure_ascii=False)
        out.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")
        return
    writer = csv.DictWriter(out, fieldnames=list(headers), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _csv_cell(v, raw) for k, v in r.items()} for r in plain)
