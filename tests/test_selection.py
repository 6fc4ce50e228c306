"""SPEC §2: which items the scenario works on."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import account, action, credit, d, invoice, policy
from collectlib import (
    Account,
    ConfigurationError,
    Item,
    Policy,
    Scenario,
    ValidationError,
    balance,
    collectable_items,
    excluded_item_ids,
    leader_invoice,
    scenario_for,
)
from collectlib.money import in_currency
from collectlib.strategies import accounts, policies

CURRENCIES = st.sampled_from(["EUR", "JPY", "KWD"])


def test_leader_is_the_oldest_due_collectable_debit() -> None:
    acc = account(
        invoice("F-2", "2026-02-01"), invoice("F-1", "2026-01-15"), credit("AV", "2025-12-01")
    )
    assert leader_invoice(acc, policy()).id == "F-1"


def test_leader_tie_broken_by_issue_date_then_id() -> None:
    acc = account(
        invoice("F-3", "2026-01-15", issued="2025-12-10"),
        invoice("F-2", "2026-01-15", issued="2025-12-01"),
        invoice("F-1", "2026-01-15", issued="2025-12-10"),
    )
    assert leader_invoice(acc, policy()).id == "F-2"
    acc = account(invoice("F-3", "2026-01-15"), invoice("F-1", "2026-01-15"))
    assert leader_invoice(acc, policy()).id == "F-1"


def test_leader_may_be_not_yet_due() -> None:
    acc = account(invoice("F-1", "2030-01-01"))
    assert leader_invoice(acc, policy()).id == "F-1"


def test_excluded_item_is_not_leader_and_not_in_balance() -> None:
    acc = account(
        invoice("F-1", "2026-01-01", 300),
        invoice("F-2", "2026-02-01", 100),
        actions=(action("A1", {"F-1"}, "2026-03-01"),),
    )
    assert excluded_item_ids(acc, policy()) == {"F-1"}
    assert leader_invoice(acc, policy()).id == "F-2"
    assert balance(acc, policy()) == 100


def test_closed_action_excludes_nothing() -> None:
    done = attrs.evolve(
        action("A1", {"F-1"}, "2026-03-01"), state="DONE", closed_on=d("2026-03-02")
    )
    acc = account(invoice("F-1", "2026-01-01"), actions=(done,))
    assert excluded_item_ids(acc, policy()) == frozenset()
    assert leader_invoice(acc, policy()).id == "F-1"


def test_small_debits_below_ignore_threshold_are_ignored_but_credits_never() -> None:
    acc = account(
        invoice("F-1", "2026-01-01", 4),
        invoice("F-2", "2026-02-01", 5),
        credit("AV-1", "2026-01-01", -3),
    )
    chosen = collectable_items(acc, policy(ignore_below=5))
    assert [item.id for item in chosen] == ["F-2", "AV-1"]
    assert balance(acc, policy(ignore_below=5)) == 2
    assert leader_invoice(acc, policy(ignore_below=5)).id == "F-2"


def test_ignore_threshold_reads_the_open_amount() -> None:
    acc = account(invoice("F-1", "2026-01-01", 1000, open_amount=3))
    assert leader_invoice(acc, policy(ignore_below=5)) is None


def test_ignore_below_per_currency_reads_the_account_currency() -> None:
    # 4 EUR and 900 JPY residues: ignored below 5 EUR and 1,000 JPY; KWD has no threshold.
    per_currency = policy(ignore_below={"EUR": 5, "JPY": 1000})
    euros = account(invoice("F-1", "2026-01-01", 4), invoice("F-2", "2026-02-01", 120))
    yen = account(
        invoice("F-1", "2026-01-01", 900), invoice("F-2", "2026-02-01", 120_000), currency="JPY"
    )
    dinars = account(invoice("F-1", "2026-01-01", "0.500"), currency="KWD")
    assert [i.id for i in collectable_items(euros, per_currency)] == ["F-2"]
    assert [i.id for i in collectable_items(yen, per_currency)] == ["F-2"]
    assert balance(yen, per_currency) == 120_000
    assert [i.id for i in collectable_items(dinars, per_currency)] == ["F-1"]


@given(accounts(currency=CURRENCIES), st.sampled_from(["EUR", "JPY", "KWD"]), st.data())
def test_a_threshold_for_one_currency_is_that_amount_there_and_zero_elsewhere(
    acc: Account, currency: str, data: st.DataObject
) -> None:
    amounts = [i.open_amount for i in acc.items if i.open_amount > 0] or [Decimal(1)]
    threshold = data.draw(st.sampled_from(amounts))
    mapped = policy(ignore_below={currency: threshold})
    same = policy(ignore_below=threshold if acc.currency == currency else 0)
    assert collectable_items(acc, mapped) == collectable_items(acc, same)
    assert balance(acc, mapped) == balance(acc, same)
    assert leader_invoice(acc, mapped) == leader_invoice(acc, same)


def test_closed_items_are_not_collectable() -> None:
    acc = account(invoice("F-1", "2026-01-01", 100, open_amount=0), invoice("F-2", "2026-03-01"))
    assert [item.id for item in collectable_items(acc, policy())] == ["F-2"]


def test_no_leader_with_credits_only() -> None:
    acc = account(credit("AV-1", "2026-01-01"))
    assert leader_invoice(acc, policy()) is None
    assert balance(acc, policy()) == Decimal(-50)


def test_scenario_of_the_account_wins_then_client_type_then_default() -> None:
    gentle, strict = Scenario(name="gentle"), Scenario(name="strict")
    pol = Policy(
        scenarios=(gentle, strict),
        default_scenario="gentle",
        scenario_by_client_type={"public": "strict"},
    )
    assert scenario_for(account(), pol) == gentle
    assert scenario_for(account(client_type="public"), pol) == strict
    assert scenario_for(account(client_type="retail"), pol) == gentle
    assert scenario_for(account(client_type="public", scenario="gentle"), pol) == gentle
    assert scenario_for(account(), Policy(scenarios=(gentle,))) is None


def test_account_naming_a_scenario_missing_from_the_policy_is_a_configuration_error() -> None:
    with pytest.raises(
        ConfigurationError, match="account 'C-1': scenario 'vip' is not in the policy"
    ):
        scenario_for(account(scenario="vip"), policy())


def _key(item: Item) -> tuple[object, ...]:
    return (item.due_date, item.issue_date, item.id)


@given(accounts(currency=CURRENCIES), policies(with_default=True))
def test_leader_is_the_minimum_of_collectable_debits(acc, pol) -> None:
    excluded = excluded_item_ids(acc, pol)
    ignore_below = in_currency(pol.ignore_below, acc.currency)
    debits = [
        item
        for item in acc.items
        if item.open_amount > 0 and item.open_amount >= ignore_below and item.id not in excluded
    ]
    expected = min(debits, key=_key) if debits else None
    assert leader_invoice(acc, pol) == expected


@given(accounts(currency=CURRENCIES), policies(with_default=True))
def test_collectable_items_are_open_not_ignored_not_excluded(acc, pol) -> None:
    chosen = collectable_items(acc, pol)
    excluded = excluded_item_ids(acc, pol)
    ignore_below = in_currency(pol.ignore_below, acc.currency)
    for item in chosen:
        assert item.is_open
        assert item.id not in excluded
        assert not (item.is_debit and item.open_amount < ignore_below)
    left_out = [item for item in acc.items if item not in chosen]
    for item in left_out:
        assert item.is_closed or item.id in excluded or item.open_amount < ignore_below
    assert balance(acc, pol) == sum((item.open_amount for item in chosen), Decimal(0))


@given(accounts(), policies(with_default=True))
def test_excluded_is_exactly_what_open_actions_and_disputes_hold(acc, pol) -> None:
    held = {item_id for a in acc.actions if a.is_open for item_id in a.item_ids}
    disputed = {
        i.id
        for i in acc.items
        if i.status is not None
        and i.status in {s.code for s in pol.statuses}
        and pol.status(i.status).is_dispute
    }
    assert excluded_item_ids(acc, pol) == held | disputed


@given(accounts(), policies(with_default=True), st.data())
def test_leader_does_not_depend_on_item_order(acc, pol, data) -> None:
    shuffled = attrs.evolve(acc, items=data.draw(st.permutations(acc.items)))
    assert leader_invoice(shuffled, pol) == leader_invoice(acc, pol)
    assert balance(shuffled, pol) == balance(acc, pol)


def test_the_exclusion_rule_needs_the_policy() -> None:
    with pytest.raises(ValidationError, match=r"^excluded_item_ids: policy must be a Policy"):
        excluded_item_ids(account(), "standard")  # type: ignore[arg-type]


def test_items_after_a_disputed_one_are_still_read_and_every_dispute_is_listed() -> None:
    from builders import qualifying_policy
    from collectlib.rules.selection import unfollowed_disputes

    pol = qualifying_policy()
    first = attrs.evolve(
        invoice("F-1", "2026-01-05", "450.00"), status="price-dispute", status_date=d("2026-02-01")
    )
    second = attrs.evolve(
        invoice("F-2", "2026-01-20", "80.00"), status="price-dispute", status_date=d("2026-02-03")
    )
    acc = account(first, second, invoice("F-3", "2026-02-10", "300.00"))
    # The disputes are out of the scenario, and the item after them is read as usual.
    assert [item.id for item in collectable_items(acc, pol)] == ["F-3"]
    assert balance(acc, pol) == Decimal("300.00")
    assert leader_invoice(acc, pol).id == "F-3"
    assert unfollowed_disputes(acc, pol) == [first, second]


def test_the_leader_is_the_earliest_due_even_when_issued_later() -> None:
    older = invoice("F-1", "2026-03-01", issued="2026-01-01")
    earlier_due = invoice("F-2", "2026-02-01", issued="2026-01-15")
    for items in ((older, earlier_due), (earlier_due, older)):
        assert leader_invoice(account(*items), policy()).id == "F-2"


def test_a_selection_function_names_itself_and_the_argument_at_fault() -> None:
    with pytest.raises(ValidationError) as raised:
        scenario_for(None, policy())  # type: ignore[arg-type]
    assert str(raised.value) == "scenario_for: account must be an Account, not None"
    with pytest.raises(ValidationError) as raised:
        collectable_items(account(), None)  # type: ignore[arg-type]
    assert str(raised.value) == "collectable_items: policy must be a Policy, not None"
