"""The account journal: what happened to an account, who did it and when.

Every operation that changes an account appends events to ``Account.journal`` (a
tuple, oldest first), so an application can persist and audit them.  Each event
carries ``on`` (the date the operation took effect) and ``by`` (the user acting, when
the caller says).  The rules read the journal too: the scenario actions recorded in
it make up the current cycle (see ``next_action``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from collectlib._checks import check_date, check_text, to_frozenset
from collectlib.enums import Channel, PlanState

__all__ = [
    "ActionCancelled",
    "ActionCompleted",
    "ActionCreated",
    "ActionDeleted",
    "ActionRescheduled",
    "ItemsReleased",
    "ItemsSynced",
    "JournalEvent",
    "OwnerAssigned",
    "PlanCancelled",
    "PlanCreated",
    "PlanReviewed",
    "ScenarioActionRecorded",
    "StatusApplied",
]


@attrs.frozen(kw_only=True)
class JournalEvent:
    """What every journal event has: the date it took effect and the user acting."""

    on: dt.date
    by: str | None = None

    def __attrs_post_init__(self) -> None:
        owner = type(self).__name__
        check_date(owner, "on", self.on)
        check_text(owner, "by", self.by, optional=True)


@attrs.frozen(kw_only=True)
class ScenarioActionRecorded(JournalEvent):
    """A proposed scenario step was performed (``record_action``)."""

    scenario: str
    step_index: int
    """The position of the step in the scenario, from 0."""
    step_name: str
    channel: Channel
    leader_id: str
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset)
    amount: Decimal
    """The balance the action was about."""
    note: str = ""


@attrs.frozen(kw_only=True)
class StatusApplied(JournalEvent):
    """Items were qualified with a status (``status`` None: the qualification was cleared)."""

    item_ids: frozenset[str] = attrs.field(converter=to_frozenset)
    status: str | None
    comment: str = ""
    owner: str | None = None
    promise_date: dt.date | None = None


@attrs.frozen(kw_only=True)
class OwnerAssigned(JournalEvent):
    """Items got a new person in charge of resolution."""

    item_ids: frozenset[str] = attrs.field(converter=to_frozenset)
    owner: str | None


@attrs.frozen(kw_only=True)
class ActionCreated(JournalEvent):
    """A specific action was created on items, taking them out of the scenario."""

    action_id: str
    name: str
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset)
    due_on: dt.date
    origin_status: str | None = None
    plan_id: str | None = None


@attrs.frozen(kw_only=True)
class ItemsReleased(JournalEvent):
    """Items left an open action (moved to another action, closed, or back to the scenario)."""

    action_id: str
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset)


@attrs.frozen(kw_only=True)
class ActionRescheduled(JournalEvent):
    """An open action got a new due date."""

    action_id: str
    due_on: dt.date
    previous_due_on: dt.date


@attrs.frozen(kw_only=True)
class ActionCompleted(JournalEvent):
    """An action was done; its items returned to the scenario."""

    action_id: str
    note: str = ""


@attrs.frozen(kw_only=True)
class ActionCancelled(JournalEvent):
    """An action was cancelled (by a user, or because it was left with no item)."""

    action_id: str
    reason: str = ""


@attrs.frozen(kw_only=True)
class ActionDeleted(JournalEvent):
    """An open action was deleted because all its items were closed."""

    action_id: str


@attrs.frozen(kw_only=True)
class ItemsSynced(JournalEvent):
    """An ERP extract was merged: items added, updated, and closed (paid)."""

    added: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    updated: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    closed: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    """Items that were open and are now closed."""


@attrs.frozen(kw_only=True)
class PlanCreated(JournalEvent):
    """A payment plan was agreed on items."""

    plan_id: str
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset)
    total: Decimal
    comment: str = ""


@attrs.frozen(kw_only=True)
class PlanReviewed(JournalEvent):
    """A payment plan was reviewed; ``state`` is what the review found."""

    plan_id: str
    state: PlanState
    next_due_on: dt.date | None = None


@attrs.frozen(kw_only=True)
class PlanCancelled(JournalEvent):
    """A payment plan was broken off; its items returned to the scenario."""

    plan_id: str
    reason: str = ""
