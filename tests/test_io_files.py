"""collectlib.io.files: policy, portfolio and CSV files; every load error names file and place."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from collectlib import Account, Item, LoadError, ValidationError
from collectlib.demo import AS_OF, policy, portfolio
from collectlib.io.files import (
    Portfolio,
    load_policy,
    load_portfolio,
    read_items_csv,
    save_policy,
    save_portfolio,
)
from collectlib.strategies import accounts, policies

HEADER = "account_id,account_name,item_id,kind,issue_date,due_date,amount,open_amount,currency\n"
ROW = "C-1,Durand,F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR\n"
tmp_files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_demo_files_load() -> None:
    demo = portfolio()
    assert demo.as_of == AS_OF
    assert len(demo.accounts) >= 30
    assert {s.category.value for s in policy().statuses} >= {"DISPUTE", "PROMISE", "PAYMENT_PLAN"}
    assert any(a.plans for a in demo.accounts)
    assert any(i.is_credit for a in demo.accounts for i in a.items)


@tmp_files
@given(policies())
def test_a_saved_policy_loads_back_equal(tmp_path_factory, rules) -> None:
    path = tmp_path_factory.mktemp("p") / "policy.json"
    save_policy(rules, path)
    assert load_policy(path) == rules


@tmp_files
@given(
    st.lists(accounts(with_plans=True), max_size=4, unique_by=lambda a: a.id),
    st.none() | st.dates(),
)
def test_a_saved_portfolio_loads_back_equal(tmp_path_factory, accounts_, as_of) -> None:
    path = tmp_path_factory.mktemp("p") / "portfolio.json"
    save_portfolio(Portfolio(accounts=accounts_, as_of=as_of), path)
    assert load_portfolio(path) == Portfolio(accounts=accounts_, as_of=as_of)


def test_policy_toml_with_native_dates_times_and_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "policy.toml",
        """
format = 1
minimum_amount = 50.5
[sending_window]
weekdays = [0, 1]
slots = [[09:00:00, 12:00:00]]
[[scenarios]]
name = "s"
steps = [{ name = "call", channel = "CALL", trigger = { kind = "LEADER_DUE", days = 5 } }]
""",
    )
    rules = load_policy(path)
    assert rules.minimum_amount == Decimal("50.5")
    assert rules.sending_window.slots == ((dt.time(9), dt.time(12)),)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.toml", "format = 1\nminimum_amount = \n", r"p.toml: not valid TOML: .*line 2"),
        ("p.json", '{"format": 1,\n "statuses": [}', r"p.json:2: not valid JSON"),
        ("p.toml", "minimum_amount = 5\n", r"p.toml: format: expected 1, found None"),
        ("p.toml", "format = 2\n", r"p.toml: format: expected 1, found 2"),
        ("p.json", "[1, 2]", r"p.json: a policy file holds a table/object at the top"),
        (
            "p.toml",
            'format = 1\ndefault_scenario = "vip"\n',
            r"p.toml: .*default_scenario: no scenario 'vip'",
        ),
        ("p.toml", "format = 1\nminimum = 5\n", r"p.toml: policy: extra fields found \(minimum\)"),
        (
            "p.toml",
            'format = 1\n[[statuses]]\ncode = "d"\ncategory = "DISPUTE"\n',
            r"p.toml: policy.statuses\[0\]: status 'd': a DISPUTE status needs an action",
        ),
        (
            "p.toml",
            'format = 1\n[[scenarios]]\nname = "s"\n[[scenarios.steps]]\nname = "m"\nchannel = "EMAIL"\n'
            'template = "#totl_due"\ntrigger = { kind = "LEADER_DUE", days = 1 }\n',
            r"unknown hashtag #totl_due",
        ),
    ],
)
def test_bad_policy_files_name_the_file_and_the_place(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(LoadError, match=message):
        load_policy(write(tmp_path, name, text))


def test_missing_files_are_load_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"nope\.toml: cannot read"):
        load_policy(tmp_path / "nope.toml")
    with pytest.raises(LoadError, match=r"nope\.csv: cannot read"):
        list(read_items_csv(tmp_path / "nope.csv"))


def test_bad_portfolio_json_names_the_path(tmp_path: Path) -> None:
    item = {"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-13-01",
            "amount": "100", "open_amount": "100"}  # fmt: skip
    good = {"id": "C-0", "items": []}
    text = json.dumps({"format": 1, "accounts": [good, good | {"id": "C-1"}, good | {"id": "C-2"},
                                                 {"id": "C-3", "items": [item]}]})  # fmt: skip
    with pytest.raises(
        LoadError, match=r"p.json: accounts\[3\]\.items\[0\]\.due_date: not a date: '2026-13-01'"
    ):
        load_portfolio(write(tmp_path, "p.json", text))
    twice = json.dumps({"format": 1, "accounts": [good, good]})
    with pytest.raises(LoadError, match="account 'C-0' appears twice"):
        load_portfolio(write(tmp_path, "q.json", twice))
    with pytest.raises(LoadError, match=r"unknown keys \['extra'\]"):
        load_portfolio(write(tmp_path, "r.json", json.dumps({"format": 1, "extra": 1})))


# --- CSV ----------------------------------------------------------------------------


def test_csv_streams_accounts_in_file_order(tmp_path: Path) -> None:
    text = (
        HEADER
        + ROW
        + ROW.replace("F-1", "F-2").replace("100.00,100.00", "50.00,20.00")
        + ("C-2,Martin,F-9,CREDIT_NOTE,2026-01-05,2026-01-05,-30,-30,USD\n")
    )
    stream = read_items_csv(write(tmp_path, "items.csv", text))
    first = next(stream)
    assert (first.id, first.name, [i.id for i in first.items]) == ("C-1", "Durand", ["F-1", "F-2"])
    assert first.items[1].open_amount == Decimal("20.00")
    second = next(stream)
    assert (second.id, second.currency, second.items[0].amount) == ("C-2", "USD", Decimal(-30))
    assert list(stream) == []


def test_csv_columns_can_be_renamed_and_the_currency_given(tmp_path: Path) -> None:
    text = "Customer;Document;Type;Issued;Due;Amount;Open\nC-1;F-1;INVOICE;2026-01-05;2026-02-04;10;10\n"
    columns = {"account_id": "Customer", "item_id": "Document", "kind": "Type", "issue_date": "Issued",
               "due_date": "Due", "amount": "Amount", "open_amount": "Open"}  # fmt: skip
    (account,) = read_items_csv(
        write(tmp_path, "x.csv", text), columns=columns, currency="CHF", delimiter=";"
    )
    assert (account.id, account.name, account.currency) == ("C-1", "", "CHF")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            ROW.replace("2026-02-04", "2026-02-30"),
            r"items.csv:2: due_date: not a date: '2026-02-30'",
        ),
        (
            ROW.replace("100.00,100.00", "100.00,1O0"),
            r"items.csv:2: open_amount: not an amount: '1O0'",
        ),
        (
            ROW.replace("100.00,100.00", "100.00,120.00"),
            r"items.csv:2: item 'F-1': open_amount 120.00 exceeds",
        ),
        (ROW.replace("INVOICE", "BILL"), r"items.csv:2: item 'F-1': kind: unknown ItemKind 'BILL'"),
        (ROW + ROW, r"items.csv:3: account 'C-1': two items have the id 'F-1'"),
        (
            ROW + ROW.replace("C-1", "C-2") + ROW.replace("F-1", "F-3"),
            r"items.csv:4: account 'C-1' appears again after other accounts",
        ),
        (ROW.replace(",EUR", ""), r"items.csv:2: 8 fields, the header has 9"),
        (
            ROW.replace("EUR", "euro"),
            r"items.csv:2: account 'C-1': currency must be an ISO 4217 code",
        ),
    ],
)
def test_bad_csv_rows_name_the_file_and_line(tmp_path: Path, rows: str, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        list(read_items_csv(write(tmp_path, "items.csv", HEADER + rows)))


def test_quoted_cells_may_hold_delimiters_quotes_and_line_breaks(tmp_path: Path) -> None:
    text = (
        HEADER
        + 'C-1,"Durand, ""Fils""",F-1,INVOICE,2026-01-05,2026-02-04,100.00,100.00,EUR\r\n'
        + '"C-2","Martin\nSA","F-2",INVOICE,2026-01-05,2026-02-04,5,5,EUR\n'
        + "\n"
        + ROW.replace("C-1", "C-3").replace("F-1", "F 3")
        + ROW.replace("C-1", "C-3").replace("INVOICE", "BILL")
    )
    with pytest.raises(LoadError, match=r"items\.csv:7: item 'F-1': kind: unknown ItemKind"):
        list(read_items_csv(write(tmp_path, "items.csv", text)))
    first, second = list(read_items_csv(write(tmp_path, "good.csv", text.rsplit("C-3", 2)[0])))
    assert (first.name, second.name, second.items[0].id) == ('Durand, "Fils"', "Martin\nSA", "F-2")


@pytest.mark.parametrize("delimiter", ["", ";;", '"', "\n"])
def test_a_delimiter_is_one_character_other_than_a_quote_or_a_line_break(
    tmp_path: Path, delimiter: str
) -> None:
    with pytest.raises(LoadError, match=r"items\.csv: the delimiter is one character"):
        list(read_items_csv(write(tmp_path, "items.csv", HEADER + ROW), delimiter=delimiter))


def test_a_header_read_with_the_wrong_delimiter_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "items.csv", "account_id;item_id;kind\n")
    with pytest.raises(LoadError) as error:
        list(read_items_csv(path))
    assert str(error.value) == (
        f"{path}:1: missing columns ['account_id', 'item_id', 'kind', 'issue_date', "
        "'due_date', 'amount', 'open_amount'] (the header has "
        "['account_id;item_id;kind']; is the delimiter ';'?)"
    )
    with pytest.raises(LoadError, match=r"the header has \['account_id', 'item_id'\]\)$"):
        list(read_items_csv(write(tmp_path, "two.csv", "account_id,item_id\n")))


def test_csv_header_problems(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"items.csv:1: missing columns \['kind'"):
        list(read_items_csv(write(tmp_path, "items.csv", "account_id,item_id\n")))
    assert list(read_items_csv(write(tmp_path, "empty.csv", ""))) == []
    with pytest.raises(LoadError, match=r"unknown fields in columns=: \['customer'\]"):
        list(read_items_csv(write(tmp_path, "items.csv", HEADER), columns={"customer": "c"}))


@tmp_files
@given(
    st.lists(
        accounts(with_actions=False, min_items=1, max_items=4), max_size=5, unique_by=lambda a: a.id
    )
)
def test_csv_reads_back_what_an_erp_would_write(tmp_path_factory, accounts_) -> None:
    lines = [HEADER]
    for account in accounts_:
        for item in account.items:
            lines.append(
                f"{account.id},{account.name},{item.id},{item.kind.value},{item.issue_date},"
                f"{item.due_date},{item.amount},{item.open_amount},{account.currency}\n"
            )
    path = write(tmp_path_factory.mktemp("csv"), "items.csv", "".join(lines))
    assert list(read_items_csv(path)) == [
        Account(id=a.id, name=a.name, currency=a.currency, items=a.items) for a in accounts_
    ]


KEYS = (
    "format", "accounts", "items", "id", "kind", "issue_date", "due_date", "amount", "open_amount",
    "statuses", "scenarios", "steps", "code", "name", "category", "channel", "trigger", "days",
    "journal", "type", "on", "actions", "plans",
)  # fmt: skip
_FIELDS = ["C-1", "Durand", "F-1", "INVOICE", "2026-01-05", "2026-02-04", "100.00", "100.00", "EUR"]


fuzz = settings(max_examples=1500, suppress_health_check=[HealthCheck.function_scoped_fixture])


_CELLS = st.sampled_from(
    [*_FIELDS, "", "C-2", "F-2", "50.00", "0.00", "a,b", 'say "hi"', "two\nlines", "x\r\ny",
     " C-1", "é", "\x00", "CREDIT_NOTE", "-20"]
)  # fmt: skip


_GOOD_ROWS = st.builds(
    lambda account, name, item: [account, name, item, *_FIELDS[3:]],
    st.sampled_from(["C-1", "C-2", "C;3", "x\r\ny"]),
    st.sampled_from(["Durand", "Durand, Fils", 'The "Best"', ""]),
    st.sampled_from(["F-1", "F-2", "F,3", 'F"4', "F\n5"]),
)


def _rows_text(rows: list[list[str]], terminator: str, quoting: int) -> str:
    import csv
    import io

    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=terminator, quoting=quoting).writerows(rows)
    return buffer.getvalue()


def _outcome(path: Path, *, lines: bool = True) -> object:
    try:
        return list(read_items_csv(path))
    except LoadError as error:
        message = str(error).replace(path.name, "items.csv")
        return message if lines else re.sub(r"items\.csv:\d+:", "items.csv:", message)


@fuzz
@given(
    st.lists(_GOOD_ROWS, max_size=6, unique_by=lambda row: row[2]).map(sorted)
    | st.lists(_GOOD_ROWS | st.lists(_CELLS, min_size=8, max_size=10) | st.just([]), max_size=8),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.just([]) | st.lists(st.sampled_from(['C-1,"open', 'a"b,c', '"', "\r", ",,,"]), max_size=2),
)
def test_csv_rows_are_the_rows_the_csv_module_reads(tmp_path_factory, rows, end, junk) -> None:
    """The reader splits unquoted lines itself: the csv module, quoting every cell, agrees."""
    import csv
    import io

    header = HEADER.rstrip("\n").split(",")
    text = _rows_text([header, *rows], end, csv.QUOTE_MINIMAL) + end.join(junk)
    folder = tmp_path_factory.mktemp("rows")
    plain = folder / "plain.csv"
    plain.write_bytes(text.encode())
    try:
        parsed = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:  # the csv module refuses the text: so does the reader
        with pytest.raises(LoadError):
            list(read_items_csv(plain))
        return
    quoted = folder / "quoted.csv"  # every line quoted: all of it read by the csv module
    quoted.write_bytes(_rows_text(parsed, end, csv.QUOTE_ALL).encode())
    if text.count('"') % 2:  # a quote left open to the end: quoting adds a line
        assert _outcome(plain, lines=False) == _outcome(quoted, lines=False)
    else:
        assert _outcome(plain) == _outcome(quoted)
    event("accounts" if isinstance(_outcome(plain), list) else "LoadError")


@fuzz
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [*_FIELDS, "", "-5", "NaN", "Infinity", "2026-02-30", "CREDIT_NOTE", "1e9"]
                ),
                st.text(max_size=6),
            ),
            min_size=0,
            max_size=10,
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_fuzzed_csv_raises_nothing_but_load_errors(tmp_path_factory, rows, with_header) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if with_header:
        buffer.write(HEADER)
    writer.writerows(rows)
    path = write(tmp_path_factory.mktemp("fuzz"), "items.csv", buffer.getvalue())
    with contextlib.suppress(LoadError):
        list(read_items_csv(path))


@fuzz
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8)
        | st.sampled_from(["2026-01-05", "INVOICE", "CALL", "LEADER_DUE", "100.00", "C-1", "F-1"]),
        lambda children: st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(KEYS),
            children,
            max_size=6,
        ),
        max_leaves=25,
    ),
    st.sampled_from(["policy.json", "portfolio.json"]),
)  # fmt: skip
def test_fuzzed_documents_raise_nothing_but_load_errors(tmp_path_factory, document, name) -> None:
    if isinstance(document, dict):
        document = {"format": 1, **document}
    path = write(tmp_path_factory.mktemp("fuzz"), name, json.dumps(document))
    with contextlib.suppress(LoadError):
        if name == "policy.json":
            load_policy(path)
        else:
            load_portfolio(path)


def test_items_are_validated_like_the_constructor_would(tmp_path: Path) -> None:
    bad = ROW.replace("INVOICE", "CREDIT_NOTE")
    with pytest.raises(ValidationError) as direct:
        Item(id="F-1", kind="CREDIT_NOTE", issue_date=dt.date(2026, 1, 5), due_date=dt.date(2026, 2, 4),
             amount="100.00", open_amount="100.00")  # fmt: skip
    with pytest.raises(LoadError) as loaded:
        list(read_items_csv(write(tmp_path, "items.csv", HEADER + bad)))
    assert str(direct.value) in str(loaded.value)


def test_the_example_policy_loads() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "policy.toml"
    assert load_policy(example) == policy()
