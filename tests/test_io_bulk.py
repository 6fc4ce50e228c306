"""The loaders' bulk paths give exactly what the one-at-a-time paths give (issue 19).

``read_items_csv`` reads plain lines by batches, a column at a time, and builds the items
and accounts with ``trusted_columns``; ``load_portfolio`` reads plain accounts the same
way.  Each property here reads the same file twice, with the bulk path and without it
(the reference: every value through the public constructors, or the converter), and
finds the same accounts, or the same problems with the same lines and paths: for
random portfolios with odd but valid values (unicode names, many decimals, credit
notes, statuses, several currencies) and with bad values spliced in.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectlib import Account, Item, ItemKind, LoadError
from collectlib._frozen import trusted_columns
from collectlib.io import _bulk, files
from collectlib.io.converters import structure
from collectlib.io.files import Portfolio, load_portfolio, read_items_csv, save_portfolio
from collectlib.strategies import dates, policies, portfolios

tmp_files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
COLUMNS = ("account_id", "account_name", "item_id", "kind", "issue_date", "due_date",
           "amount", "open_amount", "currency", "language")  # fmt: skip


@contextlib.contextmanager
def one_at_a_time() -> Iterator[None]:
    """Read without the bulk paths: every line, every account as before them."""
    with (
        mock.patch.object(files, "_split_batch", return_value=None),
        mock.patch.object(_bulk, "portfolio_accounts", return_value=None),
    ):
        yield


def outcome(read: Any) -> Any:
    """What reading gives: the records, or the problems (file, line, path, what)."""
    try:
        return read()
    except LoadError as error:
        return [(p.file, p.line, p.path, p.what) for p in error.problems]


# --- Odd but valid values ----------------------------------------------------------------

names = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
texts = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=8)


@st.composite
def odd_items(draw: st.DrawFn, /, item_id: str) -> Item:
    """An item of any kind, with up to 18 decimals, paid, part paid or not, maybe qualified."""
    kind = draw(st.sampled_from(ItemKind))
    places = draw(st.integers(0, 18))
    size = draw(st.integers(1, 10**18 - 1)).__index__()
    amount = Decimal(size).scaleb(-places) if size < 10 ** (18 + places) else Decimal(size)
    if kind is not ItemKind.INVOICE and (kind is not ItemKind.OTHER or draw(st.booleans())):
        amount = -amount
    state = draw(st.sampled_from(("open", "closed", "zero-spelt", "part")))
    open_amount = {
        "open": amount,
        "closed": Decimal(0),
        "zero-spelt": Decimal("0.00"),
        "part": (amount / 2).quantize(Decimal(1).scaleb(-places)),
    }[state]
    issue = draw(dates())
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra = {
            "reference": draw(texts),
            "comment": draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=8)),
            "status": draw(st.sampled_from((None, "DISPUTE", "PROMISE"))),
            "owner": draw(st.sampled_from((None, "Ève", "Zoë"))),
        }
        if extra["status"]:
            extra["status_date"] = issue
            extra["promise_date"] = draw(st.none() | dates())
    return Item(
        id=item_id,
        kind=kind,
        issue_date=issue,
        due_date=issue + dt.timedelta(days=draw(st.integers(-5, 90))),
        amount=amount,
        open_amount=open_amount or open_amount,
        **extra,
    )


@st.composite
def odd_accounts(draw: st.DrawFn, /, *, qualified: bool = True) -> tuple[Account, ...]:
    """Accounts with unicode names, languages, several currencies, odd items (unique ids)."""
    count = draw(st.integers(0, 8))
    accounts = []
    for number in range(count):
        numbers = draw(st.lists(st.integers(1, 30), max_size=6, unique=True))
        drawn = [draw(odd_items(f"F-{n}")) for n in numbers]
        if not qualified:
            drawn = [Item(id=i.id, kind=i.kind, issue_date=i.issue_date, due_date=i.due_date,
                          amount=i.amount, open_amount=i.open_amount) for i in drawn]  # fmt: skip
        accounts.append(
            Account(
                id=draw(st.sampled_from(("C-", "Ç-", "客户-"))) + str(number),
                name=draw(names),
                currency=draw(st.sampled_from(("EUR", "JPY", "KWD", "USD"))),
                language=draw(st.sampled_from((None, "fr", "de_CH"))),
                items=drawn,
            )
        )
    return tuple(accounts)


# --- The CSV reader ------------------------------------------------------------------------


def csv_text(accounts: tuple[Account, ...], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")  # quotes a "\r" too
    writer.writerow(COLUMNS)
    for account in accounts:
        for item in account.items:
            writer.writerow((account.id, account.name, item.id, item.kind.value,
                             item.issue_date, item.due_date, item.amount, item.open_amount,
                             account.currency, account.language or ""))  # fmt: skip
    return out.getvalue()


def read_csv(path: Path, batch: int = 512, **options: Any) -> Any:
    with mock.patch.object(files, "_BLOCK", batch):
        return outcome(lambda: tuple(read_items_csv(path, **options)))


@tmp_files
@given(accounts=odd_accounts(qualified=False), batch=st.integers(1, 9))
def test_the_csv_bulk_path_reads_the_accounts_the_constructors_build(
    tmp_path_factory, accounts, batch
) -> None:
    path = tmp_path_factory.mktemp("bulk") / "items.csv"
    path.write_text(csv_text(accounts), encoding="utf-8")
    with_items = tuple(account for account in accounts if account.items)  # a row per item
    assert read_csv(path, batch) == with_items
    with one_at_a_time():
        assert read_csv(path, batch) == with_items


# Bad lines, each a problem (or a quote: a line the csv module reads); spliced anywhere.
SPLICED = (
    "C-1,Durand,F-1,INVOICE,2026-13-01,2026-02-04,100.00,100.00,EUR,",
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,1.200,50,100.00,EUR,",
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,1e99,1e99,EUR,",
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,NaN,NaN,EUR,",
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,-100.00,-100.00,EUR,",
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,100.00,120.00,EUR,",
    "C-1,Durand,F-1,BILL,2026-01-05,2026-02-04,100.00,100.00,EUR,",
    "C-1,Durand, F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR,",
    "C-1,Durand,,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR,",
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,XYZ,",
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,JPY,",
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR,xx-YY-zz",
    '"C-1",Durand,F-9,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR,',
    "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR",
    "C-1,Durand,F-1,CREDIT_NOTE,2026-01-05,2026-02-04,-100.00,0,EUR,",
    "C-1,Durand,F-1,OTHER,2026-01-05,2026-02-04,0,0,EUR,",
    "",
    "C-2,Zoë,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR,fr",
    " C-3,Zoë,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR,fr",
)


@tmp_files
@given(
    accounts=odd_accounts(qualified=False),
    splices=st.lists(st.tuples(st.integers(0, 60), st.sampled_from(SPLICED)), max_size=3),
    batch=st.integers(1, 9),
)
def test_the_csv_bulk_path_finds_the_problems_the_line_reader_finds(
    tmp_path_factory, accounts, splices, batch
) -> None:
    lines = csv_text(accounts).splitlines()
    for at, line in splices:
        lines.insert(1 + at % len(lines), line)
    path = tmp_path_factory.mktemp("bulk") / "items.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    fast = read_csv(path, batch)
    with one_at_a_time():
        assert read_csv(path, batch) == fast


@tmp_files
@given(accounts=odd_accounts(qualified=False), batch=st.integers(1, 9))
def test_the_csv_options_read_in_bulk_too(tmp_path_factory, accounts, batch) -> None:
    # a decimal comma, dotted dates, semicolons, Latin-1 (names it can write)
    accounts = tuple(
        attrs.evolve(account, name=account.name.encode("latin-1", "replace").decode("latin-1"))
        for account in accounts
        if all(character.isascii() for character in account.id)
    )
    text = csv_text(accounts, ";")
    for account in accounts:
        for item in account.items:
            for day in {item.issue_date, item.due_date}:
                text = text.replace(f";{day};", f";{day:%d.%m.%Y};")
            for amount in {item.amount, item.open_amount}:
                text = text.replace(f";{amount};", f";{str(amount).replace('.', ',')};")
    path = tmp_path_factory.mktemp("bulk") / "items.csv"
    path.write_bytes(text.encode("latin-1", "replace"))
    options = {"delimiter": ";", "decimal_comma": True, "date_format": "%d.%m.%Y",
               "encoding": "latin-1"}  # fmt: skip
    fast = read_csv(path, batch, **options)
    with one_at_a_time():
        assert read_csv(path, batch, **options) == fast
    if isinstance(fast, tuple):
        assert fast == tuple(account for account in accounts if account.items)


def test_an_account_of_two_currencies_is_a_problem_on_the_line_in_bulk_too(tmp_path) -> None:
    header = ",".join(COLUMNS)
    rows = [f"C-1,Durand,F-{n},INVOICE,2026-01-05,2026-02-04,1.00,1.00,EUR," for n in range(6)]
    rows[4] = rows[4].replace("EUR", "USD")
    path = tmp_path / "items.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    for batch in (1, 2, 3, 512):
        assert read_csv(path, batch) == [
            (str(path), 6, None, "account 'C-1' in 'USD', its first rows in 'EUR' "
             "(an account has one currency)")]  # fmt: skip


# --- The JSON portfolio --------------------------------------------------------------------


@tmp_files
@given(accounts=odd_accounts(), data=st.data())
def test_load_portfolio_s_bulk_path_reads_what_the_converter_reads(
    tmp_path_factory, accounts, data
) -> None:
    # plain accounts, and now and then one with actions, plans, a journal, a credit limit
    policy = data.draw(policies())
    others = data.draw(portfolios(policy=policy, max_size=3, with_plans=True, with_journal=True))
    mixed = accounts + tuple(attrs.evolve(other, id=f"Z-{other.id}") for other in others)
    path = tmp_path_factory.mktemp("bulk") / "portfolio.json"
    save_portfolio(Portfolio(accounts=mixed), path)
    assert load_portfolio(path).accounts == mixed
    document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    assert _bulk.portfolio_accounts(document["accounts"], lambda _: None) == list(mixed)
    assert structure(document["accounts"], tuple[Account, ...]) == mixed


JSON_SPLICES = (
    ("amount", "12.3.4"), ("amount", 12), ("amount", "1e99"), ("amount", "NaN"),
    ("amount", "-5.00"), ("open_amount", "999999"), ("kind", "BILL"), ("kind", ["INVOICE"]),
    ("id", " F-1"), ("id", ""), ("id", "F\u00a01"), ("id", 7), ("issue_date", "2026-13-01"),
    ("due_date", None), ("status", "A B\n"), ("status", 3), ("status_date", "soon"),
    ("comment", "\ud800"), ("reference", None), ("owner", 5), ("promise_date", [1]),
    ("extra", "x"), ("language", "xx-YY-zz"), ("currency", "XYZ"), ("name", 3),
    ("penalties_enabled", True), ("credit_limit", "100"), ("items", {}), ("journal", [1]),
)  # fmt: skip


@tmp_files
@given(
    accounts=odd_accounts(),
    splices=st.lists(
        st.tuples(st.integers(0, 99), st.integers(0, 99), st.sampled_from(JSON_SPLICES)),
        max_size=3,
    ),
    dropped=st.sampled_from((None, None, None, None, "status", "name", "items")),
    saved=st.booleans(),
    chunk=st.integers(1, 3),
)
def test_load_portfolio_s_bulk_path_finds_the_problems_the_converter_finds(
    tmp_path_factory, accounts, splices, dropped, saved, chunk
) -> None:
    # laid out as save_portfolio writes (an account a line, read a few at a time) or not
    path = tmp_path_factory.mktemp("bulk") / "portfolio.json"
    save_portfolio(Portfolio(accounts=accounts), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    records = document["accounts"]
    for at, item_at, (field, value) in splices:
        if not records:
            break
        record = records[at % len(records)]
        if field in {"language", "currency", "name", "penalties_enabled", "credit_limit",
                     "items", "journal"} or not record["items"]:  # fmt: skip
            record[field if field in record else "language"] = value
        else:
            record["items"][item_at % len(record["items"])][field] = value
    if dropped and records:
        target = (
            records[0]["items"][0] if dropped == "status" and records[0]["items"] else records[0]
        )
        target.pop(dropped, None)
    text = saved_layout(document) if saved else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with mock.patch.object(_bulk, "CHUNK", chunk):
        fast = outcome(lambda: load_portfolio(path))
        with one_at_a_time():
            assert outcome(lambda: load_portfolio(path)) == fast


def saved_layout(document: dict[str, Any]) -> str:
    """The text of ``document`` laid out as ``save_portfolio`` writes a portfolio."""
    head = {key: value for key, value in document.items() if key != "accounts"}
    lines = ",\n".join(json.dumps(account, ensure_ascii=False) for account in document["accounts"])
    return f'{json.dumps(head)[:-1]}, "accounts": [\n{lines}\n]}}\n'


SAVED = (
    '{"format": 1, "accounts": [\n{A},\n{B}\n]}\n',
    '{"format": 1, "as_of": "2026-03-01", "accounts": [\n{A},\n{B}\n]}\n',
    '{"format": 1, "as_of": "2026-13-01", "accounts": [\n{A},\n{B}\n]}\n',
    '{"format": 1, "as_of": "2026-03-01", "as_of": null, "accounts": [\n{A},\n{B}\n]}\n',
    '{"format": 1, "accounts": [\n{A},\n{B}\n]}\n\n',
    '{"format": 1, "accounts": [\n{A},\n{B}\n]} x\n',
    '{"format": 1, "accounts": [\n{A}\n{B}\n]}\n',
    '{"format": 1, "accounts": [\n{A},{B}\n]}\n',
    '{"format": 1, "accounts": [\n{A},\n{B},\n]}\n',
    '{"format": 1, "accounts": [\n{A},\n{B}\n]}',
    '{"format": 1, "accounts": [{A},\n{B}\n]}\n',
    '{"format": 2, "accounts": [\n{A},\n{B}\n]}\n',
    '{"format": 1, "accounts": [\n{A},\n{A}\n]}\n',
    '{"format": 1, "accounts": [\n{A},\n[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n]}\n',
    '{"format": 1, "accounts": [\n\n]}\n',
    '{"format": 1, "accounts": [\n{A},\n{\n]}\n',
    '{"format": 1, "accounts": [\n{A},\n{B} {A}\n]}\n',
    '{"format": 1, "accounts": [\n{A},\n{B}\n]}\n'.replace("EUR", "XYZ"),
)


@pytest.mark.parametrize("layout", SAVED)
@pytest.mark.parametrize("chunk", [1, 2, 256])
def test_a_portfolio_laid_out_as_saved_or_almost_reads_as_the_converter_reads_it(
    tmp_path, layout, chunk
) -> None:
    # the accounts of a few lines parsed alone, or the whole document when it is not so
    path = tmp_path / "portfolio.json"
    save_portfolio(Portfolio(accounts=PLAIN_ACCOUNTS), path)
    first, second = path.read_text(encoding="utf-8").splitlines()[1:3]
    text = layout.replace("{A}", first.rstrip(",")).replace("{B}", second)
    if "{A}\n{B}" in layout:  # an account over two lines
        text = text.replace('"name": ', '"name":\n', 1)
    path.write_text(text, encoding="utf-8")
    with mock.patch.object(_bulk, "CHUNK", chunk):
        fast = outcome(lambda: load_portfolio(path))
        with one_at_a_time():
            assert outcome(lambda: load_portfolio(path)) == fast
        whole = outcome(lambda: structure_whole(path))
    assert fast == whole


def structure_whole(path: Path) -> Portfolio:
    """The portfolio as the whole document gives it: the reference for the layout's path."""
    with mock.patch.object(files, "_saved_portfolio", return_value=None):
        return load_portfolio(path)


def test_a_deep_account_is_refused_in_bulk_too(tmp_path: Path) -> None:
    deep: Any = 1
    for _ in range(70):
        deep = [deep]
    plain = {"id": "C-1", "name": "", "currency": "EUR", "client_type": None, "scenario": None,
             "collector": None, "penalties_enabled": False, "group": None, "credit_limit": None,
             "email": None, "language": None, "timezone": None, "items": [], "actions": [],
             "plans": [], "journal": []}  # fmt: skip
    for accounts in ([plain, {**plain, "id": "C-2", "journal": deep}], [{"id": deep}]):
        path = tmp_path / "portfolio.json"
        path.write_text(json.dumps({"format": 1, "accounts": accounts}), encoding="utf-8")
        with pytest.raises(LoadError, match="nested more than 64 levels deep"):
            load_portfolio(path)
    path.write_text(json.dumps({"format": 1, "accounts": [plain], "as_of": deep}))
    with pytest.raises(LoadError, match="nested more than 64 levels deep"):
        load_portfolio(path)


def test_save_portfolio_writes_the_same_bytes_as_before(tmp_path: Path) -> None:
    account = Account(id="C-1", name="Zoë", items=[
        Item(id="F-1", kind="INVOICE", issue_date=dt.date(2026, 1, 5),
             due_date=dt.date(2026, 2, 4), amount="1200.50", open_amount="0.00")])  # fmt: skip
    path = tmp_path / "portfolio.json"
    save_portfolio(Portfolio(accounts=[account], as_of=dt.date(2026, 3, 1)), path)
    assert path.read_text(encoding="utf-8") == (
        '{"format": 1, "as_of": "2026-03-01", "accounts": [\n'
        '{"id": "C-1", "name": "Zoë", "currency": "EUR", "client_type": null, "scenario": null, '
        '"collector": null, "penalties_enabled": false, "group": null, "credit_limit": null, '
        '"email": null, "language": null, "timezone": null, "items": [{"id": "F-1", '
        '"kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-02-04", '
        '"amount": "1200.50", "open_amount": "0.00", "reference": "", "status": null, '
        '"status_date": null, "comment": "", "owner": null, "promise_date": null}], '
        '"actions": [], "plans": [], "journal": []}\n]}\n'
    )


# --- trusted_columns -----------------------------------------------------------------------


def test_trusted_columns_builds_what_the_constructor_builds() -> None:
    day, amount = dt.date(2026, 1, 5), Decimal("10.00")
    built = trusted_columns(Item, 2, id=["F-1", "F-2"], kind=[ItemKind.INVOICE] * 2,
                            issue_date=[day] * 2, due_date=[day] * 2, amount=[amount] * 2,
                            open_amount=[amount, Decimal(0)])  # fmt: skip
    assert built == [
        Item(id="F-1", kind="INVOICE", issue_date=day, due_date=day, amount=amount,
             open_amount=amount),
        Item(id="F-2", kind="INVOICE", issue_date=day, due_date=day, amount=amount,
             open_amount=0),
    ]  # fmt: skip
    assert trusted_columns(Account, 1, id=["C-1"]) == [Account(id="C-1")]


def test_trusted_columns_refuses_what_it_cannot_build() -> None:
    with pytest.raises(TypeError, match="no field"):
        trusted_columns(Account, 1, idd=["C-1"])
    with pytest.raises(TypeError, match=r"the columns \['id'\] do not have 2 values"):
        trusted_columns(Account, 2, id=["C-1"])
    with pytest.raises(TypeError, match=r"Account\.id needs a column"):
        trusted_columns(Account, 1, name=["Durand"])

    @attrs.frozen
    class Bag:
        things: list[int] = attrs.Factory(list)

    with pytest.raises(TypeError, match=r"Bag\.things needs a column"):
        trusted_columns(Bag, 1)


# --- Each bad value, in a file the bulk paths would read otherwise -----------------------

PLAIN_ACCOUNTS = (
    Account(id="C-1", name="Durand", items=[
        Item(id=f"F-{n}", kind="INVOICE", issue_date=dt.date(2026, 1, 5),
             due_date=dt.date(2026, 2, 4), amount="100.00", open_amount="100.00")
        for n in range(4)]),
    Account(id="C-2", name="Zoë", currency="JPY", language="fr", items=[
        Item(id="F-1", kind="CREDIT_NOTE", issue_date=dt.date(2026, 1, 5),
             due_date=dt.date(2026, 2, 4), amount="-100", open_amount="-50")]),
)  # fmt: skip


@pytest.mark.parametrize("line", SPLICED)
@pytest.mark.parametrize("at", [1, 3, 6])
def test_each_bad_line_is_found_as_the_line_reader_finds_it(tmp_path, line, at) -> None:
    lines = csv_text(PLAIN_ACCOUNTS).splitlines()
    lines.insert(at, line)
    path = tmp_path / "items.csv"
    path.write_text("\n".join(lines), encoding="utf-8")  # no line break at the end
    for batch in (1, 3, 512):
        fast = read_csv(path, batch)
        with one_at_a_time():
            assert read_csv(path, batch) == fast


@pytest.mark.parametrize(("field", "value"), JSON_SPLICES)
@pytest.mark.parametrize("where", [0, 1])
def test_each_bad_json_value_is_found_as_the_converter_finds_it(
    tmp_path, field, value, where
) -> None:
    path = tmp_path / "portfolio.json"
    save_portfolio(Portfolio(accounts=PLAIN_ACCOUNTS), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    record = document["accounts"][where]
    if (field in record and field not in {"id"}) or field in {"language", "currency"}:
        record[field] = value
    else:
        record["items"][0][field] = value
    path.write_text(json.dumps(document), encoding="utf-8")  # "\ud800" escaped
    fast = outcome(lambda: load_portfolio(path))
    with one_at_a_time():
        assert outcome(lambda: load_portfolio(path)) == fast
    valid = [
        ("id", "F\u00a01"),
        ("penalties_enabled", True),
        ("credit_limit", "100"),
        ("items", {}),
    ]
    assert isinstance(fast, Portfolio) == ((field, value) in valid)


@pytest.mark.parametrize(("field", "value"), [("amount", "1.2.3"), ("name", "\ud800")])
def test_a_bad_plain_account_beside_another_kind_is_found_as_the_converter_finds_it(
    tmp_path, field, value
) -> None:
    path = tmp_path / "portfolio.json"
    save_portfolio(Portfolio(accounts=PLAIN_ACCOUNTS), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["accounts"][0]["credit_limit"] = "100"  # read by the converter
    record = document["accounts"][1]
    (record if field in record else record["items"][0])[field] = value
    path.write_text(json.dumps(document), encoding="utf-8")
    fast = outcome(lambda: load_portfolio(path))
    with one_at_a_time():
        assert outcome(lambda: load_portfolio(path)) == fast
    assert isinstance(fast, list)


# --- The line reader ---------------------------------------------------------------------

line_texts = st.lists(st.sampled_from(["a", ",", '"', "\r", "\n", "\r\n", "é", "€", "𝄞"])).map(
    "".join
)


def readline_lines(data: bytes, cap: int) -> list[str]:
    """The lines TextIOWrapper gives, as the loaders read before ``_Lines``."""
    handle = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    return list(iter(lambda: handle.readline(cap), ""))


@given(text=line_texts, block=st.integers(1, 9), more=st.integers(0, 9), steps=st.data())
def test_the_line_reader_gives_the_lines_readline_gives(text, block, more, steps) -> None:
    # a block or a line at a time, in any order; a line longer than MAX_LINE in pieces
    cap = 2 * block + more  # no line longer than MAX_LINE after the first of a block
    data = text.encode("utf-8")
    with mock.patch.object(files, "_BLOCK", block), mock.patch.object(files, "MAX_LINE", cap):
        lines = files._Lines(io.BytesIO(data), "utf-8")
        got: list[str] = []
        while True:
            if steps.draw(st.booleans()):
                block_text, count, given = lines.block()
                if not count:
                    assert block_text == ""
                    break
                read = files._lines_of(block_text) if given is None else given
                assert len(read) == count
                assert "".join(read) == block_text
                got += read
            else:
                line = next(lines, None)
                if line is None:
                    break
                got.append(line)
        assert got == readline_lines(data, cap)
        assert next(lines, None) is None
        assert lines.block() == ("", 0, None)


@given(
    before=st.lists(st.sampled_from(["a", "\n", "\r\n", "é"])).map("".join),
    after=st.text(st.sampled_from(["a", "\n", "\xff"])),
    block=st.integers(1, 9),
    steps=st.data(),
)
def test_the_line_reader_hands_on_every_line_before_bytes_not_of_the_encoding(
    before, after, block, steps
) -> None:
    # what _undecodable counts on: the line of the bad byte is the lines handed on, plus
    # the line breaks of the bytes decoded with it before it, plus one
    data = before.encode("utf-8") + b"\xff" + after.encode("latin-1")
    line = before.count("\n") + 1
    with mock.patch.object(files, "_BLOCK", block):
        handed, error = read_to_the_error(files._Lines(io.BytesIO(data), "utf-8"), steps)
        assert handed + 1 + error.object[: error.start].count(b"\n") == line


def read_to_the_error(lines: Any, steps: st.DataObject) -> tuple[int, UnicodeDecodeError]:
    """Read blocks and lines up to bytes not of the encoding: the lines read, the error."""
    handed = 0
    try:
        while True:
            if steps.draw(st.booleans()):
                handed += lines.block()[1]
            else:
                next(lines)
                handed += 1
    except UnicodeDecodeError as error:
        return handed, error


def test_a_long_line_is_read_in_pieces_in_a_block_too(tmp_path) -> None:
    header = ",".join(COLUMNS)
    row = "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,1.00,1.00,EUR,"
    long = '"' + "x" * 150 + '"'
    path = tmp_path / "items.csv"
    path.write_text("\n".join([header, row, long, row]) + "\n", encoding="utf-8")
    with mock.patch.object(files, "MAX_LINE", 120):
        for block in (100, 120):
            fast = read_csv(path, block)
            with one_at_a_time():
                assert read_csv(path, block) == fast
            assert fast == [(str(path), 3, None, "longer than 120 characters")]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_loaders_leave_the_cycle_collector_as_they_found_it(tmp_path, enabled) -> None:
    # paused while a block's records are built, as the caller left it between accounts
    items = tmp_path / "items.csv"
    items.write_text(csv_text(PLAIN_ACCOUNTS), encoding="utf-8")
    portfolio = tmp_path / "portfolio.json"
    save_portfolio(Portfolio(accounts=PLAIN_ACCOUNTS), portfolio)
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text(PLAIN_ACCOUNTS).replace("100.00", "abc"), encoding="utf-8")
    (gc.enable if enabled else gc.disable)()
    try:
        for _ in read_items_csv(items):
            assert gc.isenabled() is enabled
        assert load_portfolio(portfolio).accounts == PLAIN_ACCOUNTS
        assert gc.isenabled() is enabled
        with pytest.raises(LoadError):
            list(read_items_csv(bad))
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_unique_within_says_whether_a_value_comes_twice_in_a_range() -> None:
    assert _bulk.unique_within(["F-1", "F-2", "F-1"], [0, 2, 3])  # in two accounts
    assert not _bulk.unique_within(["F-1", "F-1", "F-2"], [0, 2, 3])
    assert _bulk.kinds_in(["INVOICE"] * 3) == {"INVOICE"}
    assert _bulk.kinds_in(["INVOICE", "PAYMENT"]) == {"INVOICE", "PAYMENT"}
    assert _bulk.kinds_in([]) == set()


def test_an_item_id_twice_in_an_account_is_found_as_the_converter_finds_it(tmp_path) -> None:
    path = tmp_path / "portfolio.json"
    save_portfolio(Portfolio(accounts=PLAIN_ACCOUNTS), path)
    text = path.read_text(encoding="utf-8").replace('"id": "F-2"', '"id": "F-1"')
    path.write_text(text, encoding="utf-8")
    fast = outcome(lambda: load_portfolio(path))
    with one_at_a_time():
        assert outcome(lambda: load_portfolio(path)) == fast
    assert isinstance(fast, list)


def test_a_long_line_then_bytes_not_of_the_encoding_are_read_as_readline_reads_them() -> None:
    data = b"a" * 25 + b"\nb\n" + b"c" * 8 + b"\xff"  # the bad byte in the chunk after
    with mock.patch.object(files, "_BLOCK", 8), mock.patch.object(files, "MAX_LINE", 10):
        read = lines_to_the_error(files._Lines(io.BytesIO(data), "utf-8"))
    assert read == ["a" * 10, "a" * 10, "aaaaa\n", "b\n"]  # the pieces readline gives


def lines_to_the_error(lines: Any) -> list[str]:
    """The lines of the blocks of ``lines`` up to bytes not of the encoding."""
    read: list[str] = []
    try:
        while True:
            text, count, given = lines.block()
            block = files._lines_of(text) if given is None else given
            assert (len(block), "".join(block)) == (count, text)
            read += block
    except UnicodeDecodeError:
        return read
