"""SPEC §4: the quick promise to pay."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import account, credit, d, invoice, qualifying_policy
from collectlib import (
    ConfigurationError,
    QuickPromise,
    RuleViolation,
    UnknownItemError,
    excluded_item_ids,
    quick_promise,
)
from collectlib.strategies import accounts, dates

TODAY = d("2026-03-02")


def customer():
    return account(
        invoice("F-1", "2026-01-10", 500),
        invoice("F-2", "2026-02-10", 300, open_amount=0),
        credit("AV-1", "2026-01-01"),
    )


def test_one_call_records_status_promise_date_and_follow_up() -> None:
    acc = quick_promise(
        customer(), ["F-1"], qualifying_policy(), TODAY, comment="pays on Thursday", by="marie"
    )
    item = acc.item("F-1")
    assert (item.status, item.status_date, item.promise_date, item.comment) == (
        "promise",
        TODAY,
        d("2026-03-05"),
        "pays on Thursday",
    )
    (follow_up,) = acc.actions
    assert (follow_up.name, follow_up.due_on, follow_up.origin_status) == (
        "check the payment",
        d("2026-03-05"),
        "promise",
    )
    assert excluded_item_ids(acc, qualifying_policy()) == {"F-1"}


def test_a_promise_status_without_action_only_qualifies() -> None:
    pol = qualifying_policy(quick_promise=QuickPromise(status="promise-bare", delay_days=0))
    acc = quick_promise(customer(), ["F-1"], pol, TODAY)
    assert (acc.item("F-1").promise_date, acc.actions) == (TODAY, ())


def test_not_configured_is_the_greyed_out_button() -> None:
    with pytest.raises(ConfigurationError, match="the quick promise is not configured"):
        quick_promise(customer(), ["F-1"], qualifying_policy(quick_promise=None), TODAY)


@pytest.mark.parametrize(
    ("items", "error", "message"),
    [
        (
            ["F-1", "AV-1"],
            RuleViolation,
            "quick_promise: item 'AV-1' is a credit, not a debt to promise",
        ),
        (["F-2"], RuleViolation, "quick_promise: item 'F-2' is closed"),
        (["F-1", "F-9"], UnknownItemError, "quick_promise: no item 'F-9'"),
    ],
)
def test_credits_closed_and_unknown_items_apply_nothing(
    items: list[str], error: type[Exception], message: str
) -> None:
    acc = customer()
    with pytest.raises(error, match=message):
        quick_promise(acc, items, qualifying_policy(), TODAY)
    assert acc == customer()


@given(accounts(), st.integers(0, 5), dates(), st.data())
def test_promise_date_is_today_plus_the_delay(acc, delay, today, data) -> None:
    debits = sorted(i.id for i in acc.items if i.is_debit)
    if not debits:
        return
    chosen = data.draw(st.sets(st.sampled_from(debits), min_size=1))
    pol = qualifying_policy(quick_promise=QuickPromise(status="promise", delay_days=delay))
    after = quick_promise(acc, chosen, pol, today)
    promised = today + dt.timedelta(days=delay)
    for item_id in chosen:
        assert after.item(item_id).promise_date == promised
    holder = next(a for a in after.actions if a.is_open and chosen <= a.item_ids)
    assert holder.due_on == promised
    assert holder.item_ids == chosen


def test_the_greyed_out_button_says_which_setting_is_missing() -> None:
    with pytest.raises(ConfigurationError) as raised:
        quick_promise(customer(), ["F-1"], qualifying_policy(quick_promise=None), TODAY)
    assert str(raised.value) == "policy: the quick promise is not configured (quick_promise)"


def test_every_credit_chosen_is_named_in_order() -> None:
    acc = account(
        invoice("F-1", "2026-01-10", 500),
        credit("AV-1", "2026-01-01"),
        credit("AV-2", "2026-01-02"),
    )
    with pytest.raises(RuleViolation) as raised:
        quick_promise(acc, ["F-1", "AV-2", "AV-1"], qualifying_policy(), TODAY)
    assert str(raised.value) == (
        "account 'C-1': quick_promise: item 'AV-1', 'AV-2' is a credit, not a debt to promise"
    )
