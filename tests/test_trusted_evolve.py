"""The operations' trusted constructors give exactly the account the validated ones give.

``record_action``, ``apply_status``, ``create_plan``, ``review_plan``, ``cancel_plan``
and the specific actions' operations build their result with ``trusted_evolve`` (no
second validation of what did not change); each property here rebuilds the result
with ``Account``, ``Item`` and the events' classes and finds the same account.
``template_context`` builds its statements and amounts trusted too: they equal the
validated ones.  The state machine
(tests/test_account_machine.py) makes the same check after every operation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    CollectError,
    FollowUp,
    Money,
    Policy,
    Statement,
    StatementRow,
    apply_status,
    cancel_plan,
    complete_action,
    create_plan,
    next_action,
    record_action,
    review_plan,
    schedule,
    template_context,
)
from collectlib._frozen import trusted_evolve, trusted_maker, trusted_new
from collectlib.strategies import accounts, dates, policies
from collectlib.testing import _validated


@st.composite
def cases(draw: st.DrawFn, **options: bool) -> tuple[Policy, Account, dt.date]:
    policy = draw(policies(min_steps=1))
    account = draw(accounts(policy=policy, min_items=1, with_journal=True, **options))
    return policy, account, draw(dates())


def same_as_validated(result: Account) -> None:
    assert result == _validated(result)
    assert all(type(getattr(result, name)) is tuple for name in ("items", "actions", "plans"))


@given(cases(), st.integers(0, 60))
def test_record_action_builds_the_validated_account(case, days: int) -> None:
    policy, account, on = case
    on += dt.timedelta(days=days)
    proposal = next_action(account, policy, on)
    if proposal is not None:
        same_as_validated(record_action(account, proposal, policy, on, note="done"))


@given(cases(), st.data())
def test_apply_status_builds_the_validated_account(case, data: st.DataObject) -> None:
    policy, account, on = case
    open_ids = sorted(i.id for i in account.items if i.is_open)
    chosen = data.draw(st.lists(st.sampled_from(open_ids), unique=True)) if open_ids else []
    status = data.draw(st.sampled_from([None, *(s.code for s in policy.statuses)]))
    follow_up = data.draw(st.sampled_from(FollowUp))
    owner = data.draw(st.sampled_from([None, "anna"]))
    try:
        result = apply_status(
            account, chosen, status, policy, on, comment="noted", owner=owner, follow_up=follow_up
        )
    except CollectError:
        return
    same_as_validated(result)


@given(cases(with_plans=True), st.data(), st.integers(1, 4))
def test_plan_operations_build_the_validated_account(case, data: st.DataObject, count) -> None:
    policy, account, on = case
    debits = sorted(i.id for i in account.items if i.is_debit)
    if debits:
        chosen = data.draw(st.lists(st.sampled_from(debits), min_size=1, max_size=3, unique=True))
        total = sum((account.item(i).open_amount for i in chosen), Decimal(0))
        try:
            account = create_plan(account, chosen, schedule(total, count, on), policy, on)
        except CollectError:
            return
        same_as_validated(account)
    later = on + dt.timedelta(days=data.draw(st.integers(0, 120)))
    for plan in account.plans:
        with contextlib.suppress(CollectError):  # a plan that has ended
            same_as_validated(review_plan(account, plan.id, policy, later))
        with contextlib.suppress(CollectError):
            same_as_validated(cancel_plan(account, plan.id, later, "broken"))


@given(cases(), st.data())
def test_completing_an_action_builds_the_validated_account(case, data: st.DataObject) -> None:
    policy, account, on = case
    for action in account.actions:
        if action.is_open:
            with contextlib.suppress(CollectError):  # a dispute it would leave unfollowed
                same_as_validated(complete_action(account, action.id, policy, on))


def test_trusted_evolve_refuses_a_field_the_record_has_not() -> None:
    account = Account(id="C-1")
    with pytest.raises(TypeError, match="no field"):
        trusted_evolve(account, nmae="typo")
    assert trusted_evolve(account, name="Durand") == attrs.evolve(account, name="Durand")
    with pytest.raises(TypeError, match="no field"):
        trusted_new(Account, idd="C-1")
    assert trusted_new(Account, **attrs.asdict(account, recurse=False)) == account


@given(cases(with_plans=True), st.data())
def test_template_context_builds_the_validated_values(case, data: st.DataObject) -> None:
    policy, account, on = case
    ids = [item.id for item in account.items]
    own = data.draw(st.lists(st.sampled_from(ids), unique=True))
    for value in template_context(account, own, policy, on).values():
        if isinstance(value, Statement):
            rows = [StatementRow(**attrs.asdict(row, recurse=False)) for row in value.rows]
            validated = Statement(
                currency=value.currency, rows=rows, with_penalties=value.with_penalties
            )
            assert value == validated
            assert type(value.rows) is tuple
        elif isinstance(value, Money):
            assert value == Money(amount=value.amount, currency=value.currency)


def test_trusted_maker_builds_by_position_what_the_class_builds() -> None:
    with pytest.raises(TypeError, match=r"Account has no field \['idd'\]"):
        trusted_maker(Account, ("idd",))
    with pytest.raises(TypeError, match=r"Account needs the fields \['id'\]"):
        trusted_maker(Account, ("name",))
    make = trusted_maker(Account, ("name", "id"))
    assert make("Durand", "C-1") == Account(id="C-1", name="Durand")
    assert trusted_maker(Account, ("name", "id")) is make  # generated once


def test_trusted_evolve_may_change_every_field_at_once() -> None:
    account = Account(id="C-1")
    fields = attrs.asdict(Account(id="C-2", name="Durand"), recurse=False)
    assert trusted_evolve(account, **fields) == Account(id="C-2", name="Durand")
