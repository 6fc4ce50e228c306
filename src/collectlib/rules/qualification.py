"""Qualifying items: apply a status after a customer contact, and choose what follows.

After each contact the collector qualifies the items concerned with a status and a
comment, then says what happens next (``FollowUp``): the items stay as they are
(``KEEP``), go back to the scenario (``SCENARIO``), or get a specific action — the
status's own (``FROM_STATUS``) or one made from a given ``ActionTemplate``.  A dispute
or litigation status always takes its items out of the scenario.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from collectlib._checks import check_date, check_id, check_instance, check_text, fail, to_enum
from collectlib._frozen import trusted_evolve, trusted_new
from collectlib.enums import FollowUp, StatusCategory
from collectlib.errors import ConfigurationError, RuleViolation, UnknownStatusError, ValidationError
from collectlib.model import (
    Account,
    ActionTemplate,
    Item,
    JournalEvent,
    OwnerAssigned,
    Policy,
    Status,
    StatusApplied,
)
from collectlib.rules.actions import (
    checked_item_ids,
    follow_up_due,
    open_new_action,
    take_items,
)

__all__ = ["apply_status", "assign_owner", "qualified_items"]


def _status(policy: Policy, status: Status | str | None) -> Status | None:
    """Return the policy's status for a code or a ``Status`` (which must be the policy's)."""
    if status is None:
        return None
    if isinstance(status, Status):
        known = policy.status(status.code)
        if known != status:
            raise UnknownStatusError(f"policy: status {status.code!r} differs from the policy's")
        return known
    if isinstance(status, str):
        return policy.status(status)
    raise ValidationError(f"apply_status: status must be a code, a Status or None, not {status!r}")


def _follow_up(
    status: Status | None, follow_up: FollowUp | ActionTemplate, owner: str
) -> FollowUp | ActionTemplate:
    """Resolve ``DEFAULT`` and check the follow-up against the status (its type is checked)."""
    if follow_up is FollowUp.DEFAULT:
        follow_up = FollowUp.FROM_STATUS if status and status.action else FollowUp.KEEP
    if follow_up is FollowUp.FROM_STATUS and (status is None or status.action is None):
        name = "no status" if status is None else f"status {status.code!r}"
        raise ConfigurationError(f"{owner}: {name} has no follow-up action (FROM_STATUS)")
    if status is not None and status.is_dispute and follow_up in (FollowUp.KEEP, FollowUp.SCENARIO):
        raise RuleViolation(
            f"{owner}: a {status.category.value} status takes the items out of the scenario: "
            f"follow_up {follow_up.value} is not allowed"
        )
    return follow_up


def apply_status(  # noqa: PLR0917  # the signature SPEC gives
    account: Account,
    item_ids: Iterable[str],
    status: Status | str | None,
    policy: Policy,
    on: dt.date,
    comment: str = "",
    owner: str | None = None,
    follow_up: FollowUp | ActionTemplate = FollowUp.DEFAULT,
    promise_date: dt.date | None = None,
    *,
    by: str | None = None,
    action_id: str | None = None,
) -> Account:
    """Return ``account`` with the open items chosen qualified with ``status``, and its follow-up.

    Sets the status (a code or the policy's ``Status``), the status date ``on``, the
    comment, and the owner (kept when ``None``).  A ``PROMISE`` status takes
    ``promise_date`` (not before ``on``); another status clears it; ``status=None``
    clears status, status date and promise date.

    ``follow_up`` (a ``FollowUp``, or its value: ``"KEEP"``, or an ``ActionTemplate``):
    ``KEEP`` leaves exclusions as they are; ``SCENARIO`` takes the
    items out of any open action; ``FROM_STATUS`` creates the status's action, due
    ``on + delay_days`` (on the promise date when there is one), moved to the next
    business day of the policy's calendar (the promise date stays as promised); an
    ``ActionTemplate`` creates that action, due likewise.  ``DEFAULT`` is ``FROM_STATUS`` when the
    status has an action, else ``KEEP``.  Closed or unknown items, a dispute status
    with ``KEEP`` or ``SCENARIO``, ``FROM_STATUS`` without an action: errors, and
    nothing is applied.
    """
    what = "apply_status"
    check_instance(what, "account", account, Account)
    check_instance(what, "policy", policy, Policy)
    check_date(what, "on", on)
    check_text(what, "comment", comment)
    check_text(what, "owner", owner, optional=True)
    check_text(what, "by", by, optional=True)
    check_date(what, "promise_date", promise_date, optional=True)
    if action_id is not None:
        check_id(what, "action_id", action_id)
    follow_up = to_enum(FollowUp, follow_up)
    if not isinstance(follow_up, FollowUp | ActionTemplate):
        fail(what, f"follow_up must be a FollowUp or an ActionTemplate, not {follow_up!r}")
    chosen = checked_item_ids(account, item_ids, what)
    found = _status(policy, status)
    place = f"account {account.id!r}: {what}"
    resolved = _follow_up(found, follow_up, place)
    is_promise = found is not None and found.category is StatusCategory.PROMISE
    if promise_date is not None:
        if not is_promise:
            raise RuleViolation(f"{place}: a promise date needs a PROMISE status")
        if promise_date < on:
            raise RuleViolation(f"{place}: promise date {promise_date} is before {on}")
    code = None if found is None else found.code
    items, applied = qualified_items(account, chosen, code, on, comment, owner, promise_date, by)
    template: ActionTemplate | None = None
    if isinstance(resolved, ActionTemplate):
        template = resolved
    elif resolved is FollowUp.FROM_STATUS and found is not None:
        template = found.action  # _follow_up checked that it has one
    if template is not None:
        due = follow_up_due(
            policy.calendar,
            on if promise_date is None else promise_date,
            template.delay_days if promise_date is None else 0,
            account,
        )
        return open_new_action(
            account,
            chosen,
            template,
            on,
            due,
            by=by,
            action_id=action_id,
            origin_status=code,
            items=items,
            journal=(applied,),
        )
    actions = account.actions
    events: list[JournalEvent] = []
    if resolved is FollowUp.SCENARIO:
        actions, events = take_items(actions, chosen, on, by)
    return trusted_evolve(
        account, items=items, actions=actions, journal=(*account.journal, applied, *events)
    )


def qualified_items(  # noqa: PLR0917
    account: Account,
    chosen: frozenset[str],
    code: str | None,
    on: dt.date,
    comment: str,
    owner: str | None,
    promise_date: dt.date | None,
    by: str | None,
) -> tuple[tuple[Item, ...], StatusApplied]:
    """Return the account's items with ``chosen`` qualified ``code``, and the event saying so.

    The one qualify step of ``apply_status`` and ``create_plan``, for arguments already
    checked: ``chosen`` open items of the account, ``code`` a status of the policy (or
    ``None``), text and dates checked, a ``promise_date`` only with a ``PROMISE`` status
    and not before ``on``.  Items and event are built trusted, from validated values.
    """
    items = tuple(
        trusted_evolve(
            item,
            status=code,
            status_date=None if code is None else on,
            comment=comment,
            owner=item.owner if owner is None else owner,
            promise_date=promise_date,
        )
        if item.id in chosen
        else item
        for item in account.items
    )
    applied = trusted_new(
        StatusApplied,
        on=on,
        by=by,
        item_ids=chosen,
        status=code,
        comment=comment,
        owner=owner,
        promise_date=promise_date,
    )
    return items, applied


def assign_owner(
    account: Account,
    item_ids: Iterable[str],
    owner: str | None,
    on: dt.date,
    *,
    by: str | None = None,
) -> Account:
    """Return ``account`` with ``owner`` in charge of resolving the items chosen (None: nobody)."""
    what = "assign_owner"
    check_instance(what, "account", account, Account)
    check_date(what, "on", on)
    check_text(what, "owner", owner, optional=True)
    check_text(what, "by", by, optional=True)
    chosen = checked_item_ids(account, item_ids, what, open_only=False)
    items = tuple(
        attrs.evolve(item, owner=owner) if item.id in chosen else item for item in account.items
    )
    event = OwnerAssigned(on=on, by=by, item_ids=chosen, owner=owner)
    return attrs.evolve(account, items=items, journal=(*account.journal, event))
