"""Merging the ERP's open-items extract into an account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from collectlib._checks import check_date, check_each, check_instance, check_text
from collectlib.enums import ActionState
from collectlib.errors import ValidationError
from collectlib.model import Account, Item, ItemsSynced
from collectlib.money import ZERO, exact
from collectlib.rules.actions import take_items

__all__ = ["sync_items"]

_ERP_FIELDS = ("kind", "issue_date", "due_date", "amount", "open_amount", "reference")


@exact
def sync_items(
    account: Account, items: Iterable[Item], on: dt.date, *, by: str | None = None
) -> Account:
    """Return ``account`` merged with a fresh open-items extract from the ERP.

    New items are added; known items take the extract's kind, dates, amounts and
    reference but keep their qualification (status, comment, owner, promise date);
    known open items missing from the extract are closed (paid).  Closed items leave
    their open actions, and an action left with none is deleted.  The journal gets one
    ``ItemsSynced`` event saying what was added, updated and closed.
    """
    check_instance("sync_items", "account", account, Account)
    check_date("sync_items", "on", on)
    check_text("sync_items", "by", by, optional=True)
    owner = f"account {account.id!r}: sync_items"
    fresh: dict[str, Item] = {}
    for item in check_each("sync_items", "items", items, Item):
        if item.id in fresh:
            raise ValidationError(f"{owner}: item {item.id!r} is twice in the extract")
        fresh[item.id] = item
    merged: list[Item] = []
    updated: set[str] = set()
    closed: set[str] = set()
    for item in account.items:
        new = fresh.pop(item.id, None)
        if new is None:
            result = attrs.evolve(item, open_amount=ZERO) if item.is_open else item
        else:
            changes = {
                f: getattr(new, f) for f in _ERP_FIELDS if getattr(new, f) != getattr(item, f)
            }
            result = attrs.evolve(item, **changes) if changes else item
            if changes:
                updated.add(item.id)
        if item.is_open and result.is_closed:
            closed.add(item.id)
        merged.append(result)
    added = tuple(fresh.values())
    merged.extend(added)
    actions, events = take_items(
        account.actions,
        frozenset(item.id for item in merged if item.is_closed),
        on,
        by,
        empty_state=ActionState.DELETED,
    )
    synced = ItemsSynced(
        on=on,
        by=by,
        added=frozenset(fresh),
        updated=frozenset(updated - closed),
        closed=frozenset(closed),
    )
    return attrs.evolve(
        account,
        items=tuple(merged),
        actions=actions,
        journal=(*account.journal, synced, *events),
    )
