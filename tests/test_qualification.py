"""SPEC §4: apply_status, its follow-ups, and assign_owner."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import CALL_BACK, account, d, invoice, qualifying_policy
from collectlib import (
    ActionCreated,
    ActionState,
    ConfigurationError,
    FollowUp,
    ItemsReleased,
    OwnerAssigned,
    RuleViolation,
    Status,
    StatusApplied,
    UnknownItemError,
    UnknownStatusError,
    ValidationError,
    apply_status,
    assign_owner,
    excluded_item_ids,
    next_action,
)
from collectlib.strategies import accounts, dates, policies

ON = d("2026-03-02")
HERE = "account 'C-1': apply_status: "
"""How apply_status names the account in its errors about the items and the rules."""


def customer():
    return account(
        invoice("F-1", "2026-01-10", 500),
        invoice("F-2", "2026-02-10", 300),
        invoice("F-3", "2026-03-10", 200, open_amount=0),
    )


def test_a_status_without_action_keeps_the_items_in_the_scenario() -> None:
    pol = qualifying_policy()
    acc = apply_status(
        customer(),
        ["F-1"],
        "ongoing",
        pol,
        ON,
        comment="customer called",
        owner="sales",
        by="marie",
    )
    item = acc.item("F-1")
    assert (item.status, item.status_date, item.comment, item.owner) == (
        "ongoing",
        ON,
        "customer called",
        "sales",
    )
    assert acc.actions == ()
    assert next_action(acc, pol, ON).leader_id == "F-1"
    assert acc.journal == (
        StatusApplied(
            on=ON,
            by="marie",
            item_ids={"F-1"},
            status="ongoing",
            comment="customer called",
            owner="sales",
        ),
    )


def test_a_dispute_always_creates_its_follow_up_action() -> None:
    pol = qualifying_policy()
    acc = apply_status(customer(), ["F-1"], "price-dispute", pol, ON, comment="price too high")
    (created,) = acc.actions
    assert (created.name, created.due_on, created.origin_status) == (
        "dispute follow-up",
        d("2026-03-09"),
        "price-dispute",
    )
    assert excluded_item_ids(acc, pol) == {"F-1"}
    assert next_action(acc, pol, ON).leader_id == "F-2"


@pytest.mark.parametrize("follow_up", [FollowUp.KEEP, FollowUp.SCENARIO])
def test_a_dispute_cannot_stay_in_the_scenario(follow_up: FollowUp) -> None:
    with pytest.raises(RuleViolation) as raised:
        apply_status(
            customer(), ["F-1"], "price-dispute", qualifying_policy(), ON, follow_up=follow_up
        )
    assert str(raised.value) == (
        f"{HERE}a DISPUTE status takes the items out of the scenario: "
        f"follow_up {follow_up.value} is not allowed"
    )


def test_a_promise_follow_up_is_due_on_the_promise_date() -> None:
    acc = apply_status(
        customer(), ["F-1", "F-2"], "promise", qualifying_policy(), ON, promise_date=d("2026-03-15")
    )
    assert acc.item("F-1").promise_date == d("2026-03-15")
    assert acc.actions[0].due_on == d("2026-03-15")


def test_a_promise_for_today_is_due_today_and_journaled_with_its_date() -> None:
    acc = apply_status(
        customer(),
        ["F-1"],
        "promise",
        qualifying_policy(),
        ON,
        promise_date=ON,
        by="marie",
        action_id="PROMISE-1",
    )
    (action,) = acc.actions
    assert (action.id, action.due_on) == ("PROMISE-1", ON)
    assert acc.item("F-1").comment == ""  # no comment given: none
    assert acc.journal == (
        StatusApplied(on=ON, by="marie", item_ids={"F-1"}, status="promise", promise_date=ON),
        ActionCreated(
            on=ON,
            by="marie",
            action_id="PROMISE-1",
            name=action.name,
            item_ids={"F-1"},
            due_on=ON,
            origin_status="promise",
        ),
    )


def test_a_template_follow_up_is_due_after_its_delay() -> None:
    acc = apply_status(customer(), ["F-2"], "ongoing", qualifying_policy(), ON, follow_up=CALL_BACK)
    assert (acc.actions[0].name, acc.actions[0].due_on, acc.actions[0].origin_status) == (
        "call back",
        d("2026-03-05"),
        "ongoing",
    )


def test_keep_leaves_a_disputed_item_in_its_action() -> None:
    pol = qualifying_policy()
    acc = apply_status(customer(), ["F-1"], "price-dispute", pol, ON)
    acc = apply_status(
        acc,
        ["F-1"],
        "ongoing",
        pol,
        d("2026-03-04"),
        comment="customer called",
        follow_up=FollowUp.KEEP,
    )
    assert excluded_item_ids(acc, pol) == {"F-1"}
    assert acc.item("F-1").status == "ongoing"


def test_scenario_follow_up_takes_items_out_of_their_action() -> None:
    pol = qualifying_policy()
    acc = apply_status(customer(), ["F-1", "F-2"], "price-dispute", pol, ON)
    acc = apply_status(
        acc, ["F-1"], "resolved", pol, d("2026-03-04"), follow_up=FollowUp.SCENARIO, by="marie"
    )
    assert excluded_item_ids(acc, pol) == {"F-2"}
    assert acc.journal[-1] == ItemsReleased(
        on=d("2026-03-04"), by="marie", action_id="A1", item_ids={"F-1"}
    )
    acc = apply_status(acc, ["F-2"], "resolved", pol, d("2026-03-04"), follow_up=FollowUp.SCENARIO)
    assert acc.actions[0].state is ActionState.CANCELLED


def test_a_non_promise_status_clears_the_promise_date_and_none_clears_all() -> None:
    pol = qualifying_policy()
    acc = apply_status(customer(), ["F-1"], "promise", pol, ON, promise_date=d("2026-03-10"))
    acc = apply_status(acc, ["F-1"], "ongoing", pol, ON, follow_up=FollowUp.KEEP)
    assert acc.item("F-1").promise_date is None
    acc = apply_status(acc, ["F-1"], None, pol, ON, comment="", owner="paul")
    item = acc.item("F-1")
    assert (item.status, item.status_date, item.promise_date, item.owner) == (
        None,
        None,
        None,
        "paul",
    )
    # No owner given: the item keeps its owner.
    assert apply_status(acc, ["F-1"], "ongoing", pol, ON).item("F-1").owner == "paul"


def test_a_status_object_of_the_policy_is_accepted() -> None:
    pol = qualifying_policy()
    acc = apply_status(customer(), ["F-1"], pol.status("ongoing"), pol, ON)
    assert acc.item("F-1").status == "ongoing"
    with pytest.raises(UnknownStatusError, match="status 'ongoing' differs from the policy's"):
        apply_status(customer(), ["F-1"], Status(code="ongoing", label="other"), pol, ON)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"item_ids": ["F-3"]}, RuleViolation, HERE + "item 'F-3' is closed"),
        ({"item_ids": ["F-9"]}, UnknownItemError, HERE + "no item 'F-9'"),
        ({"item_ids": []}, ValidationError, HERE + "no item selected"),
        ({"status": "lost"}, UnknownStatusError, "policy: no status 'lost'"),
        (
            {"status": 3},
            ValidationError,
            "apply_status: status must be a code, a Status or None, not 3",
        ),
        (
            {"status": "ongoing", "follow_up": FollowUp.FROM_STATUS},
            ConfigurationError,
            HERE + "status 'ongoing' has no follow-up action (FROM_STATUS)",
        ),
        (
            {"status": None, "follow_up": FollowUp.FROM_STATUS},
            ConfigurationError,
            HERE + "no status has no follow-up action (FROM_STATUS)",
        ),
        (
            {"status": "ongoing", "promise_date": d("2026-03-10")},
            RuleViolation,
            HERE + "a promise date needs a PROMISE status",
        ),
        (
            {"status": "promise", "promise_date": d("2026-03-01")},
            RuleViolation,
            HERE + "promise date 2026-03-01 is before 2026-03-02",
        ),
        (
            {"follow_up": "later"},
            ValidationError,
            "apply_status: follow_up must be a FollowUp or an ActionTemplate, not 'later'",
        ),
        ({"comment": None}, ValidationError, "apply_status: comment must be a string, not None"),
    ],
)
def test_bad_qualifications_apply_nothing(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    acc = customer()
    snapshot = (acc, hash(acc))
    arguments: dict[str, object] = {"item_ids": ["F-1"], "status": "ongoing"}
    arguments.update(kwargs)
    with pytest.raises(error) as raised:
        apply_status(acc, policy=qualifying_policy(), on=ON, **arguments)  # type: ignore[arg-type]
    assert str(raised.value) == message
    assert snapshot == (acc, hash(acc))


def test_assign_owner_changes_the_person_in_charge() -> None:
    acc = assign_owner(customer(), ["F-1", "F-3"], "sales-anna", ON, by="marie")
    assert [i.owner for i in acc.items] == ["sales-anna", None, "sales-anna"]
    assert acc.journal == (
        OwnerAssigned(on=ON, by="marie", item_ids={"F-1", "F-3"}, owner="sales-anna"),
    )
    assert assign_owner(acc, ["F-1"], None, ON).item("F-1").owner is None
    with pytest.raises(UnknownItemError, match="assign_owner: no item 'F-7'"):
        assign_owner(acc, ["F-7"], "x", ON)


# --- properties -----------------------------------------------------------------------


@given(policies(), st.data())
def test_apply_status_keeps_the_invariants(pol, data) -> None:
    acc = data.draw(accounts(policy=pol))
    open_ids = sorted(i.id for i in acc.items if i.is_open)
    if not open_ids:
        return
    chosen = data.draw(st.sets(st.sampled_from(open_ids), min_size=1))
    status = data.draw(st.sampled_from([None, *pol.statuses]))
    on = data.draw(dates())
    follow_up = data.draw(
        st.sampled_from([FollowUp.DEFAULT, FollowUp.KEEP, FollowUp.SCENARIO, CALL_BACK])
    )
    snapshot = (acc, hash(acc), pol, hash(pol))
    try:
        after = apply_status(acc, chosen, status, pol, on, follow_up=follow_up)
    except (RuleViolation, ConfigurationError):
        assert status is not None
        assert status.is_dispute
        assert follow_up in (FollowUp.KEEP, FollowUp.SCENARIO)
        assert snapshot == (acc, hash(acc), pol, hash(pol))
        return
    assert snapshot == (acc, hash(acc), pol, hash(pol))
    assert [(i.id, i.amount, i.open_amount) for i in after.items] == [
        (i.id, i.amount, i.open_amount) for i in acc.items
    ]
    for item in after.items:
        before = acc.item(item.id)
        if item.id in chosen:
            assert item.status == (None if status is None else status.code)
        else:
            assert item == before
    excluded = excluded_item_ids(after, pol)
    if (status is not None and status.is_dispute) or isinstance(follow_up, type(CALL_BACK)):
        assert chosen <= excluded
    elif follow_up is FollowUp.SCENARIO:
        assert not chosen & excluded
    elif follow_up is FollowUp.KEEP:
        assert excluded == excluded_item_ids(acc, pol)
    held: dict[str, int] = {}
    for action in after.actions:
        if action.is_open:
            for item_id in action.item_ids:
                held[item_id] = held.get(item_id, 0) + 1
    assert set(held) == excluded
    assert set(held.values()) <= {1}
    assert attrs.evolve(after) == after
