"""collectlib.strategies: what users draw is valid, consistent and steerable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from collectlib import ActionState, ItemKind, PlanState, excluded_item_ids, scenario_for
from collectlib.rules.plans import plan_progress
from collectlib.strategies import (
    accounts,
    action_templates,
    amounts,
    dates,
    items,
    policies,
    portfolios,
    scenarios,
    statuses,
)


@given(amounts(currency="JPY"), amounts(currency="KWD"), amounts("5", "10"))
def test_amounts_have_the_currency_minor_unit_and_stay_in_range(yen, dinar, small) -> None:
    assert yen == yen.to_integral_value()
    assert dinar.as_tuple().exponent == -3
    assert Decimal(5) <= small <= Decimal(10)


@given(dates(dt.date(2026, 1, 1), dt.date(2026, 1, 31)))
def test_dates_stay_in_range(day) -> None:
    assert day.year == 2026
    assert day.month == 1


@given(items(kinds=ItemKind.CREDIT_NOTE, open_states=("closed",)))
def test_items_follow_the_asked_kind_and_state(item) -> None:
    assert item.kind is ItemKind.CREDIT_NOTE
    assert item.amount < 0
    assert item.is_closed


@given(items(open_states=("partial",)))
def test_partial_items_are_open_and_smaller(item) -> None:
    assert item.is_open
    assert abs(item.open_amount) <= abs(item.amount)


@given(statuses(), action_templates(), scenarios(min_steps=2, max_steps=4))
def test_records_are_valid(status, template, scenario) -> None:
    if status.is_dispute:
        assert status.action is not None
    assert template.automatic <= template.channel.is_message
    assert 2 <= len(scenario.steps) <= 4


@given(policies(), st.data())
def test_accounts_are_consistent_with_their_policy(policy, data) -> None:
    account = data.draw(accounts(policy=policy, with_plans=True))
    scenario_for(account, policy)  # every reference resolves
    excluded = excluded_item_ids(account, policy)
    for item in account.items:
        if item.status is not None:
            status = policy.status(item.status)
            assert not status.is_dispute or item.id in excluded
    for plan in account.plans:
        action = account.action(plan.action_id)  # type: ignore[arg-type]
        assert action.state is ActionState.OPEN
        assert action.item_ids == plan.item_ids
        assert plan_progress(account, plan.id, plan.created_on).state is PlanState.ON_TRACK


@given(accounts(min_items=3, max_items=5, with_actions=False, currency="JPY"))
def test_account_options_are_honoured(account) -> None:
    assert 3 <= len(account.items) <= 5
    assert account.actions == ()
    assert account.currency == "JPY"


@given(portfolios(min_size=2, max_size=5))
def test_portfolios_have_unique_account_ids(portfolio) -> None:
    ids = [account.id for account in portfolio]
    assert len(set(ids)) == len(ids)
    assert 2 <= len(ids) <= 5
