"""The account journal: what happened to an account, who did it and when.

Every operation that changes an account appends events to ``Account.journal`` (a
tuple, oldest first), so an application can persist and audit them.  Each event
carries ``on`` (the date the operation took effect) and ``by`` (the user acting, when
the caller says).  The rules read the journal too: the scenario actions recorded in
it make up the current cycle (see ``next_action``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from collectlib._checks import (
    check_amount,
    check_bool,
    check_date,
    check_enum,
    check_id,
    check_instances,
    check_int,
    check_text,
    to_channel,
    to_frozenset,
    to_plan_state,
)
from collectlib.enums import Channel, PlanState
from collectlib.money import ZERO, coerce_amount

__all__ = [
    "AccountPaused",
    "ActionCancelled",
    "ActionCompleted",
    "ActionCreated",
    "ActionDeleted",
    "ActionRescheduled",
    "HoldReleased",
    "ItemsReleased",
    "ItemsSynced",
    "JournalEvent",
    "OwnerAssigned",
    "PauseEnded",
    "PlanCancelled",
    "PlanCreated",
    "PlanReviewed",
    "ScenarioActionRecorded",
    "StatusApplied",
]


_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _checked(check: Callable[..., None], **options: Any) -> _Validator:
    """Make an attrs validator running ``check(<event class>, <field>, value, **options)``."""

    def validate(event: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check(type(event).__name__, attribute.name, value, **options)

    return validate


def _check_optional_id(owner: str, field: str, value: object) -> None:
    if value is not None:
        check_id(owner, field, value)


_DATE = _checked(check_date)
_OPTIONAL_DATE = _checked(check_date, optional=True)
_ID = _checked(check_id)
_OPTIONAL_ID = _checked(_check_optional_id)
_TEXT = _checked(check_text)
_OPTIONAL_TEXT = _checked(check_text, optional=True)
_IDS = _checked(check_instances, kind=str)
_INDEX = _checked(check_int, minimum=0)
_TOTAL = _checked(check_amount, total=True)
_FEE = _checked(check_amount, minimum=ZERO, total=True)
_BOOL = _checked(check_bool)
_CHANNEL = _checked(check_enum, kind=Channel)
_PLAN_STATE = _checked(check_enum, kind=PlanState)


@attrs.frozen(kw_only=True)
class JournalEvent:
    """What every journal event has: the date it took effect and the user acting.

    Every field is checked when the event is built, like any record's.
    """

    on: dt.date = attrs.field(validator=_DATE)
    by: str | None = attrs.field(default=None, validator=_OPTIONAL_TEXT)


@attrs.frozen(kw_only=True)
class ScenarioActionRecorded(JournalEvent):
    """A proposed scenario step was performed (``record_action``)."""

    scenario: str = attrs.field(validator=_ID)
    step_index: int = attrs.field(validator=_INDEX)
    """The position of the step in the scenario, from 0."""
    repeat: int = attrs.field(default=0, validator=_INDEX)
    """0 for the step itself, then 1, 2... for the repeats of the last step (``Repeat``)."""
    step_name: str = attrs.field(validator=_ID)
    channel: Channel = attrs.field(converter=to_channel, validator=_CHANNEL)
    leader_id: str = attrs.field(validator=_ID)
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset, validator=_IDS)
    amount: Decimal = attrs.field(converter=coerce_amount, validator=_TOTAL)
    """The balance the action was about."""
    note: str = attrs.field(default="", validator=_TEXT)
    fee: Decimal = attrs.field(default=ZERO, converter=coerce_amount, validator=_FEE)
    """The step's fee charged with it (``Step.fee``), in the account's currency."""
    credit_hold: bool = attrs.field(default=False, validator=_BOOL)
    """Whether recording the step put the account on credit hold (``Step.credit_hold``)."""


@attrs.frozen(kw_only=True)
class AccountPaused(JournalEvent):
    """The scenario was paused until a date (``pause``); specific actions go on."""

    until: dt.date = attrs.field(validator=_DATE)
    reason: str = attrs.field(default="", validator=_TEXT)


@attrs.frozen(kw_only=True)
class PauseEnded(JournalEvent):
    """A pause was ended before its date (``end_pause``)."""


@attrs.frozen(kw_only=True)
class HoldReleased(JournalEvent):
    """A credit manager lifted the account's credit hold (``release_hold``)."""

    reason: str = attrs.field(default="", validator=_TEXT)


@attrs.frozen(kw_only=True)
class StatusApplied(JournalEvent):
    """Items were qualified with a status (``status`` None: the qualification was cleared)."""

    item_ids: frozenset[str] = attrs.field(converter=to_frozenset, validator=_IDS)
    status: str | None = attrs.field(validator=_OPTIONAL_ID)
    comment: str = attrs.field(default="", validator=_TEXT)
    owner: str | None = attrs.field(default=None, validator=_OPTIONAL_TEXT)
    promise_date: dt.date | None = attrs.field(default=None, validator=_OPTIONAL_DATE)


@attrs.frozen(kw_only=True)
class OwnerAssigned(JournalEvent):
    """Items got a new person in charge of resolution."""

    item_ids: frozenset[str] = attrs.field(converter=to_frozenset, validator=_IDS)
    owner: str | None = attrs.field(validator=_OPTIONAL_TEXT)


@attrs.frozen(kw_only=True)
class ActionCreated(JournalEvent):
    """A specific action was created on items, taking them out of the scenario."""

    action_id: str = attrs.field(validator=_ID)
    name: str = attrs.field(validator=_ID)
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset, validator=_IDS)
    due_on: dt.date = attrs.field(validator=_DATE)
    origin_status: str | None = attrs.field(default=None, validator=_OPTIONAL_ID)
    plan_id: str | None = attrs.field(default=None, validator=_OPTIONAL_ID)


@attrs.frozen(kw_only=True)
class ItemsReleased(JournalEvent):
    """Items left an open action (moved to another action, closed, or back to the scenario)."""

    action_id: str = attrs.field(validator=_ID)
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset, validator=_IDS)


@attrs.frozen(kw_only=True)
class ActionRescheduled(JournalEvent):
    """An open action got a new due date."""

    action_id: str = attrs.field(validator=_ID)
    due_on: dt.date = attrs.field(validator=_DATE)
    previous_due_on: dt.date = attrs.field(validator=_DATE)


@attrs.frozen(kw_only=True)
class ActionCompleted(JournalEvent):
    """An action was done; its items returned to the scenario."""

    action_id: str = attrs.field(validator=_ID)
    note: str = attrs.field(default="", validator=_TEXT)


@attrs.frozen(kw_only=True)
class ActionCancelled(JournalEvent):
    """An action was cancelled (by a user, or because it was left with no item)."""

    action_id: str = attrs.field(validator=_ID)
    reason: str = attrs.field(default="", validator=_TEXT)


@attrs.frozen(kw_only=True)
class ActionDeleted(JournalEvent):
    """An open action was deleted because all its items were closed."""

    action_id: str = attrs.field(validator=_ID)


@attrs.frozen(kw_only=True)
class ItemsSynced(JournalEvent):
    """An ERP extract was merged: items added, updated, and closed (paid)."""

    added: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset, validator=_IDS)
    updated: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=_IDS
    )
    closed: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=_IDS
    )
    """Items that were open and are now closed."""


@attrs.frozen(kw_only=True)
class PlanCreated(JournalEvent):
    """A payment plan was agreed on items."""

    plan_id: str = attrs.field(validator=_ID)
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset, validator=_IDS)
    total: Decimal = attrs.field(converter=coerce_amount, validator=_TOTAL)
    comment: str = attrs.field(default="", validator=_TEXT)


@attrs.frozen(kw_only=True)
class PlanReviewed(JournalEvent):
    """A payment plan was reviewed; ``state`` is what the review found."""

    plan_id: str = attrs.field(validator=_ID)
    state: PlanState = attrs.field(converter=to_plan_state, validator=_PLAN_STATE)
    next_due_on: dt.date | None = attrs.field(default=None, validator=_OPTIONAL_DATE)


@attrs.frozen(kw_only=True)
class PlanCancelled(JournalEvent):
    """A payment plan was broken off; its items returned to the scenario."""

    plan_id: str = attrs.field(validator=_ID)
    reason: str = attrs.field(default="", validator=_TEXT)
