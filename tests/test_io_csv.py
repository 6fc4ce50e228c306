"""ERP files from everywhere (SPEC 11): the CSV reader's decimal comma, date format,
encoding, delimiter and standard input, and errors that name the option that would read a
value.  The reader's other rules are tested in ``test_io_files``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectlib import Account, Item, LoadError
from collectlib._checks import read_date
from collectlib.io.files import (
    DATE_FORMATS,
    date_reader,
    read_decimal_comma,
    read_items_csv,
)
from collectlib.strategies import accounts

ROOT = Path(__file__).resolve().parent.parent
GERMAN = ROOT / "examples" / "erp-export-de.csv"
GERMAN_OPTIONS: dict[str, Any] = {
    "delimiter": "\t", "encoding": "latin-1", "decimal_comma": True, "date_format": "%d.%m.%Y",
}  # fmt: skip
HEADER = "account_id,account_name,item_id,kind,issue_date,due_date,amount,open_amount,currency\n"
ROW = "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR\n"
tmp_files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path | io.BytesIO, **options: Any) -> list[tuple[int | None, str]]:
    with pytest.raises(LoadError) as raised:
        list(read_items_csv(path, **options))
    return [(problem.line, problem.what) for problem in raised.value.problems]


# --- A German export, every option at once ----------------------------------------------


def _item(item_id: str, kind: str, issued: str, due: str, amount: str, open_: str) -> Item:
    return Item(id=item_id, kind=kind, issue_date=dt.date.fromisoformat(issued),
                due_date=dt.date.fromisoformat(due), amount=amount, open_amount=open_)  # fmt: skip


GERMAN_ACCOUNTS = [
    Account(id="1000", name="Müller & Söhne GmbH", language="de", items=[
        _item("R-2026-001", "INVOICE", "2026-01-05", "2026-02-04", "1200.50", "1200.50"),
        _item("G-2026-007", "CREDIT_NOTE", "2026-01-20", "2026-01-20", "-150.00", "-150.00")]),
    Account(id="2000", name="Bäckerei Weiß", language="de_CH", items=[
        _item("R-2026-014", "INVOICE", "2026-02-10", "2026-03-12", "980.00", "980.00")]),
    Account(id="3000", name="Großhandel Jäger KG", items=[
        _item("R-2025-311", "INVOICE", "2025-12-15", "2026-01-14", "12345.67", "10000.00")]),
]  # fmt: skip


def test_a_german_export_latin_1_tabs_decimal_comma_dotted_dates() -> None:
    assert GERMAN.read_bytes().count(b"\t") == 45  # Latin-1 umlauts, tabs
    assert b"M\xfcller" in GERMAN.read_bytes()
    assert list(read_items_csv(GERMAN, **GERMAN_OPTIONS)) == GERMAN_ACCOUNTS


def test_a_binary_stream_and_the_standard_input_read_the_same(monkeypatch) -> None:
    stream = io.BytesIO(GERMAN.read_bytes())
    assert list(read_items_csv(stream, **GERMAN_OPTIONS)) == GERMAN_ACCOUNTS
    assert not stream.closed  # the caller's stream stays open
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GERMAN.read_bytes())))
    assert list(read_items_csv("-", **GERMAN_OPTIONS)) == GERMAN_ACCOUNTS
    assert not sys.stdin.closed


def test_each_missing_option_is_named_with_what_it_would_read() -> None:
    wrong_encoding = problems(GERMAN, **{**GERMAN_OPTIONS, "encoding": "utf-8"})
    assert wrong_encoding == [
        (2, "not UTF-8 text: the byte 0xfc at byte 100 (with --encoding latin-1 / "
            "encoding='latin-1' it reads as 'ü')"),
    ]  # fmt: skip
    no_comma = problems(GERMAN, **{**GERMAN_OPTIONS, "decimal_comma": False})
    assert no_comma[0] == (
        2, "amount: not an amount: '1.200,50' (with --decimal-comma / decimal_comma=True it "
           "reads as 1200.50)",
    )  # fmt: skip
    assert len(no_comma) == 4
    no_format = problems(GERMAN, **{**GERMAN_OPTIONS, "date_format": None})
    assert no_format[0] == (
        2, "issue_date: not a date: '05.01.2026' (with --date-format %d.%m.%Y / "
           "date_format='%d.%m.%Y' it reads as 2026-01-05)",
    )  # fmt: skip
    tabs = problems(GERMAN, encoding="latin-1")
    assert tabs[0][1].endswith("is the delimiter '\\t'?)")


# --- Amounts with a decimal comma -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.200,50", "1200.50"),
        ("1 200,50", "1200.50"),
        ("1\xa0200,50", "1200.50"),
        ("1\u202f200,50", "1200.50"),
        ("1.234.567,891", "1234567.891"),
        ("1200,5", "1200.5"),
        ("-150,00", "-150.00"),
        ("\u2212150,00", "-150.00"),
        ("+3,00", "3.00"),
        (",5", "0.5"),
        ("12", "12"),
        ("1.200", "1200"),
        (" 7,10 ", "7.10"),
    ],
)
def test_the_decimal_comma_reads(text: str, amount: str) -> None:
    value = read_decimal_comma(text)
    assert value == Decimal(amount)
    assert str(value) == amount  # exactly, its decimals kept


@pytest.mark.parametrize(
    "text",
    ["1200.50", "1.20", "1.200.5", "1.200 300,5", "12.00,5", "1,2,3", "", "-", ",", "1e3",
     "NaN", "١٢", "1 2,0", "1.200,", "abc"],
)  # fmt: skip
def test_the_decimal_comma_never_half_reads(text: str) -> None:
    assert read_decimal_comma(text) is None


AMOUNTS = st.decimals(
    min_value=Decimal("-999999999999.999999"),
    max_value=Decimal("999999999999.999999"),
    allow_nan=False,
    allow_infinity=False,
    places=6,
)
COMMA_LOCALES = ["de_DE", "de_AT", "fr_FR", "it_IT", "es_ES", "nl_NL", "pt_BR", "pl_PL",
                 "ru_RU", "sv_SE", "da_DK", "fi_FI", "nb_NO", "cs_CZ", "tr_TR"]  # fmt: skip


@given(AMOUNTS, st.sampled_from(COMMA_LOCALES))
def test_any_amount_a_formatter_writes_with_a_decimal_comma_reads_back_equal(
    amount: Decimal, locale: str
) -> None:
    written = format_decimal(amount, locale=locale, decimal_quantization=False)
    assert read_decimal_comma(written) == amount, written


@given(AMOUNTS, st.sampled_from([".", " ", "\xa0", "\u202f", ""]))
def test_any_amount_grouped_by_hand_reads_back_equal(amount: Decimal, separator: str) -> None:
    whole, _, decimals = f"{abs(amount):f}".partition(".")
    groups = f"{int(whole):,}".replace(",", separator)
    written = f"{'-' if amount < 0 else ''}{groups}" + (f",{decimals}" if decimals else "")
    assert read_decimal_comma(written) == amount, written


def test_with_the_decimal_comma_a_point_is_named_as_the_other_way(tmp_path: Path) -> None:
    path = write(tmp_path, "items.csv", HEADER + ROW.replace("100.00,100.00", "1200.50,1.20"))
    assert problems(path, decimal_comma=True) == [
        (2, "amount: not an amount: '1200.50' (without --decimal-comma / decimal_comma it "
            "reads as 1200.50)"),
    ]  # fmt: skip
    path = write(tmp_path, "items.csv", HEADER + ROW.replace("100.00,100.00", '"1,00",1.20'))
    assert problems(path, decimal_comma=True) == [
        (2, "open_amount: not an amount: '1.20' (without --decimal-comma / decimal_comma it "
            "reads as 1.20)"),
    ]  # fmt: skip
    path = write(tmp_path, "items.csv", HEADER + ROW.replace("100.00,100.00", "abc,abc"))
    assert problems(path, decimal_comma=True) == [(2, "amount: not an amount: 'abc'")]


# --- Dates in a format ------------------------------------------------------------------

FORMATS = [*DATE_FORMATS, "%d.%m.%Y %H:%M", "%Y-%m-%d", "%d %m %Y"]


@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(FORMATS))
def test_a_date_written_with_a_format_reads_back_equal(day: dt.date, date_format: str) -> None:
    if "%y" in date_format:  # two digits: 1969 to 2068
        day = day.replace(year=1969 + day.year % 100)
    written = day.strftime(date_format)
    assert date_reader(date_format)(written) == day, written


def test_without_a_format_dates_are_iso() -> None:
    assert date_reader(None) is read_date


@pytest.mark.parametrize(
    "date_format", ["%m.%Y", "%d.%m", "%H:%M", "%Q", "", "%d.%d.%Y", "%d.%m.%Y %Y"]
)
def test_a_date_format_must_read_a_day_a_month_and_a_year(tmp_path: Path, date_format: str) -> None:
    path = write(tmp_path, "items.csv", HEADER + ROW)
    with pytest.raises(LoadError, match=r"items\.csv: the date format .* does not read dates back"):
        list(read_items_csv(path, date_format=date_format))


def test_a_date_format_is_text(tmp_path: Path) -> None:
    path = write(tmp_path, "items.csv", HEADER + ROW)
    with pytest.raises(LoadError, match=r"date_format must be a text like '%d\.%m\.%Y', not 7"):
        list(read_items_csv(path, date_format=7))  # type: ignore[arg-type]


def test_a_date_that_reads_in_several_formats_names_each(tmp_path: Path) -> None:
    path = write(tmp_path, "items.csv", HEADER + ROW.replace("2026-01-05", "05/01/2026"))
    assert problems(path) == [
        (2, "issue_date: not a date: '05/01/2026' (with --date-format %d/%m/%Y / "
            "date_format='%d/%m/%Y' it reads as 2026-01-05; with --date-format %m/%d/%Y / "
            "date_format='%m/%d/%Y' it reads as 2026-05-01)"),
    ]  # fmt: skip
    iso = write(tmp_path, "iso.csv", HEADER + ROW)
    assert problems(iso, date_format="%d.%m.%Y") == [
        (2, "issue_date: not a date: '2026-01-05' (without --date-format / date_format (ISO "
            "8601) it reads as 2026-01-05)"),
    ]  # fmt: skip
    nothing = write(tmp_path, "bad.csv", HEADER + ROW.replace("2026-02-04", "2026-02-30"))
    assert problems(nothing) == [(2, "due_date: not a date: '2026-02-30'")]


def test_a_column_the_file_names_otherwise_is_named_too(tmp_path: Path) -> None:
    text = (
        "Konto;Beleg;Art;Datum;Fällig;Betrag;Offen\nK1;R1;INVOICE;2026-01-05;2026-02-04;1,5;1,5\n"
    )
    columns = {"account_id": "Konto", "item_id": "Beleg", "kind": "Art", "issue_date": "Datum",
               "due_date": "Fällig", "amount": "Betrag", "open_amount": "Offen"}  # fmt: skip
    path = write(tmp_path, "items.csv", text)
    assert problems(path, columns=columns, delimiter=";") == [
        (2, "amount (column 'Betrag'): not an amount: '1,5' (with --decimal-comma / "
            "decimal_comma=True it reads as 1.5)"),
    ]  # fmt: skip
    (account,) = read_items_csv(path, columns=columns, delimiter=";", decimal_comma=True)
    assert account.items[0].amount == Decimal("1.5")


# --- Encodings --------------------------------------------------------------------------


def test_an_encoding_error_names_the_byte_its_offset_its_line_and_an_encoding(
    tmp_path: Path,
) -> None:
    rows = HEADER + ROW + ROW.replace("F-1", "F-2").replace("Durand", "Dürand")
    path = write(tmp_path, "items.csv", rows, "latin-1")
    offset = len((HEADER + ROW).encode()) + len("C-1,D")
    assert problems(path) == [
        (3, f"not UTF-8 text: the byte 0xfc at byte {offset} (with --encoding latin-1 / "
            "encoding='latin-1' it reads as 'ü')"),
    ]  # fmt: skip
    (account,) = read_items_csv(path, encoding="latin-1")
    assert [item.id for item in account.items] == ["F-1", "F-2"]


def test_windows_bytes_suggest_cp1252_and_undefined_ones_latin_1(tmp_path: Path) -> None:
    euro = write(tmp_path, "euro.csv", HEADER + ROW.replace("Durand", "Durand €"), "cp1252")
    assert problems(euro)[0][1].endswith("(with --encoding cp1252 / encoding='cp1252' it reads "
                                         "as '€')")  # fmt: skip
    (account,) = read_items_csv(euro, encoding="cp1252")
    assert account.name == "Durand €"
    undefined = tmp_path / "undefined.csv"
    undefined.write_bytes((HEADER + ROW).encode().replace(b"Durand", b"Dur\x81nd"))
    offset = len(HEADER + "C-1,Dur")
    assert problems(undefined, encoding="cp1252") == [
        (2, f"not cp1252 text: the byte 0x81 at byte {offset} (with --encoding latin-1 / "
            "encoding='latin-1' it reads as '\\x81')"),
    ]  # fmt: skip


def test_a_pipe_has_no_offsets_but_the_line(tmp_path: Path) -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            return self.data.readinto(buffer)

    data = (HEADER + ROW * 3 + "C-2,Jäger,F-9,INVOICE,2026-01-05,2026-02-04,1,1,EUR\n").encode(
        "latin-1"
    )
    assert problems(io.BufferedReader(Pipe(data))) == [
        (5, "not UTF-8 text: the byte 0xe4 (with --encoding latin-1 / encoding='latin-1' it "
            "reads as 'ä')"),
    ]  # fmt: skip


def test_a_header_not_of_the_encoding_is_line_one(tmp_path: Path) -> None:
    path = write(tmp_path, "items.csv", HEADER.replace("account_name", "Kundenname_ä") + ROW,
                 "latin-1")  # fmt: skip
    assert problems(path)[0][0] == 1


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-8-sig", "utf_16", "latin-1", "cp1252"])
def test_any_encoding_python_knows(tmp_path: Path, encoding: str) -> None:
    text = HEADER + ROW.replace("Durand", "Durand Père")
    path = write(tmp_path, "items.csv", text, "utf-8-sig" if "8" in encoding else encoding)
    (account,) = read_items_csv(path, encoding=encoding)
    assert account.name == "Durand Père"


@pytest.mark.parametrize("encoding", ["klingon", "", None, 7])
def test_an_unknown_encoding_is_a_load_error(tmp_path: Path, encoding: object) -> None:
    path = write(tmp_path, "items.csv", HEADER + ROW)
    with pytest.raises(LoadError, match=r"items\.csv: unknown encoding"):
        list(read_items_csv(path, encoding=encoding))  # type: ignore[arg-type]


# --- Delimiters, sources, options -------------------------------------------------------


@pytest.mark.parametrize("delimiter", ["\t", ";", "|", " "])
def test_any_one_character_is_a_delimiter(tmp_path: Path, delimiter: str) -> None:
    path = write(tmp_path, "items.csv", (HEADER + ROW).replace(",", delimiter))
    (account,) = read_items_csv(path, delimiter=delimiter)
    assert account.items[0].amount == Decimal("100.00")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"decimal_comma": "yes"}, "decimal_comma must be True or False, not 'yes'"),
        ({"delimiter": 7}, "the delimiter is one character"),
    ],
)
def test_bad_options_are_load_errors(tmp_path: Path, options: dict[str, Any], message: str) -> None:
    path = write(tmp_path, "items.csv", HEADER + ROW)
    with pytest.raises(LoadError, match=message):
        list(read_items_csv(path, **options))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (io.StringIO(HEADER), "source must be a binary file object \\(opened 'rb'\\)"),
        (7, "source must be a path, '-' or a binary file object, not 7"),
    ],
)
def test_a_source_is_a_path_dash_or_a_binary_stream(source: object, message: str) -> None:
    with pytest.raises(LoadError, match=f"^read_items_csv: {message}"):
        list(read_items_csv(source))  # type: ignore[arg-type]


def test_a_stream_without_a_name_is_named_stream() -> None:
    stream = io.BytesIO((HEADER + ROW.replace("100.00,100.00", "x,x")).encode())
    assert str(problems_of(stream)).startswith("<stream>:2: amount: not an amount: 'x'")


def problems_of(stream: io.BytesIO) -> LoadError:
    with pytest.raises(LoadError) as raised:
        list(read_items_csv(stream))
    return raised.value


def test_the_language_column_gives_each_account_its_language(tmp_path: Path) -> None:
    header = HEADER.rstrip("\n") + ",language\n"
    rows = ROW.rstrip("\n") + ",fr\n" + ROW.replace("C-1", "C-2").rstrip("\n") + ",\n"
    first, second = read_items_csv(write(tmp_path, "items.csv", header + rows))
    assert (first.language, second.language) == ("fr", None)
    bad = write(tmp_path, "bad.csv", header + ROW.rstrip("\n") + ",french\n")
    assert problems(bad) == [
        (2, "account 'C-1': language must be an ISO 639-1 language code, optionally with a "
            "region ('fr', 'de_CH'), not 'french'"),
    ]  # fmt: skip


# --- With the default options, the reader reads what it always read -------------------


def _reference(text: str) -> list[Account]:
    """The reading of a plain CSV before the options: the csv module, Decimal, ISO dates."""
    found: dict[str, list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        found.setdefault(row["account_id"], []).append(row)
    return [
        Account(id=account_id, name=rows[0]["account_name"], currency=rows[0]["currency"],
                items=[Item(id=row["item_id"], kind=row["kind"],
                            issue_date=read_date(row["issue_date"]),
                            due_date=read_date(row["due_date"]), amount=Decimal(row["amount"]),
                            open_amount=Decimal(row["open_amount"])) for row in rows])
        for account_id, rows in found.items()
    ]  # fmt: skip


def _csv(accounts_: list[Account], *, comma: bool = False, date_format: str = "%Y-%m-%d") -> str:
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(HEADER.rstrip("\n").split(","))

    def amount(value: Decimal) -> str:
        return (
            format_decimal(value, locale="de_DE", decimal_quantization=False)
            if comma
            else str(value)
        )

    for account in accounts_:
        for item in account.items:
            out.writerow([account.id, account.name, item.id, item.kind.value,
                          item.issue_date.strftime(date_format),
                          item.due_date.strftime(date_format), amount(item.amount),
                          amount(item.open_amount), account.currency])  # fmt: skip
    return buffer.getvalue()


ACCOUNTS = st.lists(
    accounts(with_actions=False, min_items=1, max_items=4), max_size=4, unique_by=lambda a: a.id
)


@tmp_files
@given(ACCOUNTS)
def test_the_default_options_read_exactly_what_the_reader_always_read(
    tmp_path_factory: pytest.TempPathFactory, accounts_: list[Account]
) -> None:
    text = _csv(accounts_)
    path = write(tmp_path_factory.mktemp("csv"), "items.csv", text)
    read = list(read_items_csv(path))
    assert read == _reference(text)
    explicit = {"delimiter": ",", "decimal_comma": False, "date_format": None, "encoding": "utf-8"}
    assert list(read_items_csv(path, **explicit)) == read
    assert list(read_items_csv(io.BytesIO(text.encode()))) == read


@tmp_files
@given(ACCOUNTS, st.sampled_from(["%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d"]))
def test_an_export_with_a_decimal_comma_and_a_date_format_reads_the_same_accounts(
    tmp_path_factory: pytest.TempPathFactory, accounts_: list[Account], date_format: str
) -> None:
    accounts_ = [
        a for a in accounts_ if all(min(i.issue_date, i.due_date).year >= 1000 for i in a.items)
    ]
    text = _csv(accounts_, comma=True, date_format=date_format)
    path = write(tmp_path_factory.mktemp("csv"), "items.csv", text)
    read = list(read_items_csv(path, decimal_comma=True, date_format=date_format))
    assert read == _reference(_csv(accounts_))
