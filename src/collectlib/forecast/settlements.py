"""Settlements: the paid items of a customer's history, the data payment behaviour is read from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from collectlib._checks import (
    check_amount,
    check_bool,
    check_currency,
    check_date,
    check_id,
    check_instance,
    fail,
)
from collectlib.model import Account, ItemsSynced, Policy
from collectlib.money import ZERO, coerce_amount

__all__ = ["Settlement", "settlements_from_journal"]


@attrs.frozen(kw_only=True)
class Settlement:
    """One paid debit item of a customer's history: when it was issued, due and paid.

    ``amount`` is what was paid, positive, in ``currency``; ``disputed`` says the item
    was in a dispute when it was paid.  ``days_late`` is ``settled_on - due_date`` in
    days, negative when the customer paid early; ``days_to_pay`` is ``settled_on -
    issue_date``.  The ERP's history of paid invoices reads into settlements
    (``collectlib.io``), and ``settlements_from_journal`` derives them from the
    closures ``sync_items`` recorded.

    >>> from datetime import date
    >>> paid = Settlement(account_id="C-1", item_id="F-1", issue_date=date(2026, 1, 2),
    ...     due_date=date(2026, 2, 1), settled_on=date(2026, 2, 13), amount=500)
    >>> paid.days_late, paid.days_to_pay
    (12, 42)
    """

    account_id: str
    item_id: str
    issue_date: dt.date
    due_date: dt.date
    settled_on: dt.date
    amount: Decimal = attrs.field(converter=coerce_amount)
    disputed: bool = False
    currency: str = "EUR"

    def __attrs_post_init__(self) -> None:
        check_id("settlement", "account_id", self.account_id)
        check_id("settlement", "item_id", self.item_id)
        owner = f"settlement {self.item_id!r} of account {self.account_id!r}"
        check_date(owner, "issue_date", self.issue_date)
        check_date(owner, "due_date", self.due_date)
        check_date(owner, "settled_on", self.settled_on)
        check_amount(owner, "amount", self.amount)
        if self.amount <= ZERO:
            fail(owner, f"amount must be positive (a paid debit), not {self.amount}")
        check_bool(owner, "disputed", self.disputed)
        check_currency(owner, "currency", self.currency)
        if self.settled_on < self.issue_date:
            fail(
                owner,
                f"settled_on {self.settled_on} is before the issue_date {self.issue_date}",
            )

    @property
    def days_late(self) -> int:
        """``settled_on - due_date`` in days: negative when paid before the due date."""
        return (self.settled_on - self.due_date).days

    @property
    def days_to_pay(self) -> int:
        """``settled_on - issue_date`` in days."""
        return (self.settled_on - self.issue_date).days


def settlements_from_journal(
    account: Account, policy: Policy | None = None
) -> tuple[Settlement, ...]:
    """Return the settlements of the debit items ``sync_items`` closed, in journal order.

    Each ``ItemsSynced`` event names the items it closed and its date: an item closed
    by the sync of day D was settled on D (the sync that first misses it, so the
    date is as precise as the ERP extracts are frequent).  The event keeps only the
    ids; the item's issue date, due date, amount and status are read from the item
    itself, which the account keeps after its closure (``sync_items`` sets its open
    amount to 0 and changes nothing else).  An item closed, reopened by a later
    extract and closed again gives two settlements.  The settlement's amount is the
    item's ``amount`` (the whole debit), its currency the account's; items that were
    not debits (credit notes, payments) are left out, as are closures dated before
    the item's issue date (an ERP correction, not a payment).  ``disputed``: the
    item's status is a dispute or litigation one of ``policy`` (its ``held_statuses``;
    without a policy no settlement is disputed); its status is the one it had when it
    was closed, since a status is applied only to open items.
    """
    owner = "settlements_from_journal"
    check_instance(owner, "account", account, Account)
    if policy is not None:
        check_instance(owner, "policy", policy, Policy)
    held = frozenset() if policy is None else policy.held_statuses
    items = {item.id: item for item in account.items}
    found: list[Settlement] = []
    for event in account.journal:
        if not isinstance(event, ItemsSynced) or not event.closed:
            continue
        for item_id in sorted(event.closed):
            item = items.get(item_id)
            if item is None or item.amount <= ZERO or event.on < item.issue_date:
                continue
            found.append(
                Settlement(
                    account_id=account.id,
                    item_id=item_id,
                    issue_date=item.issue_date,
                    due_date=item.due_date,
                    settled_on=event.on,
                    amount=item.amount,
                    disputed=item.status in held,
                    currency=account.currency,
                )
            )
    return tuple(found)
