"""Late-payment penalties: interest on overdue invoices plus a fixed recovery cost.

For an account with ``penalties_enabled`` and a policy with a ``PenaltyRule``, each
selected item that is an open ``INVOICE``, overdue on the date asked about, and not
qualified with a ``DISPUTE`` or ``LITIGATION`` status, costs

- interest: ``open_amount * annual_rate * days_late / year_days``, rounded once from
  the exact ratio (half up, to the currency's minor unit) per item; with a
  ``RateTimeline``, ``open_amount * rate_days / year_days``, where ``rate_days`` adds
  up the rate in force on each day late (the days after the due date up to the date
  asked about; a day before the timeline's first period bears none), and
- the rule's ``recovery_cost``, once per such item.

Every other item costs nothing; so does every item when penalties are not enabled
on the account or the policy has no rule.

**Step fees** (``Step.fee``) charged by the scenario actions recorded so far belong to
the leader of the action that charged them; they are reported with the penalties of
the open items not in dispute, whatever ``penalties_enabled`` says (they are the
policy's, not interest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from collectlib._checks import check_date
from collectlib._frozen import FrozenMap
from collectlib.enums import ItemKind
from collectlib.errors import UnknownStatusError
from collectlib.model import Account, Item, Policy, RateTimeline, ScenarioActionRecorded
from collectlib.money import ZERO, exact, quantize_in_context, quantize_ratio
from collectlib.rules.actions import checked_item_ids
from collectlib.rules.selection import check_account_policy

__all__ = [
    "ItemPenalty",
    "Penalties",
    "penalties",
    "penalties_trusted",
]

_INVOICE = ItemKind.INVOICE


@attrs.frozen(kw_only=True)
class ItemPenalty:
    """What one overdue invoice costs in penalties on a date."""

    item_id: str
    days_late: int
    interest: Decimal
    recovery_cost: Decimal
    total: Decimal
    """``interest + recovery_cost + fees``."""
    fees: Decimal = ZERO
    """The step fees charged on the item (its leader's scenario actions)."""


@attrs.frozen(kw_only=True)
class Penalties:
    """Late penalties of a set of items: totals, and the breakdown by item.

    ``by_item`` maps the id of every item that bears penalties to its
    ``ItemPenalty``, in the account's item order; the totals are the sums of its
    values.  ``Penalties.none()`` is the result when nothing bears penalties.
    """

    interest: Decimal
    recovery_cost: Decimal
    total: Decimal
    """``interest + recovery_cost + fees``."""
    by_item: FrozenMap[str, ItemPenalty] = attrs.field(factory=FrozenMap)
    fees: Decimal = ZERO
    """The step fees charged on the items (SPEC 10: ``Step.fee``)."""

    @classmethod
    def none(cls) -> Penalties:
        """Return penalties of zero, with no item."""
        return cls(interest=ZERO, recovery_cost=ZERO, total=ZERO)


@exact
def penalties(account: Account, item_ids: Iterable[str], policy: Policy, on: dt.date) -> Penalties:
    """Return the late penalties that the items ``item_ids`` of ``account`` bear on ``on``.

    Only open ``INVOICE`` items overdue on ``on`` bear penalties, never one whose
    status is a ``DISPUTE`` or ``LITIGATION`` one, and only when the account has
    ``penalties_enabled`` and the policy a ``penalties`` rule.  An unknown item id
    is an ``UnknownItemError``; an item bearing penalties whose status the policy
    does not define is an ``UnknownStatusError`` (it might be a dispute).

    >>> from datetime import date
    >>> from collectlib import Item, PenaltyRule
    >>> account = Account(id="C-1", penalties_enabled=True, items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=date(2024, 3, 1),
    ...          due_date=date(2024, 3, 31), amount="12000.00", open_amount="12000.00")])
    >>> policy = Policy(penalties=PenaltyRule(annual_rate="0.145", recovery_cost=40))
    >>> result = penalties(account, ["F-1"], policy, date(2024, 5, 15))
    >>> result.interest, result.recovery_cost, result.total
    (Decimal('214.52'), Decimal('40.00'), Decimal('254.52'))
    """
    check_account_policy("penalties", account, policy)
    check_date("penalties", "on", on)
    # An unknown id is an error, whatever the settings.
    wanted = checked_item_ids(account, item_ids, "penalties", open_only=False, empty=True)
    return penalties_trusted(account, wanted, policy, on)


def penalties_trusted(
    account: Account, wanted: frozenset[str], policy: Policy, on: dt.date
) -> Penalties:
    """Return the penalties like ``penalties``, arguments already checked (ids known)."""
    charged = _fees(account, wanted, on) if account.journal and wanted else None
    rule = policy.penalties
    priced = account.penalties_enabled and rule is not None and bool(wanted)
    if not priced and not charged:
        return Penalties.none()
    currency = account.currency
    recovery_cost = quantize_in_context(rule.recovery_cost, currency) if rule is not None else ZERO
    by_item: dict[str, ItemPenalty] = {}
    for item in account.items:
        if item.id not in wanted:
            continue
        fees = charged.get(item.id, ZERO) if charged else ZERO
        if fees and (not item.is_open or _disputed(item, policy)):
            fees = ZERO
        if priced and _bears_penalties(item, policy, on):
            days = item.days_late(on)
            rate = rule.annual_rate  # type: ignore[union-attr]
            rate_days = (
                rate.rate_days(item.due_date, on) if isinstance(rate, RateTimeline) else rate * days
            )
            # The product is exact in the library's context; the ratio is rounded once.
            interest = quantize_ratio(
                item.open_amount * rate_days,
                rule.year_days,  # type: ignore[union-attr]
                currency,
            )
            cost = recovery_cost
        elif fees:
            days, interest, cost = item.days_late(on), ZERO, ZERO
        else:
            continue
        by_item[item.id] = ItemPenalty(
            item_id=item.id,
            days_late=days,
            interest=interest,
            recovery_cost=cost,
            total=interest + cost + fees,
            fees=fees,
        )
    interest_total = sum((entry.interest for entry in by_item.values()), ZERO)
    recovery_total = sum((entry.recovery_cost for entry in by_item.values()), ZERO)
    fees_total = sum((entry.fees for entry in by_item.values()), ZERO)
    return Penalties(
        interest=interest_total,
        recovery_cost=recovery_total,
        total=interest_total + recovery_total + fees_total,
        by_item=FrozenMap(by_item),
        fees=fees_total,
    )


def _fees(account: Account, wanted: frozenset[str], on: dt.date) -> dict[str, Decimal]:
    """Return the step fees charged on or before ``on``, by the leader that bears them."""
    charged: dict[str, Decimal] = {}
    for event in account.journal:
        if (
            type(event) is ScenarioActionRecorded
            and event.fee
            and event.on <= on
            and event.leader_id in wanted
        ):
            leader = event.leader_id
            charged[leader] = charged.get(leader, ZERO) + event.fee
    return charged


def _disputed(item: Item, policy: Policy) -> bool:
    return item.status is not None and item.status in policy.held_statuses


def _bears_penalties(item: Item, policy: Policy, on: dt.date) -> bool:
    """Whether ``item`` is an open invoice overdue on ``on`` and not in dispute."""
    if item.kind is not _INVOICE or not item.is_overdue(on):
        return False
    if item.status is None:
        return True
    try:
        status = policy.status(item.status)
    except UnknownStatusError:
        raise UnknownStatusError(
            f"item {item.id!r}: status {item.status!r} is not in the policy "
            "(penalties need to know whether it is a dispute)"
        ) from None
    return not status.is_dispute
