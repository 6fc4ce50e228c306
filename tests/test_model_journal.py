"""Journal events (SPEC §0 "Traceability"): every field checked, like any record's."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given

from collectlib import (
    AccountPaused,
    ActionCancelled,
    ActionCompleted,
    ActionCreated,
    ActionDeleted,
    ActionRescheduled,
    Channel,
    HoldReleased,
    ItemsReleased,
    ItemsSynced,
    JournalEvent,
    OwnerAssigned,
    PauseEnded,
    PlanCancelled,
    PlanCreated,
    PlanReviewed,
    PlanState,
    ScenarioActionRecorded,
    StatusApplied,
    ValidationError,
)
from collectlib.model import journal
from collectlib.strategies import journal_events

DAY = dt.date(2026, 2, 14)
MIDNIGHT = dt.datetime(2026, 2, 14)

# One valid example of every event, with every field given.
EXAMPLES: dict[type[JournalEvent], dict[str, Any]] = {
    ScenarioActionRecorded: {
        "scenario": "standard",
        "step_index": 0,
        "step_name": "reminder",
        "channel": Channel.EMAIL,
        "leader_id": "F-1",
        "item_ids": frozenset({"F-1", "F-2"}),
        "amount": Decimal("150.00"),
        "note": "sent",
    },
    StatusApplied: {
        "item_ids": frozenset({"F-1"}),
        "status": "promise",
        "comment": "will pay",
        "owner": "ana",
        "promise_date": DAY,
    },
    OwnerAssigned: {"item_ids": frozenset({"F-1"}), "owner": "ana"},
    ActionCreated: {
        "action_id": "A1",
        "name": "follow-up",
        "item_ids": frozenset({"F-1"}),
        "due_on": DAY,
        "origin_status": "price",
        "plan_id": "P1",
    },
    ItemsReleased: {"action_id": "A1", "item_ids": frozenset({"F-1"})},
    ActionRescheduled: {"action_id": "A1", "due_on": DAY, "previous_due_on": DAY},
    ActionCompleted: {"action_id": "A1", "note": "called"},
    ActionCancelled: {"action_id": "A1", "reason": "paid"},
    ActionDeleted: {"action_id": "A1"},
    ItemsSynced: {
        "added": frozenset({"F-3"}),
        "updated": frozenset({"F-1"}),
        "closed": frozenset({"F-2"}),
    },
    PlanCreated: {
        "plan_id": "P1",
        "item_ids": frozenset({"F-1"}),
        "total": Decimal(300),
        "comment": "3 months",
    },
    PlanReviewed: {"plan_id": "P1", "state": PlanState.LATE, "next_due_on": DAY},
    PlanCancelled: {"plan_id": "P1", "reason": "broken"},
    AccountPaused: {"until": DAY, "reason": "holiday"},
    PauseEnded: {},
    HoldReleased: {"reason": "guarantee received"},
}

# A wrong value for each field type, and what the message says about it.
WRONG: dict[str, tuple[object, str]] = {
    "dt.date": (MIDNIGHT, r" must be a date, not datetime\.datetime\(2026, 2, 14, 0, 0\)$"),
    "dt.date | None": (MIDNIGHT, r" must be a date, not datetime\.datetime"),
    "str": (5, r" must be a (non-empty )?string.*, not 5$"),
    "str | None": (5, r" must be a (non-empty )?string.*, not 5$"),
    "int": (True, r" must be a whole number, not True$"),
    "frozenset[str]": ([5], r"\[0\] must be a str, not 5$"),
    "Decimal": ("abc", r": not an amount: 'abc'$"),
    "Channel": ("PIGEON", r": unknown Channel 'PIGEON'"),
    "PlanState": ("LOST", r": unknown PlanState 'LOST'"),
    "bool": (1, r" must be True or False, not 1$"),
}


def _written_type(kind: type, field: str) -> str:
    """The field's annotation as written (``attrs`` types may have been resolved by cattrs)."""
    for cls in kind.__mro__:
        written = inspect.get_annotations(cls)
        if field in written:
            return str(written[field])
    raise KeyError(field)


def event(kind: type[JournalEvent], **changes: Any) -> JournalEvent:
    """The example event of ``kind``, changed as asked."""
    return kind(**{"on": DAY, "by": "ana", **EXAMPLES[kind], **changes})


CASES = [
    pytest.param(kind, field.name, id=f"{kind.__name__}.{field.name}")
    for kind in EXAMPLES
    for field in attrs.fields(kind)
]


def test_every_journal_event_has_an_example_here() -> None:
    events = {getattr(journal, name) for name in journal.__all__} - {JournalEvent}
    assert events == set(EXAMPLES)
    assert all(issubclass(kind, JournalEvent) for kind in events)


@pytest.mark.parametrize("kind", list(EXAMPLES), ids=[k.__name__ for k in EXAMPLES])
def test_an_event_keeps_its_fields_and_is_equal_by_value(kind: type[JournalEvent]) -> None:
    built = event(kind)
    for name, value in EXAMPLES[kind].items():
        assert getattr(built, name) == value
    assert built == event(kind)
    assert hash(built) == hash(event(kind))
    assert built != event(kind, on=DAY + dt.timedelta(days=1))


@pytest.mark.parametrize(("kind", "field"), CASES)
def test_a_wrong_type_in_any_event_field_names_the_event_and_field(
    kind: type[JournalEvent], field: str
) -> None:
    value, match = WRONG[_written_type(kind, field)]
    with pytest.raises(ValidationError, match=rf"^{kind.__name__}: {field}{match}"):
        event(kind, **{field: value})


@pytest.mark.parametrize("kind", list(EXAMPLES), ids=[k.__name__ for k in EXAMPLES])
def test_an_event_date_is_a_date_not_a_datetime(kind: type[JournalEvent]) -> None:
    with pytest.raises(ValidationError, match=rf"^{kind.__name__}: on must be a date, not "):
        event(kind, on=MIDNIGHT)
    with pytest.raises(ValidationError, match=rf"^{kind.__name__}: on must be a date, not None"):
        event(kind, on=None)


@pytest.mark.parametrize("kind", list(EXAMPLES), ids=[k.__name__ for k in EXAMPLES])
def test_an_event_may_say_nobody_in_particular_did_it(kind: type[JournalEvent]) -> None:
    assert event(kind, by=None).by is None


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        (ScenarioActionRecorded, "step_name", ""),
        (ScenarioActionRecorded, "leader_id", " F-1"),
        (ActionCreated, "action_id", ""),
        (StatusApplied, "status", ""),
        (PlanCancelled, "plan_id", ""),
    ],
)
def test_an_id_in_an_event_is_a_non_empty_string(
    kind: type[JournalEvent], field: str, value: str
) -> None:
    with pytest.raises(
        ValidationError, match=rf"^{kind.__name__}: {field} must be a non-empty string"
    ):
        event(kind, **{field: value})


def test_a_step_index_counts_from_zero() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^ScenarioActionRecorded: step_index must be at least 0, not -1$",
    ):
        event(ScenarioActionRecorded, step_index=-1)


@pytest.mark.parametrize("amount", [float("nan"), Decimal("Infinity"), True])
def test_an_event_amount_is_a_finite_amount(amount: object) -> None:
    with pytest.raises(ValidationError, match=r"^ScenarioActionRecorded: amount: not an amount"):
        event(ScenarioActionRecorded, amount=amount)
    with pytest.raises(ValidationError, match=r"^PlanCreated: total: not an amount"):
        event(PlanCreated, total=amount)


def test_event_fields_are_read_leniently_like_records() -> None:
    recorded = event(ScenarioActionRecorded, channel="LETTER", amount=100.1, item_ids=["F-1"])
    assert recorded.channel is Channel.LETTER  # type: ignore[attr-defined]
    assert recorded.amount == Decimal("100.1")  # type: ignore[attr-defined]
    assert recorded.item_ids == frozenset({"F-1"})  # type: ignore[attr-defined]
    assert event(PlanReviewed, state="ON_TRACK").state is PlanState.ON_TRACK  # type: ignore[attr-defined]
    assert event(PlanCreated, total="300.00").total == Decimal(300)  # type: ignore[attr-defined]


def test_a_status_cleared_is_recorded_with_no_status() -> None:
    assert event(StatusApplied, status=None).status is None  # type: ignore[attr-defined]


def test_a_sync_may_change_nothing() -> None:
    synced = ItemsSynced(on=DAY)
    assert (synced.added, synced.updated, synced.closed) == (frozenset(),) * 3


@given(journal_events())
def test_an_event_rebuilt_from_its_fields_is_equal_and_hashes_alike(drawn: object) -> None:
    assert isinstance(drawn, JournalEvent)
    copy = type(drawn)(**attrs.asdict(drawn, recurse=False))
    assert copy == drawn
    assert hash(copy) == hash(drawn)
