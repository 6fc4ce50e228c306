"""Every operation checks its arguments, names itself and the argument, and records `by`.

One table for all operations, so a new operation cannot forget to check its date, its
texts or its user, and every default (empty comment, note, reason) is pinned.  Every
argument of every public function, reading ones included, is tried with values of the
wrong type in ``test_public_arguments``; this table pins the wording of the common ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from builders import CALL_BACK, STATUSES, account, d, invoice, qualifying_policy
from collectlib import (
    Account,
    ActionTemplate,
    JournalEvent,
    Status,
    StatusCategory,
    ValidationError,
    apply_status,
    assign_owner,
    cancel_action,
    cancel_plan,
    complete_action,
    create_action,
    create_plan,
    next_action,
    quick_promise,
    record_action,
    reschedule_action,
    review_plan,
    schedule,
    sync_items,
)
from collectlib._checks import read_date

ON = d("2026-03-02")
PLAN = Status(
    code="plan",
    category=StatusCategory.PAYMENT_PLAN,
    action=ActionTemplate(name="check", channel="CALL"),
)
POLICY = qualifying_policy(statuses=(*STATUSES, PLAN))


def customer() -> Account:
    return account(
        invoice("F-1", "2026-01-10", 500),
        invoice("F-2", "2026-02-10", 300),
        invoice("F-3", "2026-02-20", 90),
    )


def with_action() -> Account:
    return create_action(customer(), ["F-1"], CALL_BACK, ON)


def with_plan() -> Account:
    return create_plan(customer(), ["F-2"], schedule(300, 3, d("2026-03-10")), POLICY, ON)


# name, operation(account, **arguments), the account, the valid arguments
OPERATIONS: list[tuple[str, Callable[..., Any], Callable[[], Account], dict[str, Any]]] = [
    ("apply_status", lambda a, **k: apply_status(a, ["F-1"], "ongoing", POLICY, **k), customer,
     {"on": ON, "comment": "called", "owner": "anna", "by": "marie"}),
    ("assign_owner", lambda a, **k: assign_owner(a, ["F-1"], **k), customer, {"owner": "anna", "on": ON, "by": "marie"}),
    ("quick_promise", lambda a, **k: quick_promise(a, ["F-1"], POLICY, **k), customer,
     {"on": ON, "comment": "on Friday", "by": "marie"}),
    ("create_action", lambda a, **k: create_action(a, ["F-1"], CALL_BACK, **k), customer,
     {"on": ON, "due_on": d("2026-03-09"), "by": "marie"}),
    ("reschedule_action", lambda a, **k: reschedule_action(a, "A1", **k), with_action,
     {"due_on": d("2026-03-09"), "on": ON, "by": "marie"}),
    ("complete_action", lambda a, **k: complete_action(a, "A1", POLICY, **k), with_action,
     {"on": ON, "note": "done", "by": "marie"}),
    ("cancel_action", lambda a, **k: cancel_action(a, "A1", **k), with_action, {"policy": qualifying_policy(), "on": ON, "reason": "wrong", "by": "marie"}),
    ("sync_items", lambda a, **k: sync_items(a, a.items[1:], **k), customer, {"on": ON, "by": "erp"}),
    ("create_plan", lambda a, **k: create_plan(a, ["F-2"], schedule(300, 3, d("2026-03-10")), POLICY, **k), customer,
     {"on": ON, "comment": "3 x 100", "by": "marie"}),
    ("review_plan", lambda a, **k: review_plan(a, "P1", POLICY, **k), with_plan, {"on": d("2026-03-12"), "by": "marie"}),
    ("cancel_plan", lambda a, **k: cancel_plan(a, "P1", **k), with_plan, {"on": ON, "reason": "broken", "by": "marie"}),
    ("record_action", lambda a, **k: record_action(a, next_action(a, POLICY, ON), POLICY, **k), customer,
     {"on": ON, "note": "sent", "by": "marie"}),
]  # fmt: skip

BAD = {"on": "2026-03-02", "today": dt.datetime(2026, 3, 2), "due_on": "2026-03-09", "comment": None, "note": 5,
       "reason": b"x", "by": 7, "owner": 3, "policy": "standard"}  # fmt: skip
EXPECTED = {"on": "must be a date", "today": "must be a date", "due_on": "must be a date",
            "comment": "must be a string", "note": "must be a string", "reason": "must be a string",
            "by": "must be a string", "owner": "must be a string", "policy": "must be a Policy"}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "operation", "start", "arguments", "argument"),
    [(n, o, s, a, arg) for n, o, s, a in OPERATIONS for arg in a],
    ids=[f"{n}-{arg}" for n, _, _, a in OPERATIONS for arg in a],
)
def test_a_bad_argument_names_the_operation_and_the_argument(
    name, operation, start, arguments, argument
) -> None:
    acc = start()
    snapshot = (acc, hash(acc))
    with pytest.raises(ValidationError, match=rf"^{name}: {argument} {EXPECTED[argument]}"):
        operation(acc, **{**arguments, argument: BAD[argument]})
    assert snapshot == (acc, hash(acc))


@pytest.mark.parametrize(
    ("name", "operation", "start", "arguments"), OPERATIONS, ids=[o[0] for o in OPERATIONS]
)
def test_every_event_an_operation_writes_names_the_user_and_the_day(
    name, operation, start, arguments
) -> None:
    acc = start()
    after = operation(acc, **arguments)
    new: list[JournalEvent] = list(after.journal[len(acc.journal) :])
    assert new, f"{name} wrote no journal event"
    day = arguments.get("on", arguments.get("today"))
    assert {(e.on, e.by) for e in new} == {(day, arguments["by"])}


@pytest.mark.parametrize(
    ("operation", "field", "event_field"),
    [
        (lambda a: quick_promise(a, ["F-1"], POLICY, ON), "comment", "comment"),
        (lambda a: apply_status(a, ["F-1"], "ongoing", POLICY, ON), "comment", "comment"),
        (lambda a: complete_action(with_action(), "A1", POLICY, ON), "note", "note"),
        (lambda a: cancel_action(with_action(), "A1", qualifying_policy(), ON), "reason", "reason"),
        (lambda a: cancel_plan(with_plan(), "P1", ON), "reason", "reason"),
        (lambda a: record_action(a, next_action(a, POLICY, ON), POLICY, ON), "note", "note"),
        (lambda a: create_plan(a, ["F-2"], schedule(300, 1, ON), POLICY, ON), "comment", "comment"),
    ],
)
def test_texts_default_to_empty_and_nobody_acts_by_default(operation, field, event_field) -> None:
    after = operation(customer())
    event = next(e for e in reversed(after.journal) if hasattr(e, event_field))
    assert getattr(event, event_field) == ""
    assert all(e.by is None for e in after.journal)


def test_a_completed_plan_notes_it_was_paid() -> None:
    import attrs

    acc = with_plan()
    paid = attrs.evolve(
        acc, items=tuple(attrs.evolve(i, open_amount=0) if i.id == "F-2" else i for i in acc.items)
    )
    done = review_plan(paid, "P1", POLICY, d("2026-03-06"), by="marie")
    completed = [e for e in done.journal if type(e).__name__ == "ActionCompleted"]
    assert [(e.note, e.by) for e in completed] == [("plan paid", "marie")]


def test_a_plan_paid_through_the_erp_import_reviews_as_completed() -> None:
    acc = with_plan()
    paid = sync_items(acc, [i for i in acc.items if i.id != "F-2"], d("2026-03-05"), by="erp")
    assert paid.actions[-1].state.value == "DELETED"
    done = review_plan(paid, "P1", POLICY, d("2026-03-06"))
    assert done.journal[-1].state.value == "COMPLETED"
    assert done.actions == paid.actions


def test_review_leaves_the_follow_up_alone_when_not_yet_due() -> None:
    acc = with_plan()
    reviewed = review_plan(acc, "P1", POLICY, d("2026-03-05"))
    assert reviewed.actions == acc.actions
    assert reviewed.journal[-1].state.value == "ON_TRACK"


# --- The shared checks (collectlib._checks): their whole wording -----------------------------


def test_the_shared_checks_name_the_record_the_field_and_the_value() -> None:
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: next_action("C-1", POLICY, ON), "next_action: account must be an Account, not 'C-1'"),
        (lambda: next_action(customer(), "standard", ON), "next_action: policy must be a Policy, not 'standard'"),
        (lambda: invoice("F\x1b1", "2026-01-10"),
         r"item: id must not contain control characters or surrogates, not 'F\x1b1'"),
        (lambda: apply_status(customer(), ["F-1"], "ongoing", POLICY, ON, comment="\ud800"),
         r"apply_status: comment must not contain lone surrogates, not '\ud800'"),
        (lambda: invoice("F-1", "2026-01-10", 10**18),
         "item 'F-1': amount: out of range: at most 18 digits before the decimal point and 18 "
         "after: 1000000000000000000"),
    ]  # fmt: skip
    for call, message in cases:
        with pytest.raises(ValidationError) as raised:
            call()
        assert str(raised.value) == message


def test_read_date_reads_a_date_or_iso_text_and_nothing_else() -> None:
    assert read_date(ON) is ON
    assert read_date(" 2026-03-02\n") == ON
    for value in ("02/03/2026", "", dt.datetime(2026, 3, 2), 20260302, None):
        assert read_date(value) is None
