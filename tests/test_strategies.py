"""collectlib.strategies: what users draw is valid, consistent and steerable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    ActionState,
    ItemKind,
    JournalEvent,
    PenaltyRule,
    PlanState,
    RateTimeline,
    SendingWindow,
    StatusApplied,
    excluded_item_ids,
    scenario_for,
)
from collectlib.rules.plans import plan_progress
from collectlib.strategies import (
    accounts,
    action_templates,
    amounts,
    dates,
    items,
    journal_events,
    penalty_rules,
    policies,
    portfolios,
    rate_timelines,
    scenarios,
    sending_windows,
    settlements,
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


@given(policies(with_default=True), policies(with_default=False))
def test_a_policy_names_a_default_scenario_as_asked(with_default, without) -> None:
    assert with_default.default_scenario in {s.name for s in with_default.scenarios}
    assert without.default_scenario is None


@given(
    accounts(
        issue_dates=dates(dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
        payment_terms=st.integers(-10, -1),
        with_actions=False,
    )
)
def test_payment_terms_set_the_due_dates(account) -> None:
    for item in account.items:
        assert item.issue_date == dt.date(2026, 1, 1)
        assert -10 <= (item.due_date - item.issue_date).days <= -1


@given(policies(), st.data())
def test_a_journal_changes_statuses_of_the_account_items_in_date_order(policy, data) -> None:
    account = data.draw(accounts(policy=policy, with_journal=True))
    codes = {status.code for status in policy.statuses}
    days = [event.on for event in account.journal]
    assert days == sorted(days)
    for event in account.journal:
        assert type(event) is StatusApplied
        assert event.item_ids <= {item.id for item in account.items}
        assert event.status is None or event.status in codes
    assert data.draw(accounts(with_journal=False)).journal == ()


@given(penalty_rules(), sending_windows(), journal_events(status_codes=("call",)))
def test_rules_windows_and_events_are_records(rule, window, event) -> None:
    assert isinstance(rule, PenaltyRule)
    rates = (
        [rate for _, rate in rule.annual_rate.periods]
        if isinstance(rule.annual_rate, RateTimeline)
        else [rule.annual_rate]
    )
    assert all(0 <= rate <= Decimal("0.3") for rate in rates)
    assert isinstance(window, SendingWindow)
    assert 1 <= len(window.slots) <= 4
    assert isinstance(event, JournalEvent)
    assert getattr(event, "status", None) in {None, "call"}
    assert getattr(event, "origin_status", None) in {None, "call"}


@given(rate_timelines(max_periods=3), st.data())
def test_rate_timelines_are_oldest_first_and_rule_can_keep_plain_rates(timeline, data) -> None:
    starts = [start for start, _ in timeline.periods]
    assert 1 <= len(starts) <= 3
    assert starts == sorted(set(starts))
    assert isinstance(data.draw(penalty_rules(timelines=False)).annual_rate, Decimal)


@given(portfolios(max_size=6, credit_limits=st.none()), portfolios(max_size=6, groups=st.none()))
def test_accounts_share_a_few_groups_and_limits_are_optional(grouped, ungrouped) -> None:
    assert {account.group for account in grouped} <= {None, "G-1", "G-2"}
    assert all(account.credit_limit is None for account in grouped)
    assert all(account.group is None for account in ungrouped)
    assert all(account.credit_limit is None or account.credit_limit >= 0 for account in ungrouped)


@given(
    settlements(),
    settlements(
        account_ids=st.sampled_from(["C-1", "C-2"]), delays=st.integers(-60, -30),
        disputed=True, currencies="USD",
    ),
)  # fmt: skip
def test_settlements_follow_their_options(plain, early) -> None:
    assert plain.account_id == "C-1"
    assert plain.currency == "EUR"
    assert -20 <= plain.days_late <= 120 or plain.settled_on == plain.issue_date
    assert early.account_id in {"C-1", "C-2"}
    assert early.disputed
    assert early.currency == "USD"
    assert early.settled_on >= early.issue_date
    assert early.days_late <= 0
