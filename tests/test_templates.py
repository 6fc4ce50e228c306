"""Rendering templates and the values of the hashtags (SPEC section 6)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    HASHTAGS,
    Account,
    ActionTemplate,
    Channel,
    ConfigurationError,
    Item,
    Money,
    PenaltyRule,
    Policy,
    SpecificAction,
    Statement,
    StatementRow,
    Status,
    TemplateError,
    UnknownItemError,
    UnknownStatusError,
    ValidationError,
    check_template,
    format_amount,
    format_date,
    render,
    template_context,
)
from collectlib.hashtags import STATEMENT_TOTALS
from collectlib.money import CURRENCIES, minor_unit_digits, quantize
from collectlib.strategies import accounts, dates, penalty_rules, policies

ON = dt.date(2024, 5, 15)
LITIGE = Status(
    code="litige",
    label="price dispute",
    category="DISPUTE",
    action=ActionTemplate(name="Suivi litige", channel="CALL"),
)
PROMISE = Status(code="promise", label="promise to pay", category="PROMISE")
POLICY = Policy(
    statuses=[LITIGE, PROMISE],
    penalties=PenaltyRule(annual_rate="0.145", recovery_cost=40),
    ignore_below=5,
)


def item(item_id: str, open_amount: str, due: dt.date, **more: object) -> Item:
    fields: dict[str, object] = {"amount": open_amount, "kind": "INVOICE"} | more
    return Item(
        id=item_id,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        open_amount=open_amount,
        **fields,  # type: ignore[arg-type]
    )


DUPONT = Account(
    id="C-DUPONT",
    name="Dupont <SARL> & Fils",
    collector="alice",
    penalties_enabled=True,
    items=[
        item("F-1", "12000.00", dt.date(2024, 3, 31), comment="called 2024-05-02"),
        item(
            "F-2",
            "1500.00",
            dt.date(2024, 5, 5),
            amount="2000.00",
            status="promise",
            comment="pays Friday",
            promise_date=dt.date(2024, 5, 17),
        ),
        item("F-3", "3000.00", dt.date(2024, 4, 30), status="litige", comment="wrong price"),
        item("F-4", "800.00", dt.date(2024, 6, 14)),
        item("F-5", "3.00", dt.date(2024, 1, 31)),  # below ignore_below: not collectable
        item("F-6", "0", dt.date(2024, 1, 31), amount="100.00"),  # paid
        item("AV-1", "-200.00", dt.date(2024, 4, 1), kind="CREDIT_NOTE", amount="-200.00"),
    ],
    actions=[
        SpecificAction(
            id="A1",
            name="Suivi litige",
            channel=Channel.CALL,
            item_ids={"F-3"},
            due_on=dt.date(2024, 5, 20),
            created_on=dt.date(2024, 5, 6),
            origin_status="litige",
        )
    ],
)


def context(
    *selected: str, account: Account = DUPONT, policy: Policy = POLICY
) -> dict[str, object]:
    return dict(template_context(account, selected, policy, ON))


# --- render: the token rule -----------------------------------------------------------------


def test_hashtags_are_replaced_and_other_hashes_left_alone() -> None:
    result = render(
        "Invoice #12: ##1 #today, #customer_name.", {"today": ON, "customer_name": "Dupont"}
    )
    assert result == "Invoice #12: #1 2024-05-15, Dupont."


def test_an_unknown_hashtag_is_a_template_error_naming_it_and_its_position() -> None:
    with pytest.raises(TemplateError) as caught:
        render("Hello\n  #customer_nam", {"customer_name": "x"})
    assert str(caught.value) == (
        "template: unknown hashtag #customer_nam at line 2, column 3 (did you mean #customer_name?)"
    )


def test_a_known_hashtag_missing_from_the_context_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="no value for #total_due at line 1, column 5"):
        render("Pay #total_due", {"today": ON})


def test_a_value_of_another_type_is_a_template_error_naming_the_hashtag() -> None:
    with pytest.raises(TemplateError, match="#total_due: cannot insert a Decimal"):
        render("#total_due", {"total_due": Decimal(5)})  # type: ignore[dict-item]


def test_several_values_are_joined_and_none_shows_nothing() -> None:
    values = {"status": ("promise", "dispute"), "promise_date": (ON, ON), "collector": None}
    assert render("#status|#promise_date|#collector|", values) == (
        "promise; dispute|2024-05-15; 2024-05-15||"
    )


def test_an_empty_template_renders_as_nothing() -> None:
    assert render("", {}) == ""


def test_a_template_must_be_text() -> None:
    with pytest.raises(TemplateError, match="must be a string"):
        render(b"#today", {"today": ON})  # type: ignore[arg-type]


# --- the values of the hashtags ------------------------------------------------------------


def test_the_context_has_a_value_for_every_known_hashtag() -> None:
    assert set(context()) == set(HASHTAGS)


def test_the_values_of_the_hashtags_for_a_story_account() -> None:
    values = context("F-1", "F-2", "F-6")
    eur = lambda amount: Money(amount=Decimal(amount), currency="EUR")  # noqa: E731
    # Collectable: F-1, F-2, F-4, AV-1 (F-3 is in action A1, F-5 below ignore_below).
    assert values["total_due"] == eur("14100.00")
    # Overdue collectable debits: F-1 (45 days) and F-2 (10 days).
    assert values["overdue_amount"] == eur("13500.00")
    # Penalties: F-1 214.52 + 40.00, F-2 5.96 + 40.00 (see test_penalties).
    assert values["items_amount_late_penalties"] == eur("300.48")
    assert values["items_amount_overdue_include_late_penalties"] == eur("13800.48")
    # F-6 is closed: left out of the selection.
    assert values["items_amount_selected"] == eur("13500.00")
    assert values["items_amount_selected_late_penalties"] == eur("300.48")
    assert values["items_amount_selected_include_late_penalties"] == eur("13800.48")
    assert values["customer_name"] == "Dupont <SARL> & Fils"
    assert values["account_id"] == "C-DUPONT"
    assert values["collector"] == "alice"
    assert values["status"] == ("promise to pay",)
    assert values["comment"] == ("called 2024-05-02", "pays Friday")
    assert values["promise_date"] == (dt.date(2024, 5, 17),)
    assert values["today"] == ON


def ids(values: dict[str, object], name: str) -> list[str]:
    statement = values[name]
    assert isinstance(statement, Statement)
    return [row.item_id for row in statement.rows]


def test_the_statements_list_the_collectable_items_by_due_date() -> None:
    values = context("F-2", "F-1")
    # F-3 is in action A1 (disputed), F-5 below ignore_below, F-6 closed.
    assert ids(values, "items_list") == ["F-1", "AV-1", "F-2", "F-4"]
    assert ids(values, "items_list_overdue") == ["F-1", "F-2"]
    assert ids(values, "items_list_overdue_exclude_late_penalties") == ["F-1", "F-2"]
    assert ids(values, "items_list_not_due") == ["F-4"]
    assert ids(values, "items_list_selected") == ["F-1", "F-2"]
    assert ids(values, "items_list_excluded") == ["F-3"]


def test_an_action_s_message_lists_its_own_items_besides_the_collectable_ones() -> None:
    values = context("F-3")
    assert ids(values, "items_list") == ["F-1", "AV-1", "F-3", "F-2", "F-4"]
    assert ids(values, "items_list_overdue") == ["F-1", "F-3", "F-2"]
    assert ids(values, "items_list_selected") == ["F-3"]
    assert ids(values, "items_list_excluded") == []
    assert values["total_due"] == Money(amount=Decimal("17100.00"))
    assert values["overdue_amount"] == Money(amount=Decimal("16500.00"))


def test_an_item_below_ignore_below_is_listed_nowhere_even_selected() -> None:
    values = context("F-5")
    listed = {
        row for name in HASHTAGS if name.startswith("items_list") for row in ids(values, name)
    }
    assert "F-5" not in listed
    assert values["items_amount_selected"] == Money(amount=0)
    assert values["status"] == ()


def test_each_statement_totals_to_its_amount_hashtag() -> None:
    for selected in [(), ("F-3",), ("F-1", "F-2"), ("F-5", "F-6", "AV-1")]:
        values = context(*selected)
        for statement_name, amount_name in STATEMENT_TOTALS.items():
            statement = values[statement_name]
            assert isinstance(statement, Statement)
            assert values[amount_name] == Money(amount=statement.total), statement_name
    values = context("F-1", "F-2")
    assert values["total_due"] == Money(amount=Decimal("14100.00"))  # the balance
    assert values["not_due_amount"] == Money(amount=Decimal("800.00"))
    assert values["excluded_amount"] == Money(amount=Decimal("3000.00"))


def test_the_penalties_amounts_are_the_penalties_columns() -> None:
    values = context("F-2", "F-3")
    overdue, selected, everything = (
        values[name] for name in ("items_list_overdue", "items_list_selected", "items_list")
    )
    assert isinstance(overdue, Statement)
    assert isinstance(selected, Statement)
    assert isinstance(everything, Statement)
    late = values["items_amount_late_penalties"]
    assert late == Money(amount=overdue.penalties_total) == Money(amount=Decimal("300.48"))
    assert everything.penalties_total == overdue.penalties_total
    assert values["items_amount_selected_late_penalties"] == Money(amount=selected.penalties_total)
    assert values["items_amount_overdue_include_late_penalties"] == Money(
        amount=overdue.total + overdue.penalties_total
    )


def test_statements_show_penalties_only_when_enabled_and_not_excluded() -> None:
    values = context("F-1")
    shown = {name for name, value in values.items() if getattr(value, "with_penalties", False)}
    assert shown == {"items_list", "items_list_overdue", "items_list_selected"}
    disabled = context("F-1", account=attrs.evolve(DUPONT, penalties_enabled=False))
    assert not any(getattr(value, "with_penalties", False) for value in disabled.values())


def test_a_disputed_item_of_the_message_shows_without_penalties() -> None:
    statement = context("F-3")["items_list_overdue"]
    assert isinstance(statement, Statement)
    row = {row.item_id: row for row in statement.rows}["F-3"]
    assert (row.status, row.days_late, row.penalties) == ("price dispute", 15, Decimal(0))


def test_names_restrict_the_context_to_the_hashtags_asked_for() -> None:
    values = template_context(DUPONT, ["F-1"], POLICY, ON, names=["total_due", "today"])
    assert dict(values) == {"total_due": Money(amount=Decimal("14100.00")), "today": ON}
    assert dict(template_context(DUPONT, [], POLICY, ON, names="today")) == {"today": ON}
    full = context("F-1")
    for name in HASHTAGS:
        assert template_context(DUPONT, ["F-1"], POLICY, ON, names=[name])[name] == full[name]


def test_an_unknown_name_asked_for_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match=r"unknown hashtag #nope, #totl_due$"):
        template_context(DUPONT, [], POLICY, ON, names=["totl_due", "today", "nope"])


def test_a_context_without_penalties_never_computes_them() -> None:
    mystery = item("F-7", "10.00", dt.date(2024, 5, 1), status="mystery")
    account = attrs.evolve(DUPONT, items=[mystery], actions=[])
    # Penalties need to know whether "mystery" is a dispute: asking for them is an error.
    with pytest.raises(UnknownStatusError, match="'mystery' is not in the policy"):
        template_context(account, [], POLICY, ON)
    values = template_context(account, [], POLICY, ON, names=["total_due"])
    assert values["total_due"] == Money(amount=Decimal("10.00"))


def test_without_penalties_the_amounts_with_penalties_are_the_amounts() -> None:
    values = context("F-1", policy=attrs.evolve(POLICY, penalties=None))
    assert values["items_amount_late_penalties"] == Money(amount=0)
    assert values["items_amount_selected_include_late_penalties"] == values["items_amount_selected"]


def test_an_account_without_name_is_called_by_its_id_and_no_collector_is_empty() -> None:
    values = context(account=attrs.evolve(DUPONT, name="", collector=None))
    assert values["customer_name"] == "C-DUPONT"
    assert values["collector"] == ""


def test_a_status_the_policy_does_not_define_shows_its_code() -> None:
    mystery = item("F-7", "10.00", dt.date(2024, 5, 1), status="mystery")
    account = attrs.evolve(DUPONT, items=[mystery], actions=[])
    values = context("F-7", account=account, policy=attrs.evolve(POLICY, penalties=None))
    assert values["status"] == ("mystery",)


def test_an_unknown_selected_item_is_an_error() -> None:
    with pytest.raises(UnknownItemError, match="no item 'F-404'"):
        template_context(DUPONT, ["F-1", "F-404"], POLICY, ON)


def test_a_single_item_id_is_one_id_not_its_characters() -> None:
    values = template_context(DUPONT, "F-1", POLICY, ON)
    assert values["items_amount_selected"] == Money(amount=Decimal("12000.00"))


# --- rendering statements ----------------------------------------------------------------

STATEMENT = Statement(
    currency="EUR",
    with_penalties=True,
    rows=[
        StatementRow(
            item_id="F-1",
            issue_date=dt.date(2024, 3, 1),
            due_date=dt.date(2024, 3, 31),
            amount=Decimal("12000.00"),
            open_amount=Decimal("12000.00"),
            days_late=45,
            penalties=Decimal("254.52"),
        ),
        StatementRow(
            item_id="AV-1",
            issue_date=dt.date(2024, 4, 1),
            due_date=dt.date(2024, 4, 1),
            amount=Decimal("-200.00"),
            open_amount=Decimal("-200.00"),
            status="<b>credit</b>",
            penalties=Decimal(0),
        ),
    ],
)


def test_a_statement_renders_as_an_aligned_text_table_with_a_total() -> None:
    expected = """\
Item   Issued      Due                Amount           Open  Days late  Status          Penalties
-----  ----------  ----------  -------------  -------------  ---------  -------------  ----------
F-1    2024-03-01  2024-03-31  12,000.00 EUR  12,000.00 EUR         45                 254.52 EUR
AV-1   2024-04-01  2024-04-01    -200.00 EUR    -200.00 EUR             <b>credit</b>
Total                                         11,800.00 EUR                            254.52 EUR"""
    assert render("#items_list", {"items_list": STATEMENT}) == expected


def test_a_statement_renders_as_an_html_table_with_escaped_cells() -> None:
    result = render("#items_list", {"items_list": STATEMENT}, html=True)
    assert result.startswith('<table class="collectlib-statement">\n<thead><tr><th>Item</th>')
    assert "<td>&lt;b&gt;credit&lt;/b&gt;</td>" in result
    assert '<td class="amount">11,800.00 EUR</td>' in result
    assert result.endswith("</tfoot>\n</table>")


def test_an_empty_statement_renders_as_nothing() -> None:
    empty = Statement(currency="EUR")
    assert render("[#items_list]", {"items_list": empty}) == "[]"
    assert render("[#items_list]", {"items_list": empty}, html=True) == "[]"


def test_a_statement_with_penalties_needs_them_on_every_row() -> None:
    row = attrs.evolve(STATEMENT.rows[0], penalties=None)
    with pytest.raises(ValidationError, match="row 'F-1' has no penalties"):
        Statement(currency="EUR", rows=[row], with_penalties=True)


def test_a_statement_needs_a_currency_code() -> None:
    with pytest.raises(ValidationError, match="currency must be an ISO 4217 code"):
        Statement(currency="euro")


# --- HTML mode ------------------------------------------------------------------------------


def test_html_mode_escapes_names_and_comments() -> None:
    values = context("F-3", account=attrs.evolve(DUPONT, name='<script>alert("x")</script>'))
    result = render("<p>#customer_name: #comment</p>", values, html=True)
    assert result == ("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;: wrong price</p>")


@pytest.mark.parametrize(
    "name",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "\x01java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
@pytest.mark.parametrize(
    "template",
    [
        '<a href="#customer_name">pay</a>',
        "<img src='#customer_name'>",
        '<a HREF = "#customer_name">',
    ],
)
def test_a_value_cannot_make_a_url_attribute_run_a_script(template: str, name: str) -> None:
    result = render(template, {"customer_name": name}, html=True)
    assert _url_in(result) == "unsafe:" + name
    assert _scheme_of(_url_in(result)) == "unsafe"


def test_a_value_after_the_scheme_or_in_another_attribute_is_only_escaped() -> None:
    values = {"customer_name": "javascript:alert(1)", "account_id": "C&1"}
    template = (
        '<a href="https://pay.example/?c=#account_id&n=#customer_name" title="#customer_name">'
    )
    assert render(template, values, html=True) == (
        '<a href="https://pay.example/?c=C&amp;1&n=javascript:alert(1)" '
        'title="javascript:alert(1)">'
    )
    assert render('<a href="#customer_name">', values) == '<a href="javascript:alert(1)">'


def test_a_scheme_spelt_across_the_template_and_a_value_is_caught() -> None:
    # "&#" + "106;..." is the character reference of "j": the browser reads javascript:.
    values = {"account_id": "106;avascript:alert(1)"}
    result = render('<a href="&###account_id">', values, html=True)
    assert result == '<a href="&#unsafe:106;avascript:alert(1)">'
    assert (
        render('<a href="&#account_id">', values, html=True) == '<a href="&106;avascript:alert(1)">'
    )
    result = render('<a href="java#account_id">', {"account_id": "script:x"}, html=True)
    assert result == '<a href="javaunsafe:script:x">'
    safe = render('<a href="##top">#account_id</a>', {"account_id": "javascript:x"}, html=True)
    assert safe == '<a href="#top">javascript:x</a>'


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            '<a onclick="pay(#account_id)">',
            r"#account_id at line 1, column 17 is inside the event handler onclick=",
        ),
        (
            '<a href="javascript:pay(#account_id)">',
            r"#account_id at line 1, column 25 is inside a javascript: URL \(href=\)",
        ),
        ('<a title="#items_list">', r"#items_list at line 1, column 11: a statement cannot go"),
        (
            "<a title=#account_id>",
            r"#account_id at line 1, column 10 is inside a tag but not in a quoted attribute",
        ),
        (
            "<a #account_id>",
            r"#account_id at line 1, column 4 is inside a tag but not in a quoted attribute",
        ),
    ],
)
def test_a_hashtag_where_no_value_is_safe_is_a_template_error(template: str, message: str) -> None:
    values = {"account_id": "C-1", "items_list": STATEMENT}
    with pytest.raises(TemplateError, match=message):
        render(template, values, html=True)
    render(template, values)  # text mode knows no tags


def _url_in(result: str) -> str:
    parser = _Tags()
    parser.feed(result)
    parser.close()
    (url,) = parser.urls
    return url


def _scheme_of(url: str) -> str:
    """The URL's scheme as a browser reads it (WHATWG URL: strip C0 and spaces, no tabs)."""
    cleaned = re.sub("[\t\n\r]", "", url.strip("".join(map(chr, range(0x21))))).lower()
    found = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return found.group(1) if found else ""


def test_text_mode_inserts_values_as_they_are() -> None:
    assert render("#customer_name", context()) == "Dupont <SARL> & Fils"


# --- formatting -----------------------------------------------------------------------------


def test_default_formatting_is_locale_neutral() -> None:
    assert format_amount(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    assert format_amount(Decimal("-1234567.891"), "KWD") == "-1,234,567.891 KWD"
    assert format_amount(Decimal("1234.5"), "JPY") == "1,235 JPY"
    assert format_amount(Decimal("-0.001"), "EUR") == "0.00 EUR"
    assert format_date(dt.date(2026, 2, 4)) == "2026-02-04"


def test_a_locale_formats_amounts_and_dates_by_its_standard() -> None:
    pytest.importorskip("babel")
    assert format_amount(Decimal("1234.56"), "EUR", "fr_FR") == "1\u202f234,56\xa0€"
    assert format_amount(Decimal("1234.5"), "USD", "en_US") == "$1,234.50"
    assert format_date(dt.date(2026, 2, 4), "fr_FR") == "4 févr. 2026"
    assert format_date(dt.date(2026, 2, 4), "de_DE") == "04.02.2026"
    result = render("#total_due le #today", context(), locale="fr_FR")
    assert result == "14\u202f100,00\xa0€ le 15 mai 2024"


def test_amounts_are_rounded_half_up_before_the_locale_writes_them() -> None:
    pytest.importorskip("babel")
    assert format_amount(Decimal("0.125"), "EUR", "en_US") == "€0.13"


@pytest.mark.parametrize(
    ("amount", "currency", "plain", "english"),
    [
        ("1200.125", "KWD", "1,200.125 KWD", "KWD1,200.125"),
        ("120000", "JPY", "120,000 JPY", "¥120,000"),
        ("100.125", "EUR", "100.13 EUR", "€100.13"),  # half up, never to even
        ("100.135", "EUR", "100.14 EUR", "€100.14"),
        ("-100.125", "EUR", "-100.13 EUR", "-€100.13"),
        ("1200.125", "IQD", "1,200.125 IQD", "IQD1,200.125"),  # ISO 3 digits, Babel's data 0
        ("1200.5", "MGA", "1,200.50 MGA", "MGA1,200.50"),  # ISO 2 digits, Babel's data 0
        ("1.23455", "CLF", "1.2346 CLF", "CLF1.2346"),
        ("-0.4", "JPY", "0 JPY", "¥0"),  # never -0
    ],
)
def test_amounts_shown_to_people_have_their_currency_s_minor_unit(
    amount: str, currency: str, plain: str, english: str
) -> None:
    assert format_amount(Decimal(amount), currency) == plain
    assert str(Money(amount=amount, currency=currency)) == plain
    pytest.importorskip("babel")
    assert format_amount(Decimal(amount), currency, "en") == english


SHOWN_CURRENCIES = st.sampled_from(sorted(CURRENCIES))
SHOWN_AMOUNTS = st.decimals(min_value=-(10**12), max_value=10**12, places=5)


@given(SHOWN_AMOUNTS, SHOWN_CURRENCIES, st.sampled_from([None, "en", "fr_FR", "de_CH", "ja"]))
def test_every_amount_shown_has_exactly_the_minor_unit_s_digits(
    amount: Decimal, currency: str, locale: str | None
) -> None:
    if locale is not None:
        pytest.importorskip("babel")
    text = format_amount(amount, currency, locale)
    digits = minor_unit_digits(currency)
    number = re.search(r"-?\d[\d,.\u202f\xa0' ]*\d|\d", text)
    assert number is not None
    point = {None: ".", "en": ".", "ja": ".", "fr_FR": ",", "de_CH": "."}[locale]
    if digits:
        assert len(number.group().rpartition(point)[2]) == digits, text
    else:
        assert point not in number.group(), text
    if locale is None:
        shown = Decimal(text.removesuffix(f" {currency}").replace(",", ""))
        assert shown == quantize(amount, currency)
        assert text == str(Money(amount=amount, currency=currency))


def test_statements_and_totals_show_each_currency_s_minor_unit() -> None:
    for currency, amounts, total, rows in (
        ("KWD", ("1200.125", "0.5"), "1,200.625 KWD", ("1,200.125 KWD", "0.500 KWD")),
        ("JPY", ("120000", "1500"), "121,500 JPY", ("120,000 JPY", "1,500 JPY")),
        ("EUR", ("100.125", "0.005"), "100.13 EUR", ("100.13 EUR", "0.01 EUR")),
    ):
        customer = Account(id="C-1", currency=currency, items=[
            item("F-1", amounts[0], dt.date(2024, 4, 1)),
            item("F-2", amounts[1], dt.date(2024, 4, 2))])  # fmt: skip
        values = template_context(customer, ["F-1", "F-2"], Policy(), ON)
        text = render("#total_due\n#items_list", values)
        assert text.splitlines()[0] == total
        assert [line.split()[-5:-3] for line in text.splitlines()[3:5]] == [
            row.split() for row in rows]  # fmt: skip


def test_an_unknown_locale_is_a_validation_error() -> None:
    pytest.importorskip("babel")
    with pytest.raises(ValidationError, match="locale 'xx_YY'"):
        render("#today", {"today": ON}, locale="xx_YY")
    with pytest.raises(ValidationError, match="locale 'not a locale!'"):
        format_date(ON, "not a locale!")


def test_a_locale_must_be_text() -> None:
    pytest.importorskip("babel")
    with pytest.raises(ValidationError, match="locale must be a string"):
        format_date(ON, 42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [("NaN", "EUR", "not an amount"), ("1", "euro", "ISO 4217"), ("1", None, "ISO 4217")],
)
def test_money_is_a_finite_amount_and_a_currency_code(
    amount: str, currency: object, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Money(amount=amount, currency=currency)  # type: ignore[arg-type]


def test_the_core_does_not_import_babel() -> None:
    code = "import sys, collectlib; print('babel' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_every_hashtag_is_documented_with_its_meaning() -> None:
    page = (Path(__file__).parent.parent / "docs" / "reference" / "templates.md").read_text(
        encoding="utf-8"
    )
    for name, meaning in HASHTAGS.items():
        assert f"`#{name}`" in page
        assert meaning in page, name


# --- properties ---------------------------------------------------------------------------

BASE = dt.date(2026, 1, 1)
NEAR_BASE = dates(BASE - dt.timedelta(days=400), BASE + dt.timedelta(days=400))
"""The dates drawn: within 400 days of ``BASE``."""
ACCOUNTS = accounts(issue_dates=NEAR_BASE, payment_terms=st.integers(-10, 90))
"""Accounts whose items are issued near ``BASE``, due up to 10 days before their issue
and up to 90 days after it."""

ALLOWED_TAGS = {"p", "table", "thead", "tbody", "tfoot", "tr", "th", "td"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[list[str]] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.append([name for name, _ in attrs])
        self.urls += [value or "" for name, value in attrs if name in {"href", "src"}]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


outside = st.text(max_size=30)
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f]"
)  # what an id may not hold (st.text has no surrogates)


@given(name=outside, comment=outside, status=outside, item_id=outside)
def test_no_inserted_value_can_open_a_tag(
    name: str, comment: str, status: str, item_id: str
) -> None:
    row = attrs.evolve(STATEMENT.rows[0], status=status)
    if item_id and item_id == item_id.strip() and not _CONTROL.search(item_id):  # an id
        row = attrs.evolve(row, item_id=item_id)
    values = {
        "customer_name": name,
        "comment": (comment, name),
        "items_list": attrs.evolve(STATEMENT, rows=[row, *STATEMENT.rows[1:]]),
    }
    result = render("<p>#customer_name</p><p>#comment</p>#items_list", values, html=True)
    parser = _Tags()
    parser.feed(result)
    parser.close()
    assert set(parser.tags) <= ALLOWED_TAGS
    assert parser.tags.count("p") == 2
    assert parser.tags.count("td") == 8 * 3
    inline = render("#customer_name#comment", values, html=True)
    assert "<" not in inline
    assert ">" not in inline


@given(
    value=st.text(max_size=30)
    | st.builds(
        "".join,
        st.lists(
            st.sampled_from(
                [
                    "javascript",
                    "data",
                    "vbscript",
                    ":",
                    " ",
                    "\t",
                    "\x00",
                    "&",
                    "#",
                    "106;",
                    "=",
                    "'",
                    '"',
                    "J",
                ]
            )
        ),
    )
)
@pytest.mark.parametrize("quote", ['"', "'"])
def test_no_inserted_value_makes_a_script_url_or_another_attribute(quote: str, value: str) -> None:
    template = f"<a href={quote}#customer_name{quote} title={quote}#account_id{quote}>x</a>"
    result = render(template, {"customer_name": value, "account_id": value}, html=True)
    parser = _Tags()
    parser.feed(result)
    parser.close()
    assert parser.tags == ["a"]
    assert parser.attributes == [["href", "title"]]
    assert _scheme_of(_url_in(result)) not in {"javascript", "vbscript", "data"}


@given(
    account=ACCOUNTS,
    policy=policies(with_default=True),
    rule=penalty_rules() | st.none(),
    on=NEAR_BASE,
    data=st.data(),
)
def test_rendering_any_known_hashtags_with_a_full_context_never_raises(
    account: Account, policy: Policy, rule: PenaltyRule | None, on: dt.date, data: st.DataObject
) -> None:
    account = attrs.evolve(account, penalties_enabled=data.draw(st.booleans()))
    policy = attrs.evolve(policy, penalties=rule)
    ids = [entry.id for entry in account.items]
    selected = data.draw(st.sets(st.sampled_from(ids)) if ids else st.just(set()))
    names = data.draw(st.lists(st.sampled_from(sorted(HASHTAGS)), max_size=6))
    template = " ".join(f"#{name}" for name in names)
    values = template_context(account, selected, policy, on)
    # Every amount is a Decimal, zero included (it is written with the minor unit's digits).
    assert all(type(v.amount) is Decimal for v in values.values() if isinstance(v, Money))
    assert isinstance(render(template, values), str)
    assert isinstance(render(template, values, html=True), str)
    included = values["items_amount_selected_include_late_penalties"]
    assert isinstance(included, Money)
    assert included.amount == (
        values["items_amount_selected"].amount  # type: ignore[union-attr]
        + values["items_amount_selected_late_penalties"].amount  # type: ignore[union-attr]
    )


FULL_CONTEXT = template_context(DUPONT, ["F-1", "F-2"], POLICY, ON)


pieces = st.sampled_from([f"#{name}" for name in HASHTAGS]) | st.text(alphabet="#adeost_Z1 \n")


@given(st.lists(pieces).map("".join))
def test_check_template_agrees_with_render(template: str) -> None:
    try:
        check_template(template)
    except TemplateError:
        with pytest.raises(TemplateError):
            render(template, FULL_CONTEXT)
    else:
        render(template, FULL_CONTEXT)
        render(template, FULL_CONTEXT, html=True)


@given(st.text(st.characters(blacklist_characters="#")))
def test_text_without_a_hash_renders_as_itself(text: str) -> None:
    assert render(text, {}) == text


# --- whole messages and edges (mutation testing, 2026-12-05) --------------------------------


def test_each_refusal_of_a_template_or_an_argument_is_a_whole_message() -> None:
    from builders import account, invoice, policy

    customer = account(invoice("F-1", "2026-02-01", "120.00"))
    cases = [
        (
            lambda: template_context(customer, ["F-1"], policy(), dt.date(2026, 3, 1), names=5),
            "template_context: names must be a collection of hashtag names, not 5",
        ),
        (lambda: format_date(None), "format_date: day must be a date, not None"),
        (
            lambda: format_date(dt.date(2026, 1, 1), locale=5),
            "format_date: locale must be a string, not 5",
        ),
        (
            lambda: render("<a href=#customer_name>x</a>", {"customer_name": "x"}, html=True),
            "template: #customer_name at line 1, column 9 is inside a tag but not in a quoted "
            'attribute value: quote it (href="#...")',
        ),
        (
            lambda: render('<a onclick="#customer_name">x</a>', {"customer_name": "x"}, html=True),
            "template: #customer_name at line 1, column 13 is inside the event handler onclick= "
            "(script: escaping cannot make a value safe there)",
        ),
        (
            lambda: render("Hi #customer_name", {"customer_name": 5}),
            "#customer_name: cannot insert a int (a context value is a str, Money, date, "
            "Statement, a tuple of them, or None)",
        ),
    ]
    for call, message in cases:
        with pytest.raises((ValidationError, TemplateError)) as raised:
            call()
        assert str(raised.value) == message


def test_a_statement_shows_a_credit_as_not_late_and_no_penalty_without_penalties() -> None:
    from builders import account, credit, invoice, policy

    customer = account(invoice("F-1", "2026-02-01", "120.00"), credit("AV-1", "2026-01-10"))
    context = template_context(customer, ["F-1"], policy(), dt.date(2026, 3, 1))
    rows = {row.item_id: row for row in context["items_list"].rows}
    assert (rows["F-1"].days_late, rows["AV-1"].days_late) == (28, 0)
    assert (rows["F-1"].penalties, rows["AV-1"].penalties) == (None, None)


def test_an_item_at_exactly_the_ignore_threshold_is_listed() -> None:
    from builders import account, invoice, policy

    customer = account(invoice("F-1", "2026-02-01", "10.00"), invoice("F-2", "2026-02-01", "9.99"))
    context = template_context(customer, [], policy(ignore_below="10.00"), dt.date(2026, 3, 1))
    assert [row.item_id for row in context["items_list"].rows] == ["F-1"]


def test_an_html_statement_is_one_row_a_line_with_adjacent_cells() -> None:
    from builders import account, invoice, policy

    customer = account(
        invoice("F-1", "2026-02-01", "120.00"), invoice("F-2", "2026-02-05", "80.00")
    )
    context = template_context(customer, [], policy(), dt.date(2026, 3, 1))
    html = render("#items_list", context, html=True)
    assert "<tr><th>Item</th><th>Issued</th><th>Due</th>" in html
    assert "</td></tr>\n<tr><td>F-2</td>" in html


# --- the last survivors of rules/templates.py (killed by hand-applied mutants) --------------


def test_an_item_a_call_holds_at_exactly_the_ignore_threshold_is_listed_as_excluded() -> None:
    from builders import account, action, invoice, policy

    # Garage Morel owes 120.00 (F-1); a call follows F-2 (10.00) and F-3 (9.99).
    customer = account(
        invoice("F-1", "2026-02-01", "120.00"),
        invoice("F-2", "2026-02-01", "10.00"),
        invoice("F-3", "2026-02-01", "9.99"),
        actions=(action("A1", {"F-2", "F-3"}, "2026-03-05", created="2026-02-20"),),
    )
    threshold = policy(ignore_below="10.00")
    scenario = template_context(customer, ["F-1"], threshold, dt.date(2026, 3, 1))
    assert [row.item_id for row in scenario["items_list_excluded"].rows] == ["F-2"]
    assert scenario["excluded_amount"] == Money(amount=Decimal("10.00"))
    call = template_context(customer, ["F-2", "F-3"], threshold, dt.date(2026, 3, 1))
    assert [row.item_id for row in call["items_list_selected"].rows] == ["F-2"]
    assert call["items_amount_selected"] == Money(amount=Decimal("10.00"))


@given(
    threshold=st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
    cents=st.integers(-3, 3),
)
def test_an_excluded_debit_is_listed_exactly_when_it_reaches_ignore_below(
    threshold: Decimal, cents: int
) -> None:
    from builders import account, action, invoice, policy

    open_amount = max(threshold + Decimal(cents) / 100, Decimal("0.01"))
    customer = account(
        invoice("F-1", "2026-02-01", "5000.00"),
        invoice("F-2", "2026-02-01", str(open_amount)),
        actions=(action("A1", {"F-2"}, "2026-03-05", created="2026-02-20"),),
    )
    values = template_context(customer, [], policy(ignore_below=threshold), dt.date(2026, 3, 1))
    listed = [row.item_id for row in values["items_list_excluded"].rows]
    assert listed == (["F-2"] if open_amount >= threshold else [])


def test_the_late_penalties_of_a_customer_not_yet_late_are_zero_and_render() -> None:
    # Dupont's only invoice falls due on June 14: penalties shown, none accrued yet.
    customer = attrs.evolve(DUPONT, items=[item("F-4", "800.00", dt.date(2024, 6, 14))], actions=[])
    values = template_context(customer, [], POLICY, ON)
    for name in ("items_amount_late_penalties", "items_amount_selected_late_penalties"):
        late = values[name]
        assert isinstance(late, Money)
        assert (type(late.amount), late) == (Decimal, Money(amount=0))
        assert render(f"Penalties: #{name}", values) == "Penalties: 0.00 EUR"


def test_a_bad_part_of_a_list_value_is_a_template_error_naming_the_hashtag() -> None:
    with pytest.raises(TemplateError) as raised:
        render("#status", {"status": ("promise", 5)})  # type: ignore[dict-item]
    assert str(raised.value) == (
        "#status: cannot insert a int (a context value is a str, Money, date, Statement, "
        "a tuple of them, or None)"
    )


def test_a_hashtag_in_the_text_after_a_tag_is_not_read_as_in_the_tag_s_attributes() -> None:
    template = '<p>Dear #customer_name,</p><p><a href="https://pay.example/#account_id">Pay</a></p>'
    values = {"customer_name": "Dupont & Fils", "account_id": "C-1"}
    assert render(template, values, html=True) == (
        '<p>Dear Dupont &amp; Fils,</p><p><a href="https://pay.example/C-1">Pay</a></p>'
    )


def test_an_unquoted_hashtag_before_a_quoted_attribute_is_a_whole_template_error() -> None:
    with pytest.raises(TemplateError) as raised:
        render('<img alt=#customer_name src="logo.png">', {"customer_name": "x"}, html=True)
    assert str(raised.value) == (
        "template: #customer_name at line 1, column 10 is inside a tag but not in a quoted "
        'attribute value: quote it (href="#...")'
    )


def test_a_locale_without_babel_is_a_configuration_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import collectlib

    # Babel not installed: importing it fails, and so does collectlib._babel.
    monkeypatch.setitem(sys.modules, "babel", None)
    monkeypatch.delitem(sys.modules, "collectlib._babel", raising=False)
    monkeypatch.delattr(collectlib, "_babel", raising=False)
    message = "locale 'fr_FR' needs Babel: pip install 'collectlib[i18n]'"
    for call in (
        lambda: format_amount(Decimal("1234.5"), "EUR", "fr_FR"),
        lambda: format_date(ON, "fr_FR"),
        lambda: render("#today", {"today": ON}, locale="fr_FR"),
    ):
        with pytest.raises(ConfigurationError) as raised:
            call()
        assert str(raised.value) == message
    # Without a locale, nothing needs Babel.
    assert format_amount(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    assert render("#today", {"today": ON}) == "2024-05-15"
