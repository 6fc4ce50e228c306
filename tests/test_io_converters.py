"""collectlib.io.converters: every record to JSON-ready data and back, losslessly."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    ActionTemplate,
    AgendaEntry,
    Installment,
    Item,
    JournalEvent,
    LoadError,
    PaymentPlan,
    PenaltyRule,
    Policy,
    Proposal,
    Scenario,
    SendingWindow,
    SpecificAction,
    Status,
    Step,
    Trigger,
    agenda,
    next_action,
)
from collectlib.io.converters import structure, unstructure
from collectlib.strategies import (
    accounts,
    action_templates,
    items,
    policies,
    scenarios,
    statuses,
    steps,
)
from strategies import journal_events, local_datetimes, penalty_rules, sending_windows


def round_trip(record: object, kind: type) -> object:
    """Through JSON text, as a file would hold it."""
    return structure(json.loads(json.dumps(unstructure(record))), kind)


@given(
    st.one_of(
        items().map(lambda r: (r, Item)),
        statuses().map(lambda r: (r, Status)),
        action_templates().map(lambda r: (r, ActionTemplate)),
        steps().map(lambda r: (r, Step)),
        scenarios().map(lambda r: (r, Scenario)),
        policies().map(lambda r: (r, Policy)),
        accounts(with_plans=True).map(lambda r: (r, Account)),
        sending_windows().map(lambda r: (r, SendingWindow)),
        penalty_rules().map(lambda r: (r, PenaltyRule)),
        journal_events().map(lambda r: (r, JournalEvent)),
    )
)
def test_every_record_round_trips_through_json(pair) -> None:
    record, kind = pair
    assert round_trip(record, kind) == record


@given(accounts(with_plans=True), st.lists(journal_events(), max_size=6))
def test_accounts_with_any_journal_round_trip(account, events) -> None:
    account = attrs.evolve(account, journal=tuple(events))
    back = round_trip(account, Account)
    assert back == account
    assert [type(e) for e in back.journal] == [type(e) for e in account.journal]


@given(policies(min_steps=1), st.data())
def test_agenda_rows_and_proposals_round_trip(policy, data) -> None:
    portfolio = data.draw(st.lists(accounts(policy=policy), max_size=4, unique_by=lambda a: a.id))
    on = dt.date(2026, 6, 1)
    for row in agenda(portfolio, policy, on, horizon_days=60):
        assert round_trip(row, AgendaEntry) == row
    for account in portfolio:
        proposal = next_action(account, policy, on)
        if proposal is not None:
            assert round_trip(proposal, Proposal) == proposal


def test_shapes_are_plain_and_readable() -> None:
    plan = PaymentPlan(
        id="P1",
        item_ids={"F-2", "F-1"},
        installments=[Installment(due_on=dt.date(2026, 1, 31), amount="100.50")],
        created_on=dt.date(2026, 1, 2),
        total="100.50",
    )
    assert unstructure(plan) == {
        "id": "P1",
        "item_ids": ["F-1", "F-2"],
        "installments": [{"due_on": "2026-01-31", "amount": "100.50"}],
        "created_on": "2026-01-02",
        "total": "100.50",
        "action_id": None,
    }
    assert unstructure(Trigger.leader_due(-5)) == {"kind": "LEADER_DUE", "days": -5}
    assert unstructure(SpecificAction(
        id="A1", name="call", channel="CALL", item_ids={"F-1"}, due_on=dt.date(2026, 1, 1),
        created_on=dt.date(2026, 1, 1))
    )["state"] == "OPEN"  # fmt: skip


@given(local_datetimes())
def test_datetimes_round_trip(moment) -> None:
    assert structure(unstructure(moment), dt.datetime) == moment


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-13-01",
          "amount": "100", "open_amount": "100"}, r"\$\.due_date: not a date: '2026-13-01'"),
        ({"id": "F-1", "kind": "BILL", "issue_date": "2026-01-05", "due_date": "2026-01-05",
          "amount": "1", "open_amount": "x"},
         r"\$\.kind: unknown ItemKind 'BILL'.*\$\.open_amount: not an amount: 'x'"),
        ({"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-01-05",
          "amount": "100", "open_amount": "120"},
         r"\$: item 'F-1': open_amount 120 exceeds amount 100"),
        ({"id": "F-1"}, r"\$\.kind: required field missing"),
        ({"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-01-05",
          "amount": True, "open_amount": "1", "colour": "red"},
         r"\$\.amount: not an amount: True.*extra fields found \(colour\)"),
        ([], r"\$: not a mapping"),
    ],
)  # fmt: skip
def test_bad_data_is_a_load_error_with_the_path(data: object, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        structure(data, Item)


def test_nested_paths_name_the_account_and_item() -> None:
    data = {
        "id": "C-1",
        "items": [
            {"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-01-05",
             "amount": "10", "open_amount": "10"},
            {"id": "F-2", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-02-30",
             "amount": "10", "open_amount": "10"},
        ],
        "journal": [{"type": "Nope", "on": "2026-01-01"}],
    }  # fmt: skip
    with pytest.raises(LoadError) as caught:
        structure([data], tuple[Account, ...], where="accounts")
    assert "accounts[0].items[1].due_date: not a date: '2026-02-30'" in str(caught.value)
    assert "accounts[0].journal[0]" in str(caught.value)


def test_amounts_keep_their_exponent_and_floats_go_through_str() -> None:
    assert unstructure(Decimal("100.10")) == "100.10"
    assert structure("1E+3", Decimal) == Decimal("1E+3")
    assert structure(100.1, Decimal) == Decimal("100.1")
    with pytest.raises(LoadError, match="not an amount: 'NaN'"):
        structure("NaN", Decimal)
