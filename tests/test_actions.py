"""SPEC §4: specific actions — create, reschedule, complete, cancel; items between actions."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import CALL_BACK, account, d, invoice, qualifying_policy
from collectlib import (
    ActionCancelled,
    ActionCompleted,
    ActionCreated,
    ActionRescheduled,
    ActionState,
    ActionTemplate,
    Channel,
    FollowUp,
    ItemsReleased,
    RuleViolation,
    StatusApplied,
    StatusCategory,
    UnknownActionError,
    UnknownItemError,
    ValidationError,
    apply_status,
    balance,
    cancel_action,
    collectable_items,
    complete_action,
    create_action,
    excluded_item_ids,
    leader_invoice,
    next_action,
    reschedule_action,
)
from collectlib.strategies import accounts, dates

ON = d("2026-03-02")


def three_invoices():  # the usual customer file
    return account(
        invoice("F-1", "2026-01-10", 500),
        invoice("F-2", "2026-02-10", 300),
        invoice("F-3", "2026-03-10", 200, open_amount=0),
    )


def test_action_takes_its_items_out_of_the_scenario() -> None:
    acc = create_action(three_invoices(), ["F-1"], CALL_BACK, ON, by="marie")
    (created,) = acc.actions
    assert (created.id, created.name, created.due_on, created.created_on) == (
        "A1",
        "call back",
        d("2026-03-05"),
        ON,
    )
    assert created.item_ids == {"F-1"}
    assert excluded_item_ids(acc, qualifying_policy()) == {"F-1"}
    assert next_action(acc, qualifying_policy(), ON).leader_id == "F-2"
    assert acc.journal == (
        ActionCreated(
            on=ON,
            by="marie",
            action_id="A1",
            name="call back",
            item_ids={"F-1"},
            due_on=d("2026-03-05"),
        ),
    )


def test_due_date_and_id_can_be_given() -> None:
    acc = create_action(
        three_invoices(), {"F-1", "F-2"}, CALL_BACK, ON, due_on=d("2026-04-01"), action_id="DISP-7"
    )
    assert (acc.actions[0].id, acc.actions[0].due_on) == ("DISP-7", d("2026-04-01"))


def test_one_item_id_may_be_given_as_a_string() -> None:
    assert create_action(three_invoices(), "F-1", CALL_BACK, ON).actions[0].item_ids == {"F-1"}


def test_the_action_takes_the_sending_mode_and_message_of_its_template() -> None:
    template = ActionTemplate(
        name="reminder", channel="EMAIL", template="#total_due", automatic=True
    )
    (action,) = create_action(three_invoices(), ["F-1"], template, ON).actions
    assert (action.channel, action.automatic, action.to_be_confirmed, action.template) == (
        Channel.EMAIL,
        True,
        False,
        "#total_due",
    )
    confirmed = attrs.evolve(template, to_be_confirmed=True)
    (action,) = create_action(three_invoices(), ["F-1"], confirmed, ON).actions
    assert (action.automatic, action.to_be_confirmed) == (True, True)


def test_generated_ids_follow_the_highest_one() -> None:
    acc = create_action(three_invoices(), ["F-1"], CALL_BACK, ON, action_id="A7")
    acc = create_action(acc, ["F-2"], CALL_BACK, ON)
    assert [a.id for a in acc.actions] == ["A7", "A8"]


def test_new_action_takes_items_from_the_old_one_which_is_cancelled_when_empty() -> None:
    acc = create_action(three_invoices(), ["F-1", "F-2"], CALL_BACK, ON)
    acc = create_action(acc, ["F-2"], CALL_BACK, ON, by="marie")
    assert [(a.id, sorted(a.item_ids), a.state) for a in acc.actions] == [
        ("A1", ["F-1"], ActionState.OPEN),
        ("A2", ["F-2"], ActionState.OPEN),
    ]
    assert ItemsReleased(on=ON, by="marie", action_id="A1", item_ids={"F-2"}) in acc.journal
    acc = create_action(acc, ["F-1", "F-2"], CALL_BACK, ON, by="paul")
    assert [(a.id, a.state) for a in acc.actions] == [
        ("A1", ActionState.CANCELLED),
        ("A2", ActionState.CANCELLED),
        ("A3", ActionState.OPEN),
    ]
    assert acc.actions[0].closed_on == ON
    assert (
        ActionCancelled(on=ON, by="paul", action_id="A1", reason="its items moved") in acc.journal
    )


def test_a_new_action_leaves_closed_actions_and_the_actions_of_other_items_alone() -> None:
    acc = create_action(three_invoices(), ["F-1"], CALL_BACK, ON)
    acc = cancel_action(acc, "A1", qualifying_policy(), ON)  # A1 is closed, still naming F-1
    acc = create_action(acc, ["F-2"], CALL_BACK, ON)
    later = d("2026-03-03")
    after = create_action(acc, ["F-1"], CALL_BACK, later)
    assert after.actions[:2] == acc.actions
    assert after.journal[len(acc.journal) :] == (
        ActionCreated(
            on=later,
            action_id="A3",
            name="call back",
            item_ids={"F-1"},
            due_on=d("2026-03-06"),
        ),
    )


def test_reschedule_moves_the_due_date() -> None:
    acc = create_action(three_invoices(), ["F-1"], CALL_BACK, ON)
    assert reschedule_action(acc, "A1", ON, ON).actions[0].due_on == ON  # due today: allowed
    acc = reschedule_action(acc, "A1", d("2026-03-20"), d("2026-03-05"), by="paul")
    assert acc.actions[0].due_on == d("2026-03-20")
    assert acc.journal[-1] == ActionRescheduled(
        on=d("2026-03-05"),
        by="paul",
        action_id="A1",
        due_on=d("2026-03-20"),
        previous_due_on=d("2026-03-05"),
    )


def test_completing_returns_items_to_the_scenario_and_resolves_disputes() -> None:
    pol = qualifying_policy()
    acc = three_invoices()
    acc = attrs.evolve(
        acc,
        items=(
            attrs.evolve(acc.items[0], status="price-dispute", promise_date=d("2026-03-20")),
            attrs.evolve(acc.items[1], status="ongoing"),
            acc.items[2],
        ),
    )
    acc = create_action(acc, ["F-1", "F-2"], CALL_BACK, ON)
    done = complete_action(acc, "A1", pol, d("2026-03-10"), note="credit note agreed", by="marie")
    assert (done.actions[0].state, done.actions[0].closed_on) == (ActionState.DONE, d("2026-03-10"))
    assert [i.status for i in done.items] == ["resolved", "ongoing", None]
    assert (done.item("F-1").status_date, done.item("F-1").promise_date) == (d("2026-03-10"), None)
    assert done.journal[-2:] == (
        ActionCompleted(on=d("2026-03-10"), by="marie", action_id="A1", note="credit note agreed"),
        StatusApplied(
            on=d("2026-03-10"),
            by="marie",
            item_ids={"F-1"},
            status="resolved",
            comment="credit note agreed",
        ),
    )
    assert {i.id for i in collectable_items(done, pol)} == {"F-1", "F-2"}


def test_completing_without_a_dispute_resolved_status_keeps_statuses() -> None:
    acc = attrs.evolve(
        three_invoices(), items=(attrs.evolve(three_invoices().items[0], status="ongoing"),)
    )
    acc = create_action(acc, ["F-1"], CALL_BACK, ON)
    done = complete_action(acc, "A1", qualifying_policy(dispute_resolved_status=None), ON)
    assert done.item("F-1").status == "ongoing"


def disputed_invoice():
    """F-1 (1,000.00 due 2026-02-01) disputed on 2026-02-20: its follow-up call is A1."""
    pol = qualifying_policy()
    acc = apply_status(three_invoices(), ["F-1"], "price-dispute", pol, d("2026-02-20"))
    assert acc.action("A1").is_open
    return acc


@pytest.mark.parametrize("close", ["cancel", "complete"])
def test_a_disputed_invoice_is_never_left_without_its_follow_up(close) -> None:
    # The collector cancels the dispute's follow-up call (or completes it under a policy
    # that does not resolve disputes): the invoice would go back to the dunning scenario.
    pol = qualifying_policy(dispute_resolved_status=None)
    acc = disputed_invoice()
    operation = cancel_action if close == "cancel" else complete_action
    with pytest.raises(RuleViolation, match=r"'F-1', still in a dispute.*re-qualify them first"):
        operation(acc, "A1", pol, d("2026-03-01"))
    # The invoice stays out of the scenario: the disputed item is not dunned, nor the leader.
    assert "F-1" in excluded_item_ids(acc, pol)
    assert leader_invoice(acc, pol).id != "F-1"


@pytest.mark.parametrize("operation", [cancel_action, complete_action])
def test_the_refusal_names_every_disputed_item_left_without_follow_up(operation) -> None:
    pol = qualifying_policy(dispute_resolved_status=None)
    acc = apply_status(three_invoices(), ["F-1", "F-2"], "price-dispute", pol, d("2026-02-20"))
    with pytest.raises(RuleViolation) as raised:
        operation(acc, "A1", pol, d("2026-03-01"))
    assert str(raised.value) == (
        f"account 'C-1': {operation.__name__}: action 'A1' is the follow-up of 'F-1', 'F-2', "
        "still in a dispute or litigation status: re-qualify them first "
        "(a disputed item is never left without a follow-up)"
    )


def test_a_disputed_invoice_re_qualified_first_can_leave_its_action() -> None:
    pol = qualifying_policy(dispute_resolved_status=None)
    acc = disputed_invoice()
    acc = apply_status(acc, ["F-1"], "ongoing", pol, d("2026-03-01"), follow_up=FollowUp.KEEP)
    acc = cancel_action(acc, "A1", pol, d("2026-03-01"))
    assert "F-1" not in excluded_item_ids(acc, pol)
    assert acc.journal[-1] == ActionCancelled(on=d("2026-03-01"), action_id="A1")  # no reason


def test_completing_resolves_the_dispute_when_the_policy_says_how() -> None:
    pol = qualifying_policy()  # dispute_resolved_status="resolved"
    done = complete_action(disputed_invoice(), "A1", pol, d("2026-03-01"))
    assert done.item("F-1").status == "resolved"
    assert done.journal[-2:] == (  # no note
        ActionCompleted(on=d("2026-03-01"), action_id="A1"),
        StatusApplied(on=d("2026-03-01"), item_ids={"F-1"}, status="resolved"),
    )
    assert "F-1" not in excluded_item_ids(done, pol)


def test_a_litigated_item_is_excluded_without_any_action() -> None:
    # An item that arrives from the ERP already in litigation: out of the scenario.
    pol = qualifying_policy()
    lit = next(s for s in pol.statuses if s.category is StatusCategory.LITIGATION)
    acc = attrs.evolve(
        three_invoices(), items=(attrs.evolve(three_invoices().items[0], status=lit.code),)
    )
    assert excluded_item_ids(acc, pol) == {"F-1"}
    assert balance(acc, pol) == 0 or leader_invoice(acc, pol).id != "F-1"


def test_cancelling_returns_items_to_the_scenario() -> None:
    acc = create_action(three_invoices(), ["F-1"], CALL_BACK, ON)
    acc = cancel_action(acc, "A1", qualifying_policy(), ON, reason="wrong customer", by="marie")
    assert (acc.actions[0].state, excluded_item_ids(acc, qualifying_policy())) == (
        ActionState.CANCELLED,
        frozenset(),
    )
    assert acc.journal[-1] == ActionCancelled(
        on=ON, by="marie", action_id="A1", reason="wrong customer"
    )


@pytest.mark.parametrize(
    ("items", "error", "message"),
    [
        ([], ValidationError, "account 'C-1': create_action: no item selected"),
        (
            ["F-4", "F-1", "F-3"],
            RuleViolation,
            "account 'C-1': create_action: item 'F-3', 'F-4' is closed",
        ),
        (
            ["F-1", "F-9", "F-8"],
            UnknownItemError,
            "account 'C-1': create_action: no item 'F-8', 'F-9'",
        ),
        (["F-1", "F-3"], RuleViolation, "account 'C-1': create_action: item 'F-3' is closed"),
        (
            7,
            ValidationError,
            "account 'C-1': create_action: item_ids must be a collection of ids, not 7",
        ),
    ],
)
def test_bad_selections_are_refused(items: object, error: type[Exception], message: str) -> None:
    acc = account(*three_invoices().items, invoice("F-4", "2026-03-10", 100, open_amount=0))
    with pytest.raises(error) as raised:
        create_action(acc, items, CALL_BACK, ON)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_other_bad_inputs_are_refused() -> None:
    acc = create_action(three_invoices(), ["F-1"], CALL_BACK, ON)
    with pytest.raises(RuleViolation, match=r"^account 'C-1': an action 'A1' exists already$"):
        create_action(acc, ["F-2"], CALL_BACK, ON, action_id="A1")
    with pytest.raises(
        RuleViolation,
        match=r"^account 'C-1': action due on 2026-03-01, before the day it is created \(2026-03-02\)$",
    ):
        create_action(acc, ["F-2"], CALL_BACK, ON, due_on=d("2026-03-01"))
    with pytest.raises(ValidationError, match="template must be an ActionTemplate"):
        create_action(acc, ["F-2"], "call", ON)  # type: ignore[arg-type]
    with pytest.raises(UnknownActionError, match="account 'C-1': no action 'A9'"):
        reschedule_action(acc, "A9", ON, ON)
    with pytest.raises(
        RuleViolation,
        match=r"^account 'C-1': reschedule_action: 2026-03-01 is before the day it is done \(2026-03-02\)$",
    ):
        reschedule_action(acc, "A1", d("2026-03-01"), ON)
    done = cancel_action(acc, "A1", qualifying_policy(), ON)
    for name, operation in (
        ("reschedule_action", lambda: reschedule_action(done, "A1", ON, ON)),
        ("complete_action", lambda: complete_action(done, "A1", qualifying_policy(), ON)),
        ("cancel_action", lambda: cancel_action(done, "A1", qualifying_policy(), ON)),
    ):
        with pytest.raises(RuleViolation) as raised:
            operation()
        assert str(raised.value) == f"account 'C-1': {name}: action 'A1' is CANCELLED, not OPEN"
    with pytest.raises(ValidationError, match="create_action: on must be a date"):
        create_action(acc, ["F-2"], CALL_BACK, "2026-03-02")  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------

TEMPLATES = st.sampled_from(
    [CALL_BACK, ActionTemplate(name="e-mail", channel="EMAIL", template="#total_due")]
)


@given(accounts(), TEMPLATES, dates(), st.data())
def test_create_moves_items_and_keeps_every_invariant(acc, template, on, data) -> None:
    open_ids = sorted(i.id for i in acc.items if i.is_open)
    if not open_ids:
        return
    chosen = data.draw(st.sets(st.sampled_from(open_ids), min_size=1))
    snapshot = (acc, hash(acc))
    after = create_action(acc, chosen, template, on)
    assert snapshot == (acc, hash(acc))
    held = [a for a in after.actions if a.is_open and a.item_ids & chosen]
    assert len(held) == 1
    assert held[0].item_ids == chosen
    assert chosen <= excluded_item_ids(after, qualifying_policy())
    assert [(i.id, i.amount, i.open_amount) for i in after.items] == [
        (i.id, i.amount, i.open_amount) for i in acc.items
    ]
    for old in acc.actions:
        new = after.action(old.id)
        if old.is_open and old.item_ids <= chosen:
            assert new.state is ActionState.CANCELLED
        elif old.is_open:
            assert new.item_ids == old.item_ids - chosen


@given(accounts(), dates(), st.data())
def test_closing_an_action_frees_its_items_unless_held_elsewhere(acc, on, data) -> None:
    opened = [a for a in acc.actions if a.is_open]
    if not opened:
        return
    target = data.draw(st.sampled_from(opened))
    close = data.draw(st.sampled_from(["complete", "cancel"]))
    try:
        after = (
            complete_action(acc, target.id, qualifying_policy(), on)
            if close == "complete"
            else cancel_action(acc, target.id, qualifying_policy(), on)
        )
    except RuleViolation:  # it is the follow-up of an item still disputed: nothing changes
        held = qualifying_policy().held_statuses
        assert any(acc.item(i).status in held and acc.item(i).is_open for i in target.item_ids)
        return
    pol = qualifying_policy()
    disputed = {i.id for i in after.items if i.status in pol.held_statuses}
    excluded = excluded_item_ids(after, pol)
    assert not (target.item_ids - disputed) & excluded
    assert excluded == excluded_item_ids(acc, pol) - (target.item_ids - disputed)
