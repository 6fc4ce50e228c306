"""Specific actions: create, reschedule, complete, cancel; and how items move between them.

A specific action takes its items out of the scenario while it is open.  An item is
in at most one open action: creating an action moves its items out of any other
open action, and an open action left with no item is cancelled.  An open action
whose items are all closed is deleted (by ``sync_items``; the agenda already
leaves it out as of its date).  Every operation returns a new ``Account`` whose
journal records what happened, and takes ``by=``, the user acting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import attrs

from collectlib._checks import check_date, check_id, check_instance, check_text
from collectlib._frozen import trusted_evolve, trusted_new
from collectlib.enums import ActionState, StatusCategory
from collectlib.errors import RuleViolation, UnknownItemError, ValidationError
from collectlib.model import (
    Account,
    ActionCancelled,
    ActionCompleted,
    ActionCreated,
    ActionDeleted,
    ActionRescheduled,
    ActionTemplate,
    BusinessCalendar,
    Item,
    ItemsReleased,
    JournalEvent,
    PaymentPlan,
    Policy,
    SpecificAction,
    StatusApplied,
)
from collectlib.rules.dunning import business_day

__all__ = [
    "cancel_action",
    "cancelled",
    "checked_item_ids",
    "complete_action",
    "create_action",
    "follow_up_due",
    "next_action_id",
    "open_new_action",
    "reschedule_action",
    "take_items",
]

_OPEN = ActionState.OPEN
_GENERATED_ID = re.compile(r"A(\d+)")


def checked_item_ids(
    account: Account,
    item_ids: Iterable[str],
    what: str,
    *,
    open_only: bool = True,
    empty: bool = False,
) -> frozenset[str]:
    """Return ``item_ids`` as a frozenset after checking them against the account.

    An empty selection (unless ``empty``) is a ``ValidationError``, unknown ids an
    ``UnknownItemError`` naming them all, closed items (when ``open_only``) a
    ``RuleViolation``.  A string is one id.
    """
    if isinstance(item_ids, str):
        item_ids = (item_ids,)
    try:
        chosen = frozenset(item_ids)
    except TypeError:
        raise ValidationError(
            f"account {account.id!r}: {what}: item_ids must be a collection of ids, "
            f"not {item_ids!r}"
        ) from None
    if not chosen and not empty:
        raise ValidationError(f"account {account.id!r}: {what}: no item selected")
    look_up = account.item  # the account's index: linear in the ids chosen, once it is built
    unknown: list[str] = []
    closed: list[str] = []
    for item_id in chosen:
        try:
            item = look_up(item_id)
        except UnknownItemError:
            unknown.append(repr(item_id))
            continue
        if open_only and item.is_closed:
            closed.append(repr(item_id))
    if unknown or closed:  # the message names the account only when there is one
        owner = f"account {account.id!r}: {what}"
        if unknown:
            raise UnknownItemError(f"{owner}: no item {', '.join(sorted(unknown))}")
        raise RuleViolation(f"{owner}: item {', '.join(sorted(closed))} is closed")
    return chosen


def next_action_id(account: Account) -> str:
    """Return the next generated action id of the account: ``A1``, ``A2``..."""
    numbers = [int(m.group(1)) for a in account.actions if (m := _GENERATED_ID.fullmatch(a.id))]
    return f"A{max(numbers, default=0) + 1}"


def _close(action: SpecificAction, state: ActionState, on: dt.date) -> SpecificAction:
    return attrs.evolve(action, state=state, closed_on=on)


def take_items(
    actions: tuple[SpecificAction, ...],
    item_ids: frozenset[str],
    on: dt.date,
    by: str | None,
    *,
    empty_state: ActionState = ActionState.CANCELLED,
) -> tuple[tuple[SpecificAction, ...], list[JournalEvent]]:
    """Take ``item_ids`` out of every open action that holds some of them.

    An action left with no item is closed in ``empty_state`` (cancelled when its
    items moved elsewhere, deleted when they were closed).  Returns the new actions
    and the journal events.
    """
    events: list[JournalEvent] = []
    result = []
    for action in actions:
        if action.state is not _OPEN or action.item_ids.isdisjoint(item_ids):
            result.append(action)
            continue
        held = action.item_ids & item_ids
        left = action.item_ids - held
        if left:
            result.append(attrs.evolve(action, item_ids=left))
            events.append(ItemsReleased(on=on, by=by, action_id=action.id, item_ids=held))
        elif empty_state is ActionState.DELETED:
            result.append(_close(action, empty_state, on))
            events.append(ActionDeleted(on=on, by=by, action_id=action.id))
        else:
            result.append(_close(action, empty_state, on))
            events.append(
                ActionCancelled(on=on, by=by, action_id=action.id, reason="its items moved")
            )
    return tuple(result), events


def open_new_action(
    account: Account,
    item_ids: frozenset[str],
    template: ActionTemplate,
    on: dt.date,
    due_on: dt.date,
    *,
    by: str | None,
    action_id: str | None = None,
    origin_status: str | None = None,
    plan_id: str | None = None,
    items: tuple[Item, ...] | None = None,
    plans: tuple[PaymentPlan, ...] | None = None,
    journal: tuple[JournalEvent, ...] = (),
    then: tuple[JournalEvent, ...] = (),
) -> Account:
    """Return ``account`` with a new open action on ``item_ids``, moved out of other actions.

    The one way every operation creates an action.  ``items``, ``plans`` and
    ``journal`` (events before the action's) and ``then`` (events after it) let a caller
    apply its own changes (statuses, the plan the action follows up, events) in the same
    new account: one copy per operation.
    """
    owner = f"account {account.id!r}"
    new_id = next_action_id(account) if action_id is None else action_id
    check_id(owner, "action_id", new_id)
    if any(a.id == new_id for a in account.actions):
        raise RuleViolation(f"{owner}: an action {new_id!r} exists already")
    if due_on < on:
        raise RuleViolation(f"{owner}: action due on {due_on}, before the day it is created ({on})")
    actions, events = take_items(account.actions, item_ids, on, by)
    action = trusted_new(  # a validated template's fields, the ids, dates and codes checked
        SpecificAction,
        id=new_id,
        name=template.name,
        channel=template.channel,
        item_ids=item_ids,
        due_on=due_on,
        created_on=on,
        automatic=template.automatic,
        to_be_confirmed=template.to_be_confirmed,
        template=template.template,
        origin_status=origin_status,
        plan_id=plan_id,
    )
    created = trusted_new(  # the new action's own fields, checked above
        ActionCreated,
        on=on,
        by=by,
        action_id=new_id,
        name=template.name,
        item_ids=item_ids,
        due_on=due_on,
        origin_status=origin_status,
        plan_id=plan_id,
    )
    return trusted_evolve(
        account,
        items=account.items if items is None else items,
        actions=(*actions, action),
        plans=account.plans if plans is None else plans,
        journal=(*account.journal, *journal, *events, created, *then),
    )


def _checked_arguments(what: str, account: object, on: object, by: object) -> None:
    check_instance(what, "account", account, Account)
    check_date(what, "on", on)
    check_text(what, "by", by, optional=True)


def create_action(
    account: Account,
    item_ids: Iterable[str],
    template: ActionTemplate,
    on: dt.date,
    due_on: dt.date | None = None,
    action_id: str | None = None,
    *,
    by: str | None = None,
    calendar: BusinessCalendar | None = None,
) -> Account:
    """Return ``account`` with a specific action from ``template`` on the open items chosen.

    The action is due on ``due_on``, by default ``on + template.delay_days`` moved to the
    next business day of ``calendar`` (the policy's, when it has one: pass
    ``policy.calendar``); a ``due_on`` given is kept as given.  Its id is ``action_id``
    or the next ``A<n>``.  The items leave the scenario, and any other open action
    (which is cancelled if left empty).
    """
    _checked_arguments("create_action", account, on, by)
    check_instance("create_action", "template", template, ActionTemplate)
    check_date("create_action", "due_on", due_on, optional=True)
    if action_id is not None:
        check_id("create_action", "action_id", action_id)
    if calendar is not None:
        check_instance("create_action", "calendar", calendar, BusinessCalendar)
    chosen = checked_item_ids(account, item_ids, "create_action")
    if due_on is None:
        due_on = follow_up_due(calendar, on, template.delay_days, account)
    return open_new_action(account, chosen, template, on, due_on, by=by, action_id=action_id)


def follow_up_due(
    calendar: BusinessCalendar | None, day: dt.date, delay_days: int, account: Account
) -> dt.date:
    """Return when a follow-up is due: ``delay_days`` after ``day``, on a business day.

    The one rule of the actions collectlib dates (a template's delay, a promise's or a
    plan's follow-up): moved to the next business day of ``calendar`` when there is one.
    """
    try:
        due = day + dt.timedelta(days=delay_days)
    except OverflowError:
        raise RuleViolation(
            f"account {account.id!r}: a follow-up {delay_days} days after {day} "
            f"falls after {dt.date.max}"
        ) from None
    return due if calendar is None else business_day(calendar, due, account)


def _open_action(account: Account, action_id: str, what: str) -> SpecificAction:
    action = account.action(action_id)
    if action.state is not _OPEN:
        raise RuleViolation(
            f"account {account.id!r}: {what}: "
            f"action {action_id!r} is {action.state.value}, not OPEN"
        )
    return action


def _replace(account: Account, action: SpecificAction) -> tuple[SpecificAction, ...]:
    return tuple(action if a.id == action.id else a for a in account.actions)


def reschedule_action(
    account: Account, action_id: str, due_on: dt.date, on: dt.date, *, by: str | None = None
) -> Account:
    """Return ``account`` with the open action ``action_id`` due on ``due_on`` instead.

    ``due_on`` may not be before ``on``; a closed action cannot be rescheduled.
    """
    _checked_arguments("reschedule_action", account, on, by)
    check_id("reschedule_action", "action_id", action_id)
    check_date("reschedule_action", "due_on", due_on)
    action = _open_action(account, action_id, "reschedule_action")
    if due_on < on:
        raise RuleViolation(
            f"account {account.id!r}: reschedule_action: {due_on} is before "
            f"the day it is done ({on})"
        )
    event = ActionRescheduled(
        on=on, by=by, action_id=action.id, due_on=due_on, previous_due_on=action.due_on
    )
    return trusted_evolve(
        account,
        actions=_replace(account, attrs.evolve(action, due_on=due_on)),
        journal=(*account.journal, event),
    )


def _check_disputes_followed(
    account: Account,
    action: SpecificAction,
    items: tuple[Item, ...],
    policy: Policy,
    what: str,
) -> None:
    """Refuse to close the last open action of an open item left in a dispute status.

    A disputed or litigated item is out of the scenario until it is re-qualified: it
    must keep a follow-up, so the action that follows it cannot end while it would
    keep that status.  The open ``action`` is its only open action: an account never
    has an item in two open actions.
    """
    held_statuses = policy.held_statuses
    if not held_statuses:
        return
    orphans = sorted(
        item.id
        for item in items
        if item.id in action.item_ids and item.is_open and item.status in held_statuses
    )
    if orphans:
        raise RuleViolation(
            f"account {account.id!r}: {what}: action {action.id!r} is the follow-up of "
            f"{', '.join(repr(i) for i in orphans)}, still in a dispute or litigation "
            "status: re-qualify them first (a disputed item is never left without a follow-up)"
        )


def complete_action(
    account: Account,
    action_id: str,
    policy: Policy,
    on: dt.date,
    note: str = "",
    *,
    by: str | None = None,
) -> Account:
    """Return ``account`` with the open action ``action_id`` done; its items return to the scenario.

    When the policy has a ``dispute_resolved_status``, the action's still-open items
    whose status is a dispute one take it (status date ``on``, promise date cleared).
    An open item that would stay in a ``DISPUTE`` or ``LITIGATION`` status with no
    other open action is a ``RuleViolation`` naming it: re-qualify it first.
    """
    _checked_arguments("complete_action", account, on, by)
    check_id("complete_action", "action_id", action_id)
    check_text("complete_action", "note", note)
    check_instance("complete_action", "policy", policy, Policy)
    action = _open_action(account, action_id, "complete_action")
    events: list[JournalEvent] = [ActionCompleted(on=on, by=by, action_id=action.id, note=note)]
    items = account.items
    resolved_code = policy.dispute_resolved_status
    if resolved_code is not None:
        resolved = frozenset(
            item.id
            for item in items
            if item.id in action.item_ids
            and item.is_open
            and item.status is not None
            and policy.status(item.status).category is StatusCategory.DISPUTE
        )
        if resolved:
            items = tuple(
                attrs.evolve(item, status=resolved_code, status_date=on, promise_date=None)
                if item.id in resolved
                else item
                for item in items
            )
            events.append(
                StatusApplied(on=on, by=by, item_ids=resolved, status=resolved_code, comment=note)
            )
    _check_disputes_followed(account, action, items, policy, "complete_action")
    return trusted_evolve(
        account,
        items=items,
        actions=_replace(account, _close(action, ActionState.DONE, on)),
        journal=(*account.journal, *events),
    )


def cancel_action(
    account: Account,
    action_id: str,
    policy: Policy,
    on: dt.date,
    reason: str = "",
    *,
    by: str | None = None,
) -> Account:
    """Return ``account`` with the open action ``action_id`` cancelled.

    Its items return to the scenario.  The policy tells which statuses are disputes:
    cancelling the last open action of an open item in a ``DISPUTE`` or
    ``LITIGATION`` status is a ``RuleViolation`` naming it (re-qualify it first).
    """
    _checked_arguments("cancel_action", account, on, by)
    check_id("cancel_action", "action_id", action_id)
    check_text("cancel_action", "reason", reason)
    check_instance("cancel_action", "policy", policy, Policy)
    action = _open_action(account, action_id, "cancel_action")
    _check_disputes_followed(account, action, account.items, policy, "cancel_action")
    return cancelled(account, action, on, reason, by)


def cancelled(
    account: Account, action: SpecificAction, on: dt.date, reason: str, by: str | None
) -> Account:
    """Return ``account`` with the open ``action`` cancelled (arguments already checked)."""
    event = ActionCancelled(on=on, by=by, action_id=action.id, reason=reason)
    return trusted_evolve(
        account,
        actions=_replace(account, _close(action, ActionState.CANCELLED, on)),
        journal=(*account.journal, event),
    )
