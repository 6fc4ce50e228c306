"""collectlib.io.files: policy, portfolio and CSV files; every load error names file and place."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from collectlib import Account, Item, LoadError, RateTimeline, ValidationError
from collectlib.demo import AS_OF, policy, portfolio
from collectlib.io.files import (
    MAX_DEPTH,
    MAX_LINE,
    POLICY_MAX_BYTES,
    Portfolio,
    load_policy,
    load_portfolio,
    read_items_csv,
    safe_cell,
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


def test_policy_thresholds_per_currency_read_and_write(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "policy.toml",
        """
format = 1
minimum_amount = { EUR = "50.00", JPY = "5000", KWD = "15.000" }
ignore_below = "5"
""",
    )
    rules = load_policy(path)
    assert rules.minimum_amount == {"EUR": Decimal("50.00"), "JPY": 5000, "KWD": Decimal("15.000")}
    assert rules.ignore_below == 5
    save_policy(rules, tmp_path / "saved.json")
    saved = json.loads((tmp_path / "saved.json").read_text())
    assert saved["minimum_amount"] == {"EUR": "50.00", "JPY": "5000", "KWD": "15.000"}
    assert saved["ignore_below"] == "5"
    assert load_policy(tmp_path / "saved.json") == rules


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('ignore_below = { XYZ = "5" }', r"policy\.ignore_below: 'XYZ' is not an ISO 4217 code"),
        ('ignore_below = { EUR = "five" }', r"policy\.ignore_below: EUR: not an amount: 'five'"),
        ('minimum_amount = { JPY = "-1" }', r"minimum_amount: must be at least 0 \(JPY\), not -1"),
        ("minimum_amount = [50]", r"policy\.minimum_amount: not an amount: \[50\]"),
    ],
)
def test_a_bad_threshold_names_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "policy.toml", f"format = 1\n{text}\n")
    with pytest.raises(LoadError, match=message):
        load_policy(path)


def test_a_policy_file_holds_a_rate_timeline(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "policy.toml",
        """
format = 1
[penalties]
annual_rate = [{from = 2025-01-01, rate = "0.1115"}, {from = 2025-07-01, rate = 0.1015}]
recovery_cost = "40.00"
""",
    )
    rules = load_policy(path)
    assert rules.penalties is not None
    assert rules.penalties.annual_rate == RateTimeline(
        periods=[(dt.date(2025, 1, 1), "0.1115"), (dt.date(2025, 7, 1), "0.1015")]
    )
    saved = tmp_path / "saved.json"
    save_policy(rules, saved)
    assert '"from": "2025-01-01"' in saved.read_text()
    assert load_policy(saved) == rules
    bad = write(
        tmp_path,
        "bad.toml",
        'format = 1\n[penalties]\nannual_rate = [{from = 2025-07-01, rate = "0.1"}, '
        '{from = 2025-01-01, rate = "0.1"}]\n',
    )
    with pytest.raises(LoadError, match=r"bad.toml: policy.penalties.annual_rate: rate timeline: "
                       r"periods\[1\]: periods go back in time"):  # fmt: skip
        load_policy(bad)


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


# Hardening: what a file may hold is capped; every cap is a LoadError naming the file.

_LONG = "9" * 5000  # more digits than int() reads (4,300)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.json", '{"format": 1,\n "minimum_amount": ' + _LONG + "}", r"p.json:2: not valid JSON: a number has too many digits"),
        ("p.toml", "format = 1\nminimum_amount = " + _LONG + "\n", r"p.toml:2: not valid TOML: a number has too many digits"),
        ("p.json", "[" * 100_000, rf"p.json: not valid JSON: nested more than {MAX_DEPTH} levels deep"),
        ("p.json", "[" * 500 + "]" * 500, rf"p.json: not valid JSON: nested more than {MAX_DEPTH} levels deep"),
        ("p.toml", "format = 1\nx = " + "{a=" * 5000 + "1" + "}" * 5000 + "\n", "p.toml: not valid TOML: nested more"),
        ("p.toml", "format = 1\n[" + ".".join(["a"] * 5000) + "]\n", "p.toml: not valid TOML: nested more"),
        ("p.toml", "format = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n", "p.toml: not valid TOML: nested more"),
        ("p.json", '{"format": 1,\n\n "x": "\x00"}', r"p.json:3: a NUL byte: not a text file"),
        ("p.json", '{"format": 1, "statuses": [{"code": "d\\u001b[2J"}]}', r"code must not contain control characters or surrogates, not 'd\\x1b\[2J'"),
        ("p.json", '{"format": 1, "statuses": [{"code": "d", "label": "\\ud800"}]}', r"label must not contain lone surrogates, not '\\ud800'"),
    ],
)  # fmt: skip
def test_hostile_policy_files_are_load_errors(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(LoadError, match=message):
        load_policy(write(tmp_path, name, text))


def test_nesting_up_to_the_cap_is_read(tmp_path: Path) -> None:
    deepest = '{"format": 1, "x": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    with pytest.raises(LoadError, match=r"extra fields found \(x\)"):  # read, then refused
        load_policy(write(tmp_path, "p.json", deepest))
    deeper = '{"format": 1, "x": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"
    with pytest.raises(LoadError, match="nested more than"):
        load_policy(write(tmp_path, "p.json", deeper))


def test_a_policy_file_has_at_most_its_cap(tmp_path: Path) -> None:
    padded = '{"format": 1}' + " " * POLICY_MAX_BYTES
    path = write(tmp_path, "policy.json", padded)
    with pytest.raises(LoadError, match=r"policy\.json: larger than 4,194,304 bytes"):
        load_policy(path)
    assert load_policy(path, max_bytes=len(padded)) == load_policy(
        write(tmp_path, "p.json", '{"format": 1}')
    )


def test_a_portfolio_has_at_most_max_bytes_which_raises(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.json"
    save_portfolio(portfolio(), path)
    size = path.stat().st_size
    with pytest.raises(
        LoadError, match=rf"portfolio\.json: larger than {size - 1:,} bytes.*max_bytes=.*--max-size"
    ):
        load_portfolio(path, max_bytes=size - 1)
    assert load_portfolio(path, max_bytes=size) == portfolio()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("name", ["zero.toml", "zero.json", "zero.csv"])
def test_dev_zero_is_a_load_error(tmp_path: Path, name: str) -> None:
    """An endless file without a line break: the loaders stop at a cap, not at MemoryError."""
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    load = load_policy if name.endswith(".toml") else load_portfolio
    with pytest.raises(
        LoadError,
        match=rf"{name}:1: (a NUL byte: not a text file|longer than {MAX_LINE:,} characters)",
    ):
        load(link)


def test_a_csv_line_has_at_most_max_line_characters(tmp_path: Path) -> None:
    long_name = "x" * MAX_LINE
    path = write(tmp_path, "items.csv", HEADER + ROW.replace("Durand", long_name))
    with pytest.raises(LoadError, match=rf"items\.csv:2: longer than {MAX_LINE:,} characters"):
        list(read_items_csv(path))
    quoted = write(tmp_path, "q.csv", HEADER + ROW.replace("Durand", f'"{long_name}"'))
    with pytest.raises(LoadError, match=r"q\.csv:2: longer than"):
        list(read_items_csv(quoted))
    header = write(tmp_path, "h.csv", HEADER.replace("account_name", long_name) + ROW)
    with pytest.raises(LoadError, match=r"h\.csv:1: longer than"):
        list(read_items_csv(header))
    fits = "x" * (MAX_LINE - len(ROW) - 100)  # under the cap, over the csv module's field limit
    with pytest.raises(LoadError, match=r"fits\.csv:2: field larger than field limit"):
        list(read_items_csv(write(tmp_path, "fits.csv", HEADER + ROW.replace("Durand", fits))))


def test_an_account_in_two_currencies_names_the_line(tmp_path: Path) -> None:
    second = ROW.replace("F-1", "F-2").replace("100.00", "100000").replace("EUR", "JPY")
    path = write(tmp_path, "items.csv", HEADER + ROW + second)
    with pytest.raises(
        LoadError,
        match=r"items\.csv:3: account 'C-1' in 'JPY', its first rows in 'EUR' \(an account has one currency\)",
    ):
        list(read_items_csv(path))
    other = ROW.replace("C-1", "C-2").replace("F-1", "F-2").replace("EUR", "JPY")
    assert [
        a.currency for a in read_items_csv(write(tmp_path, "ok.csv", HEADER + ROW + other))
    ] == ["EUR", "JPY"]


_CONTROL = st.characters(categories=("Cc", "Cs"))
_SAFE = st.characters(codec="utf-8", exclude_categories=("Cc",))


@given(st.text(_SAFE, max_size=3), _CONTROL, st.text(_SAFE, max_size=3))
def test_an_id_with_a_control_character_or_a_surrogate_is_refused(before, bad, after) -> None:
    item_id = f"F{before}{bad}{after}1"
    with pytest.raises(
        ValidationError, match=r"^item: id must not contain control characters or surrogates, not "
    ):
        Item(id=item_id, kind="INVOICE", issue_date=dt.date(2026, 1, 5), due_date=dt.date(2026, 2, 4), amount="1", open_amount="1")  # fmt: skip
    with pytest.raises(ValidationError, match=r"account .*: collector must not contain control"):
        Account(id="C-1", collector=item_id)


@given(st.text(_SAFE, min_size=1).filter(lambda text: text == text.strip()))
def test_an_id_without_control_characters_is_accepted(item_id) -> None:
    item = Item(id=item_id, kind="INVOICE", issue_date=dt.date(2026, 1, 5), due_date=dt.date(2026, 2, 4), amount="1", open_amount="1")  # fmt: skip
    assert item.id == item_id


@given(st.text(_SAFE | st.sampled_from("\n\t\r\x1b")), st.characters(categories=("Cs",)))
def test_text_may_hold_line_breaks_but_no_lone_surrogate(text, surrogate) -> None:
    assert Account(id="C-1", name=text).name == text
    with pytest.raises(
        ValidationError, match="account 'C-1': name must not contain lone surrogates"
    ):
        Account(id="C-1", name=text + surrogate)
    for field in ("reference", "comment"):  # an item's free text too, on its quick path
        item = Item(id="F-1", kind="INVOICE", issue_date=dt.date(2026, 1, 5), due_date=dt.date(2026, 2, 4), amount="1", open_amount="1", **{field: text})  # fmt: skip
        assert getattr(item, field) == text
        with pytest.raises(
            ValidationError, match=f"item 'F-1': {field} must not contain lone surrogates"
        ):
            Item(id="F-1", kind="INVOICE", issue_date=dt.date(2026, 1, 5), due_date=dt.date(2026, 2, 4), amount="1", open_amount="1", **{field: surrogate + text})  # fmt: skip


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@given(st.sampled_from(_FORMULA) | st.just(""), st.text(max_size=8))
def test_a_csv_cell_never_starts_a_formula(start, text) -> None:
    cell = safe_cell(start + text)
    assert cell in (start + text, "'" + start + text)  # unchanged, or a quote in front
    if cell.startswith(_FORMULA):  # only a plain number, which stays a number
        assert Decimal(cell).is_finite()
        assert re.fullmatch(r"[+-]?[0-9.eE+-]+", cell)


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_a_number_cell_stays_a_number(number) -> None:
    assert safe_cell(str(number)) == str(number)
    assert safe_cell(f"{number:f}") == f"{number:f}"


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
    with pytest.raises(ValidationError, match=r"^read_items_csv: currency must be an ISO 4217"):
        next(read_items_csv(write(tmp_path, "y.csv", text), columns=columns, currency="XYZ"))


def test_an_unknown_currency_in_the_currency_column_names_the_line(tmp_path: Path) -> None:
    text = HEADER + ROW.replace(",EUR", ",XYZ")
    with pytest.raises(
        LoadError,
        match=r"items.csv:2: account 'C-1': currency must be an ISO 4217 code like 'EUR', not 'XYZ'",
    ):
        list(read_items_csv(write(tmp_path, "items.csv", text)))


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


# The families of hostile input the fuzzers mix in (issue 21): numbers of more digits than
# int() reads, nesting deeper than the cap or than Python's stack, control characters and
# lone surrogates in ids and names, NUL bytes, bytes that are not UTF-8, an account in two
# currencies, formula-like text.
_HOSTILE_TEXT = [
    "\x1b]0;pwned\x07\x1b[2J",
    "C-\ud800",
    "\ud800",
    "F\x00",
    "a\nb",
    "\u202e",
    "=HYPERLINK(1)",
    "-30.00",
]
_SPLICED = {  # a JSON string the fuzzer draws, and the text put in its place
    '"<LONG>"': "9" * 5000,
    '"<-LONG>"': "-" + "1" * 4400,
    '"<DEEP>"': "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    '"<DEEPER>"': "{" + '"a": {' * 20_000,
    '"<NUL>"': '"\x00"',
    '"<BYTE>"': '"\udcff"',  # written as the byte 0xff: not UTF-8
}


def _assert_names_the_file(path: Path, load: Any) -> str:
    """Run ``load(path)``: it returns, or raises a LoadError whose message starts with the file."""
    try:
        load(path)
    except LoadError as error:
        message = str(error)
    else:
        return "loaded"
    assert message.startswith(str(path)), message
    return "LoadError"


_ANY_CURRENCY = st.tuples(_GOOD_ROWS, st.sampled_from(["EUR", "EUR", "JPY"])).map(
    lambda pair: [*pair[0][:-1], pair[1]]
)


@fuzz
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [*_FIELDS, "", "-5", "NaN", "Infinity", "2026-02-30", "CREDIT_NOTE", "1e9",
                     "USD", "JPY", *_HOSTILE_TEXT, "9" * 5000]
                ),
                st.text(max_size=6),
            ),
            min_size=0,
            max_size=10,
        ),
        max_size=6,
    )
    | st.lists(_ANY_CURRENCY, max_size=6, unique_by=lambda row: row[2]).map(sorted),
    st.booleans(),
)  # fmt: skip
def test_fuzzed_csv_raises_nothing_but_load_errors(tmp_path_factory, rows, with_header) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if with_header:
        buffer.write(HEADER)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("fuzz") / "items.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))  # \ud800: not UTF-8
    loaded: list[Account] = []
    event(_assert_names_the_file(path, lambda p: loaded.extend(read_items_csv(p))))
    currencies: dict[str, set[str]] = {}
    for row in rows if with_header else ():
        if row:
            currencies.setdefault(row[0], set()).add(row[-1])
    for account in loaded:  # an account loaded in the currency of each of its rows
        assert currencies[account.id] == {account.currency}


@fuzz
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8)
        | st.sampled_from(["2026-01-05", "INVOICE", "CALL", "LEADER_DUE", "100.00", "C-1", "F-1",
                           *_HOSTILE_TEXT, *(key.strip('"') for key in _SPLICED)]),
        lambda children: st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(KEYS),
            children,
            max_size=6,
        ),
        max_leaves=25,
    ),
    st.sampled_from(["policy.json", "portfolio.json"]),
    st.none() | st.integers(0, 400),
    st.booleans(),
)  # fmt: skip
def test_fuzzed_documents_raise_nothing_but_load_errors(
    tmp_path_factory, document, name, cut, saved
) -> None:
    if isinstance(document, dict):
        document = {"format": 1, **document}
    text = json.dumps(document)  # a lone surrogate is written "\ud800", as JSON may
    if saved and isinstance(document, dict) and isinstance(document.get("accounts"), list):
        # laid out as save_portfolio writes: its head, then an account a line
        head = json.dumps({key: value for key, value in document.items() if key != "accounts"})
        lines = ",\n".join(map(json.dumps, document["accounts"]))
        text = f'{head[:-1]}, "accounts": [\n{lines}\n]}}\n'
    for drawn, spliced in _SPLICED.items():
        text = text.replace(drawn, spliced)
    if cut is not None:  # a file cut short
        text = text[:cut]
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    load = load_policy if name == "policy.json" else load_portfolio
    event(_assert_names_the_file(path, load))


_TOML_LINES = [
    "format = 1", 'name = "s"', "[[scenarios]]", "[[statuses]]", 'code = "d"',
    'code = "d\\u001b"', 'label = "\\uD800"', 'category = "DISPUTE"', "minimum_amount = 5.5",
    "minimum_amount = " + "9" * 5000, "minimum_amount = -" + "1_" * 3000 + "1",
    "x = " + "{a=" * 3000 + "1" + "}" * 3000, "x = " + "[" * 3000 + "]" * 3000,
    "[" + ".".join(["a"] * (MAX_DEPTH + 1)) + "]", 'default_scenario = "s"', "[sending_window]",
    "weekdays = [0, 1]", "slots = [[09:00:00, 12:00:00]]", "x = \x00", "= ="
]  # fmt: skip


@fuzz
@given(st.lists(st.sampled_from(_TOML_LINES), max_size=8))
def test_fuzzed_toml_policies_raise_nothing_but_load_errors(tmp_path_factory, lines) -> None:
    path = write(tmp_path_factory.mktemp("fuzz"), "policy.toml", "\n".join(lines) + "\n")
    event(_assert_names_the_file(path, load_policy))


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


# --- Every problem at once (errors as data) ---------------------------------------------

KINDS = "(one of INVOICE, CREDIT_NOTE, PAYMENT, OTHER)"
BAD_CELLS = {
    "issue_date": ("2026-01-05", "2026-13-05", "issue_date: not a date: '2026-13-05'"),
    "amount": (",100.00,100.00", ",abc,100.00", "amount: not an amount: 'abc'"),
    "kind": ("INVOICE", "BILL", f"item 'F-{{n}}': kind: unknown ItemKind 'BILL' {KINDS}"),
    "width": (",EUR", "", "8 fields, the header has 9"),
}


def _row(account: int, item: int, bad: str | None = None) -> str:
    row = ROW.replace("C-1", f"C-{account}").replace("F-1", f"F-{item}")
    if bad is None:
        return row
    good, wrong, _ = BAD_CELLS[bad]
    return row.replace(good, wrong, 1)


def _what(bad: str, item: int) -> str:
    return BAD_CELLS[bad][2].format(n=item)


def test_a_csv_with_three_bad_rows_reports_the_three_with_their_lines(tmp_path: Path) -> None:
    rows = [
        _row(1, 1),
        _row(1, 2, "issue_date"),
        _row(2, 3, "amount"),
        _row(2, 4),
        _row(3, 5, "kind"),
    ]
    path = write(tmp_path, "items.csv", HEADER + "".join(rows))
    with pytest.raises(LoadError) as raised:
        list(read_items_csv(path))
    assert [(p.file, p.line, p.what) for p in raised.value.problems] == [
        (str(path), 3, "issue_date: not a date: '2026-13-05'"),
        (str(path), 4, "amount: not an amount: 'abc'"),
        (str(path), 6, f"item 'F-5': kind: unknown ItemKind 'BILL' {KINDS}"),
    ]
    assert str(raised.value) == (
        f"{path}:3: issue_date: not a date: '2026-13-05'; {path}:4: amount: not an amount: "
        f"'abc'; {path}:6: item 'F-5': kind: unknown ItemKind 'BILL' {KINDS}"
    )


def test_a_csv_yields_the_accounts_before_its_first_problem_then_raises_at_the_end(
    tmp_path: Path,
) -> None:
    rows = [_row(1, 1), _row(2, 2), _row(2, 3, "width"), _row(3, 4), _row(4, 5, "kind")]
    reading = read_items_csv(write(tmp_path, "items.csv", HEADER + "".join(rows)))
    assert next(reading).id == "C-1"  # the account with the bad row and those after: none
    with pytest.raises(LoadError) as raised:
        next(reading)
    assert [p.line for p in raised.value.problems] == [4, 6]


def test_structural_csv_problems_are_listed_with_the_bad_values(tmp_path: Path) -> None:
    rows = [
        _row(1, 1),
        ROW.replace("F-1", "F-2").replace("EUR", "JPY"),
        _row(2, 3, "amount"),
        _row(1, 4),
        _row(1, 4),
    ]
    with pytest.raises(LoadError) as raised:
        list(read_items_csv(write(tmp_path, "items.csv", HEADER + "".join(rows))))
    assert [(p.line, p.what) for p in raised.value.problems] == [
        (3, "account 'C-1' in 'JPY', its first rows in 'EUR' (an account has one currency)"),
        (4, "amount: not an amount: 'abc'"),
        (5, "account 'C-1' appears again after other accounts (the rows of an account must be "
            "together)"),
        (6, "account 'C-1': two items have the id 'F-4'"),
    ]  # fmt: skip


def test_a_csv_lists_at_most_max_problems_and_counts_the_others(tmp_path: Path) -> None:
    rows = [_row(n, n, "kind") for n in range(1, 251)]
    with pytest.raises(LoadError) as raised:
        list(read_items_csv(write(tmp_path, "items.csv", HEADER + "".join(rows))))
    assert [p.line for p in raised.value.problems] == list(range(2, 102))
    assert raised.value.more == 150
    assert str(raised.value).endswith("; ... and 150 more")
    assert str(raised.value).count("unknown ItemKind") == 100


def test_a_csv_that_cannot_be_read_on_raises_with_the_problems_before(tmp_path: Path) -> None:
    huge = _row(3, 3).replace("Durand", '"' + "x" * 200_000 + '"')  # past the csv module's limit
    rows = _row(1, 1, "amount") + _row(2, 2) + huge + _row(4, 4, "kind")
    with pytest.raises(LoadError) as raised:
        list(read_items_csv(write(tmp_path, "items.csv", HEADER + rows)))
    assert [(p.line, p.what) for p in raised.value.problems] == [
        (2, "amount: not an amount: 'abc'"),
        (4, "field larger than field limit (131072)"),
    ]
    path = tmp_path / "latin.csv"
    good = "".join(_row(2, n) for n in range(2, 1000))  # past the first block decoded
    path.write_bytes((HEADER + _row(1, 1, "kind") + good).encode() + "Müller\n".encode("latin-1"))
    with pytest.raises(LoadError) as raised:
        list(read_items_csv(path))
    first, last = raised.value.problems
    assert (first.line, first.what) == (2, f"item 'F-1': kind: unknown ItemKind 'BILL' {KINDS}")
    # the byte that is not UTF-8, where it is, and the encoding that reads it
    offset = len((HEADER + _row(1, 1, "kind") + good).encode()) + 1
    assert (last.line, last.what) == (
        1001,
        f"not UTF-8 text: the byte 0xfc at byte {offset} "
        "(with --encoding latin-1 / encoding='latin-1' it reads as 'ü')",
    )


@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.sampled_from([None, None, *BAD_CELLS])),
        min_size=1,
        max_size=30,
    )
)
def test_every_bad_row_of_a_csv_is_reported_at_its_line(
    tmp_path_factory: pytest.TempPathFactory, plan: list[tuple[int, str | None]]
) -> None:
    # accounts of 1 to 4 rows, one after the other; some rows bad
    rows, expected, item = [], [], 0
    for account, (size, bad) in enumerate(plan, start=1):
        for index in range(size):
            item += 1
            wrong = bad if index == size - 1 else None
            rows.append(_row(account, item, wrong))
            if wrong is not None:
                expected.append((len(rows) + 1, _what(wrong, item)))
    path = write(tmp_path_factory.mktemp("csv"), "items.csv", HEADER + "".join(rows))
    read: list[Account] = []
    if not expected:
        read.extend(read_items_csv(path))
        assert sum(len(a.items) for a in read) == item
        return
    with pytest.raises(LoadError) as raised:
        read.extend(read_items_csv(path))  # the accounts yielded before the error
    assert [(p.line, p.what) for p in raised.value.problems] == expected
    # the accounts before the first bad row's, in order; the last of them only if its end
    # was seen before the bad row (a row of the wrong width belongs to no account)
    line, what = expected[0]
    first_bad = _account_at(rows, line)
    before = [f"C-{n}" for n in range(1, first_bad)]
    unseen_end = what == _what("width", 0) and (
        line == 2 or _account_at(rows, line - 1) < first_bad
    )
    assert [a.id for a in read] == (before[:-1] if unseen_end else before)


def _account_at(rows: list[str], line: int) -> int:
    """The number of the account of the row at ``line`` (the header is line 1)."""
    return int(rows[line - 2].split(",")[0][2:])


def _six_mistakes_policy() -> str:
    return """
format = 1
default_scenario = "standrd"
minimum_amount = "fifty"
dispute_resolved_status = "setled"
quick_promise = { status = "promis" }

[[statuses]]
code = "promise"
category = "PROMISE"

[[statuses]]
code = "settled"
category = "DISPUTE_RESOLVED"

[[statuses]]
code = "price"
category = "DISPUT"

[[scenarios]]
name = "standard"
[[scenarios.steps]]
name = "call"
channel = "CALL"
trigger = { kind = "LEADER_DUE", days = "15" }
"""


def test_a_policy_with_six_mistakes_reports_six(tmp_path: Path) -> None:
    path = write(tmp_path, "policy.toml", _six_mistakes_policy())
    with pytest.raises(LoadError) as raised:
        load_policy(path)
    assert [(p.file, p.path, p.what) for p in raised.value.problems] == [
        (str(path), "policy.statuses[2].category", "unknown StatusCategory 'DISPUT' (one of "
         "ONGOING, PROMISE, DISPUTE, DISPUTE_RESOLVED, LITIGATION, PAYMENT_PLAN)"),
        (str(path), "policy.scenarios[0].steps[0].trigger.days", "not a whole number: '15'"),
        (str(path), "policy.minimum_amount", "not an amount: 'fifty'"),
        (str(path), "policy", "default_scenario: no scenario 'standrd'"),
        (str(path), "policy", "quick_promise.status: no status 'promis' (did you mean "
         "'promise'?)"),
        (str(path), "policy", "dispute_resolved_status: no status 'setled' (did you mean "
         "'settled'?)"),
    ]  # fmt: skip
    assert str(raised.value).count(f"{path}: ") == 6


def test_a_policy_s_wrong_references_are_each_a_problem_once(tmp_path: Path) -> None:
    text = _six_mistakes_policy().replace('"fifty"', '"50"').replace('"DISPUT"', '"DISPUTE"')
    text = text.replace('days = "15"', "days = 15").replace(
        'code = "price"', 'code = "price"\naction = { name = "check", channel = "CALL" }'
    )
    text = text.replace(
        'channel = "CALL"\ntrigger', 'channel = "EMAIL"\ntemplate = "#nme"\ntrigger'
    )
    path = write(tmp_path, "policy.toml", text)
    with pytest.raises(LoadError) as raised:
        load_policy(path)  # every value is read: the policy is built and refuses its references
    assert [(p.path, p.what) for p in raised.value.problems] == [
        ("policy", "default_scenario: no scenario 'standrd'"),
        ("policy", "quick_promise.status: no status 'promis' (did you mean 'promise'?)"),
        ("policy", "dispute_resolved_status: no status 'setled' (did you mean 'settled'?)"),
        ("policy", "scenario 'standard' step 'call': unknown hashtag #nme at line 1, column 1"),
    ]  # fmt: skip


def test_a_reference_to_an_unreadable_status_or_scenario_is_not_reported_again(
    tmp_path: Path,
) -> None:
    text = """
format = 1
default_scenario = "standard"
scenario_by_client_type = { public = "standard", retail = "gentle" }
dispute_resolved_status = "settled"
quick_promise = { status = "promise" }
statuses = [
  { code = "promise", category = "PROMIS" },
  { code = "settled", category = "DISPUTE_RESOLVED", label = 3 },
  7,
]
scenarios = [{ name = "standard", restart = "NEVER" }, { name = 5 }]
"""
    path = write(tmp_path, "policy.toml", text)
    with pytest.raises(LoadError) as raised:
        load_policy(path)
    assert [p.path for p in raised.value.problems] == [
        "policy.statuses[0].category",
        "policy.statuses[1].label",
        "policy.statuses[2]",
        "policy.scenarios[0].restart",
        "policy.scenarios[1].name",
        "policy",
    ]
    assert (
        raised.value.problems[-1].what == "scenario_by_client_type['retail']: no scenario 'gentle'"
    )


def test_a_policy_with_a_duplicate_code_and_a_bad_value_reports_both(tmp_path: Path) -> None:
    text = 'format = 1\nminimum_amount = "x"\nstatuses = [{ code = "a" }, { code = "a" }]\n'
    with pytest.raises(LoadError) as raised:
        load_policy(write(tmp_path, "policy.toml", text))
    assert [(p.path, p.what) for p in raised.value.problems] == [
        ("policy.minimum_amount", "not an amount: 'x'"),
        ("policy", "two statuses have the code 'a'"),
    ]


def test_a_json_portfolio_reports_every_problem(tmp_path: Path) -> None:
    good = {"id": "C-0", "items": []}
    bad = {"id": "C-1", "currency": "euro", "items": [{"id": "F-1"}]}
    text = json.dumps({"format": 1, "extra": 1, "as_of": "soon", "accounts": [good, bad, 3]})
    path = write(tmp_path, "p.json", text)
    with pytest.raises(LoadError) as raised:
        load_portfolio(path)
    paths = [p.path for p in raised.value.problems]
    assert paths[0] is None
    assert raised.value.problems[0].what == "unknown keys ['extra']"
    assert {"accounts[1].items[0].kind", "accounts[2]", "as_of"} <= set(paths)
    assert all(p.file == str(path) for p in raised.value.problems)
    twice = json.dumps(
        {"format": 1, "accounts": [good, good | {"id": "C-1"}, good, good | {"id": "C-1"}]}
    )
    with pytest.raises(LoadError) as raised:
        load_portfolio(write(tmp_path, "q.json", twice))
    assert [p.what for p in raised.value.problems] == [
        "account 'C-0' appears twice",
        "account 'C-1' appears twice",
    ]


def test_a_json_portfolio_s_as_of_may_be_null(tmp_path: Path) -> None:
    text = json.dumps({"format": 1, "as_of": None, "accounts": []})
    assert load_portfolio(write(tmp_path, "p.json", text)) == Portfolio(accounts=())
