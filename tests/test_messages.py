"""A message never contradicts itself (SPEC section 6 and 13.9).

Every statement of a message has an amount hashtag over exactly its items, and its total
row is that amount; the statements cover the collectable items plus the message's own
items; an excluded item is never listed as due in a scenario message.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    AgendaEntry,
    Money,
    Policy,
    Statement,
    StatusCategory,
    agenda,
    check_template,
    collectable_items,
    demo,
    excluded_item_ids,
    render,
    scenario_for,
    template_context,
)
from collectlib.hashtags import STATEMENT_TOTALS
from collectlib.languages import template_for
from collectlib.money import in_currency
from collectlib.strategies import accounts, dates, policies

# Each statement's penalties column and the amount hashtag that is its total.
PENALTIES_TOTALS = {
    "items_list": "items_amount_late_penalties",
    "items_list_overdue": "items_amount_late_penalties",
    "items_list_selected": "items_amount_selected_late_penalties",
}

# --- the shipped demo: every agenda row's message, read as the customer reads it -----------


def _demo_rows() -> list[tuple[Account, AgendaEntry, str]]:
    """Every row of the demo agenda (and of the coming year's) that sends a message."""
    policy = demo.policy()
    accounts_ = demo.portfolio().accounts
    by_id = {account.id: account for account in accounts_}
    rows = []
    for horizon in (0, 365):
        for row in agenda(accounts_, policy, demo.AS_OF, horizon):
            account = by_id[row.account_id]
            if row.kind.name not in {"SCENARIO", "SPECIFIC"}:
                continue  # a review row: a decision to take, no message
            if row.step_index is not None:
                scenario = scenario_for(account, policy)
                assert scenario is not None
                template = scenario.steps[row.step_index].template
            else:
                assert row.action_id is not None
                template = account.action(row.action_id).template
            if template is not None:  # the text for the account's language
                rows.append((account, row, template_for(template, account.language)))
    return rows


DEMO_ROWS = _demo_rows()
HEADING = re.compile(r"Item +Issued +Due +Amount +Open +Days late +Status( +Penalties)?$")
AMOUNT = re.compile(r"-?[\d,]+\.\d\d EUR")


def _amount(text: str) -> Decimal:
    assert AMOUNT.fullmatch(text), text
    return Decimal(text.removesuffix(" EUR").replace(",", ""))


def _cells(line: str, columns: list[tuple[int, int]]) -> list[str]:
    return [line[start:end].strip() for start, end in columns]


def _tables(message: str) -> list[dict[str, object]]:
    """Read the text statements of a message: their rows' and total row's amounts."""
    lines = message.split("\n")
    tables = []
    for at, line in enumerate(lines):
        heading = HEADING.search(line)
        if heading is None:
            continue
        # Text may come before a statement on its heading line: the rule line under it
        # gives the columns.
        columns = [(m.start(), m.end()) for m in re.finditer("-+", lines[at + 1])]
        assert len(columns) == (8 if heading.group(1) else 7)
        rows, end = [], at + 2
        while not lines[end].startswith("Total "):
            rows.append(_cells(lines[end], columns))
            end += 1
        total = _cells(lines[end], columns)
        tables.append(
            {
                "ids": [row[0] for row in rows],
                "open": [_amount(row[4]) for row in rows],
                "total": _amount(total[4]),
                "total_text": total[4],
                "penalties": [_amount(row[7]) if row[7] else Decimal(0) for row in rows]
                if heading.group(1)
                else None,
                "penalties_total": _amount(total[7]) if heading.group(1) else None,
            }
        )
    return tables


def test_the_demo_agenda_sends_messages() -> None:
    kinds = {row.kind.name for _account, row, _template in DEMO_ROWS}
    assert kinds == {"SCENARIO", "SPECIFIC"}
    assert sum(1 for _a, _r, template in DEMO_ROWS if "#items_list" in template) >= 10
    # The courtesy e-mail goes out in the customer's language: English, French, German.
    openings = {template.split(",")[0] for _a, row, template in DEMO_ROWS if row.step_index == 0}
    assert openings == {"Dear #customer_name", "Madame", "Sehr geehrte Damen und Herren"}


@pytest.mark.parametrize(
    ("account", "row", "template"),
    DEMO_ROWS,
    ids=[f"{row.account_id}-{row.name}" for _a, row, _t in DEMO_ROWS],
)
def test_each_demo_message_adds_up(account: Account, row: AgendaEntry, template: str) -> None:
    policy = demo.policy()
    values = template_context(account, row.item_ids, policy, demo.AS_OF)
    message = render(template, values)
    names = check_template(template)
    shown = [
        name
        for name in names
        if name in STATEMENT_TOTALS
        and isinstance(statement := values[name], Statement)
        and statement.rows
    ]
    tables = _tables(message)
    assert len(tables) == len(shown)
    for name, table in zip(shown, tables, strict=True):
        # The total row is the sum of the rows, and the statement's amount hashtag.
        assert table["total"] == sum(table["open"], Decimal(0))  # type: ignore[arg-type]
        amount = render(f"#{STATEMENT_TOTALS[name]}", values)
        assert table["total_text"] == amount
        if table["penalties"] is not None:
            penalties = sum(table["penalties"], Decimal(0))  # type: ignore[arg-type]
            assert table["penalties_total"] == penalties
            late = values[PENALTIES_TOTALS[name]]
            assert isinstance(late, Money)
            assert late.amount == penalties
        if row.step_index is not None and name != "items_list_excluded":
            # A scenario message lists no item out of the scenario as due.
            assert not set(table["ids"]) & excluded_item_ids(account, policy)  # type: ignore[arg-type]
    # An amount printed beside statements is the total of one of them.
    statement_amounts = {STATEMENT_TOTALS[name] for name in names if name in STATEMENT_TOTALS}
    if statement_amounts:
        printed = set(STATEMENT_TOTALS.values()) & set(names)
        assert printed <= statement_amounts, f"{sorted(printed)} beside {sorted(names)}"


def test_no_demo_scenario_message_lists_an_item_out_of_the_scenario() -> None:
    # Issue 15: C-004's courtesy e-mail listed its disputed F-00400 as "now due".
    policy = demo.policy()
    checked = set()
    for account in demo.portfolio().accounts:
        scenario = scenario_for(account, policy)
        out = {i.id for i in account.items if i.is_open} & excluded_item_ids(account, policy)
        if scenario is None or not out:
            continue
        proposal_ids = [item.id for item in collectable_items(account, policy)]
        values = template_context(account, proposal_ids, policy, demo.AS_OF)
        for step in scenario.steps:
            if step.template is not None and "#items_list" in step.template:
                message = render(step.template, values)
                assert not any(item_id in message for item_id in out), (account.id, step.name)
                checked.add(account.id)
    assert len(checked) >= 2


# --- any account, any policy ---------------------------------------------------------------


@st.composite
def messages(draw: st.DrawFn) -> tuple[Account, frozenset[str], Policy, dt.date]:
    """An account, a message's own items (a proposal's, an action's, any), a policy, a date."""
    policy = draw(policies())
    account = draw(accounts(policy=policy, max_items=12))
    disputes = [s.code for s in policy.statuses if s.category is StatusCategory.DISPUTE]
    if account.items and disputes and draw(st.booleans()):
        # An item that arrived disputed from the ERP, no action holding it.
        at = draw(st.integers(0, len(account.items) - 1))
        item = attrs.evolve(account.items[at], status=draw(st.sampled_from(disputes)))
        account = attrs.evolve(account, items=(*account.items[:at], item, *account.items[at + 1 :]))
    ids = [item.id for item in account.items]
    proposal = frozenset(item.id for item in collectable_items(account, policy))
    choices = [st.just(proposal), st.sets(st.sampled_from(ids)) if ids else st.just(frozenset())]
    choices += [st.just(action.item_ids) for action in account.actions if action.is_open]
    own = draw(st.one_of(choices))
    return account, frozenset(own), policy, draw(dates())


@given(messages())
def test_each_statement_lists_exactly_the_items_its_amount_sums(
    message: tuple[Account, frozenset[str], Policy, dt.date],
) -> None:
    account, own_ids, policy, on = message
    values = template_context(account, own_ids, policy, on)
    excluded = excluded_item_ids(account, policy)
    collectable = {item.id for item in collectable_items(account, policy)}
    ignore_below = in_currency(policy.ignore_below, account.currency)
    ignored = {i.id for i in account.items if Decimal(0) < i.open_amount < ignore_below}
    own = {i.id for i in account.items if i.id in own_ids and i.is_open and i.id not in ignored}
    covered = collectable | own
    others = {i.id for i in account.items if i.is_open and i.id not in covered | ignored}
    by_id = {item.id: item for item in account.items}
    expected = {
        "items_list": covered,
        "items_list_overdue": {i for i in covered if by_id[i].is_overdue(on)},
        "items_list_overdue_exclude_late_penalties": {
            i for i in covered if by_id[i].is_overdue(on)
        },
        "items_list_not_due": {i for i in covered if by_id[i].due_date >= on},
        "items_list_selected": own,
        "items_list_excluded": others,
    }
    assert others <= excluded
    for name, amount_name in STATEMENT_TOTALS.items():
        statement = values[name]
        assert isinstance(statement, Statement)
        listed = [row.item_id for row in statement.rows]
        assert len(listed) == len(set(listed))
        assert set(listed) == expected[name], name
        total = sum((by_id[i].open_amount for i in expected[name]), Decimal(0))
        assert values[amount_name] == Money(amount=total, currency=account.currency), name
        assert statement.total == total
        assert not set(listed) & ignored
        if name != "items_list_excluded":
            assert not set(listed) & (excluded - own_ids)
    for name, amount_name in PENALTIES_TOTALS.items():
        statement = values[name]
        assert isinstance(statement, Statement)
        late = values[amount_name]
        assert isinstance(late, Money)
        assert late.amount == statement.penalties_total or not statement.with_penalties
    if own_ids == collectable:  # a scenario message: the balance
        balance = sum((by_id[i].open_amount for i in collectable), Decimal(0))
        assert values["total_due"] == Money(amount=balance, currency=account.currency)
