"""Payment plans: installments agreed with a customer on some of its items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise

import attrs

from collectlib._checks import (
    check_amount,
    check_date,
    check_id,
    check_instances,
    fail,
    to_frozenset,
    to_tuple,
)
from collectlib.money import ZERO, coerce_amount, exact

__all__ = ["Installment", "PaymentPlan", "check_installment_dates"]


@attrs.frozen(kw_only=True)
class Installment:
    """One payment of a plan: an amount due on a date.

    >>> from datetime import date
    >>> Installment(due_on=date(2026, 3, 31), amount="250.00").amount
    Decimal('250.00')
    """

    due_on: dt.date
    amount: Decimal = attrs.field(converter=coerce_amount)

    def __attrs_post_init__(self) -> None:
        owner = f"installment of {self.due_on}"
        check_date("installment", "due_on", self.due_on)
        check_amount(owner, "amount", self.amount)
        if self.amount <= ZERO:
            fail(owner, f"amount must be positive, not {self.amount}")


@attrs.frozen(kw_only=True)
class PaymentPlan:
    """A schedule of installments covering the open total of some debit items.

    Installments are in strictly increasing date order and sum exactly to ``total``;
    ``action_id`` is the specific action that follows the plan up.
    """

    id: str
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset)
    installments: tuple[Installment, ...] = attrs.field(converter=to_tuple)
    created_on: dt.date
    total: Decimal = attrs.field(converter=coerce_amount)
    action_id: str | None = None

    def __attrs_post_init__(self) -> None:
        check_id("plan", "id", self.id)
        owner = f"plan {self.id!r}"
        check_instances(owner, "item_ids", self.item_ids, str)
        if not self.item_ids:
            fail(owner, "item_ids must name at least one item")
        check_instances(owner, "installments", self.installments, Installment)
        if not self.installments:
            fail(owner, "installments must hold at least one installment")
        check_date(owner, "created_on", self.created_on)
        check_amount(owner, "total", self.total, total=True)
        check_installment_dates(owner, self.installments)
        scheduled = _sum(i.amount for i in self.installments)
        if scheduled != self.total:
            fail(owner, f"installments sum to {scheduled}, not the total {self.total}")
        if self.action_id is not None:
            check_id(owner, "action_id", self.action_id)


def check_installment_dates(owner: str, installments: tuple[Installment, ...]) -> None:
    """Check that ``installments`` fall on strictly increasing dates (a plan's rule)."""
    for before, after in pairwise(installments):
        if after.due_on <= before.due_on:
            fail(owner, f"installment dates must increase: {after.due_on} after {before.due_on}")


@exact
def _sum(amounts: Iterable[Decimal]) -> Decimal:
    """Return the exact sum of ``amounts``, whatever the caller's decimal context."""
    return sum(amounts, ZERO)
