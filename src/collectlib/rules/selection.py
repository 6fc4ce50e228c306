"""Which items the scenario works on: excluded, ignored, collectable items, balance, leader.

- An item is **excluded** while an open specific action holds it, or while its status
  is a ``DISPUTE`` or ``LITIGATION`` one (a disputed item never comes back into the
  scenario until it is re-qualified).
- A debit item is **ignored** when its open amount is below ``policy.ignore_below``
  (in the account's currency, when the policy sets one threshold per currency).
- An item is **collectable** when open, not ignored and not excluded; credits are
  collectable too (they reduce the balance).
- The **balance** is the sum of the collectable open amounts.
- The **leader** is the collectable debit item with the oldest due date, ties broken
  by issue date, then id; it is chosen whether or not it is overdue.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from collectlib._checks import check_instance
from collectlib.enums import ActionState
from collectlib.errors import ConfigurationError
from collectlib.model import Account, Item, Policy, Scenario
from collectlib.money import ZERO, exact, in_currency

__all__ = [
    "Selection",
    "balance",
    "check_account_policy",
    "collectable_items",
    "excluded_item_ids",
    "leader_invoice",
    "scan",
    "scenario_for",
    "scenario_for_trusted",
    "unfollowed_disputes",
]

_OPEN = ActionState.OPEN
_NEVER = dt.date.max


def excluded_item_ids(account: Account, policy: Policy) -> frozenset[str]:
    """Return the ids of the items out of the scenario.

    An item is excluded while an open specific action holds it or while its status is
    one of the policy's ``DISPUTE`` or ``LITIGATION`` statuses (closed items included:
    the rule does not look at amounts).
    """
    check_account_policy("excluded_item_ids", account, policy)
    return frozenset(_excluded(account, policy.held_statuses) or ())


def _excluded(account: Account, held_statuses: frozenset[str]) -> set[str] | None:
    """Return the excluded item ids, or ``None`` when there is none (the common case)."""
    excluded = _held_by_actions(account)
    if held_statuses:
        for item in account.items:
            if item.status in held_statuses:
                if excluded is None:
                    excluded = {item.id}
                else:
                    excluded.add(item.id)
    return excluded


def _held_by_actions(account: Account) -> set[str] | None:
    """Return the ids of the items open actions hold, or ``None`` when there is none."""
    held: set[str] | None = None
    for action in account.actions:
        if action.state is _OPEN:
            if held is None:
                held = set(action.item_ids)
            else:
                held |= action.item_ids
    return held


Selection = tuple[Item | None, Decimal, list[str], list[Item] | None]
"""What ``scan`` returns: the leader, the balance, the collectable ids, and the open
disputed items that no open action holds (``None`` when there is none)."""


def scan(account: Account, policy: Policy) -> Selection:
    """Return the leader, the balance, the collectable item ids and the unfollowed disputes.

    The one definition of "collectable", "leader" and "disputed without follow-up", in
    one pass: every public selection function and the agenda read it from here.  (It
    is the agenda's hot loop: one comparison tells a debit kept from a credit or an
    ignored debit, since ``ignore_below >= 0``.)
    """
    ignore_below = policy.ignore_below
    if type(ignore_below) is not Decimal:  # a mapping currency -> amount: read once
        ignore_below = in_currency(ignore_below, account.currency)
    held_statuses = policy.held_statuses
    held = _held_by_actions(account) if account.actions else None
    leader: Item | None = None
    leader_due = _NEVER
    total = kept = ZERO
    ids: list[str] = []
    append = ids.append
    unfollowed: list[Item] | None = None
    for item in account.items:
        open_amount = item.open_amount
        if not open_amount or (held and item.id in held):
            continue
        status = item.status
        if status is not None and status in held_statuses:  # disputed; nobody follows it
            if unfollowed is None:
                unfollowed = [item]
            else:
                unfollowed.append(item)
            continue
        if open_amount >= ignore_below:  # a debit, not ignored
            due = item.due_date
            if due <= leader_due and (
                due < leader_due
                or leader is None
                or (item.issue_date, item.id) < (leader.issue_date, leader.id)
            ):
                leader, leader_due = item, due
        elif open_amount > ZERO:  # a debit below the threshold: ignored
            continue
        total += open_amount
        kept = open_amount
        append(item.id)
    if len(ids) == 1:  # the one amount itself: an agenda row of it keeps no new Decimal
        total = kept
    return leader, total, ids, unfollowed


def unfollowed_disputes(account: Account, policy: Policy) -> list[Item]:
    """Return the open items in a dispute or litigation status that no open action holds.

    Such an item (it arrived so from the ERP, say) is out of the scenario and
    followed by nobody: its account gets a review row.
    """
    return scan(account, policy)[3] or []


@exact
def collectable_items(account: Account, policy: Policy) -> tuple[Item, ...]:
    """Return the account's collectable items (open, not ignored, not excluded), in order."""
    check_account_policy("collectable_items", account, policy)
    ids = frozenset(scan(account, policy)[2])
    return tuple(item for item in account.items if item.id in ids)


@exact
def balance(account: Account, policy: Policy) -> Decimal:
    """Return the sum of the collectable open amounts (credits net off debits).

    >>> from datetime import date
    >>> from collectlib import Item
    >>> d = date(2026, 1, 1)
    >>> account = Account(id="C-1", items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=d, due_date=d, amount=100, open_amount=100),
    ...     Item(id="F-2", kind="INVOICE", issue_date=d, due_date=d, amount=3, open_amount=3),
    ...     Item(id="AV-1", kind="CREDIT_NOTE", issue_date=d, due_date=d, amount=-30,
    ...          open_amount=-30)])
    >>> balance(account, Policy(ignore_below=5))
    Decimal('70')
    """
    check_account_policy("balance", account, policy)
    return scan(account, policy)[1]


@exact
def leader_invoice(account: Account, policy: Policy) -> Item | None:
    """Return the collectable debit item with the oldest due date, or ``None``.

    Ties are broken by issue date, then by id.
    """
    check_account_policy("leader_invoice", account, policy)
    return scan(account, policy)[0]


def scenario_for(account: Account, policy: Policy) -> Scenario | None:
    """Return the account's scenario: its own, else its client type's, else the default.

    A name the policy does not define is a ``ConfigurationError`` naming the account.
    """
    check_account_policy("scenario_for", account, policy)
    return scenario_for_trusted(account, policy)


def scenario_for_trusted(account: Account, policy: Policy) -> Scenario | None:
    """Return the account's scenario like ``scenario_for``, arguments already checked."""
    name = account.scenario
    if name is None:
        client_type = account.client_type
        if client_type is not None and client_type in policy.scenario_by_client_type:
            name = policy.scenario_by_client_type[client_type]
        else:
            name = policy.default_scenario
        if name is None:
            return None
    try:
        return policy.scenario(name)
    except ConfigurationError:
        raise ConfigurationError(
            f"account {account.id!r}: scenario {name!r} is not in the policy"
        ) from None


def check_account_policy(what: str, account: object, policy: object) -> None:
    """Check the arguments ``account`` and ``policy`` of the public function ``what``."""
    check_instance(what, "account", account, Account)
    check_instance(what, "policy", policy, Policy)
