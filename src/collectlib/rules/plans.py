"""Payment plans: equal installment schedules and how a running plan is going.

A plan covers the open total of some debit items; the customer pays it in
installments.  ``schedule`` builds the installments, ``plan_progress`` compares what
was paid (read from the items' open amounts) with what was due.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta

from collectlib._checks import check_date, check_int, fail
from collectlib.enums import PlanState
from collectlib.model import Account, Installment
from collectlib.money import ZERO, Amount, quantize, to_amount

__all__ = ["PlanProgress", "plan_progress", "schedule"]

_MONTHLY = relativedelta(months=1)


def schedule(
    total: Amount,
    count: int,
    first_due: dt.date,
    every: relativedelta = _MONTHLY,
    currency: str = "EUR",
) -> tuple[Installment, ...]:
    """Split ``total`` into ``count`` equal installments, the rounding remainder on the last.

    Each installment is ``total / count`` quantized to the currency's minor unit
    (``ROUND_HALF_UP``); the last one takes what is left, so they sum exactly to
    ``total``.  Dates count from ``first_due``: the n-th installment is due on
    ``first_due + n * every``, so month ends do not drift (Jan 31 monthly gives
    Feb 28 or 29, Mar 31, Apr 30).

    >>> from datetime import date
    >>> [(i.due_on.isoformat(), str(i.amount)) for i in schedule("1000.00", 3, date(2026, 1, 31))]
    [('2026-01-31', '333.33'), ('2026-02-28', '333.33'), ('2026-03-31', '333.34')]
    """
    amount = to_amount(total, "schedule: total")
    owner = "schedule"
    if amount <= ZERO:
        fail(owner, f"total must be positive, not {amount}")
    if quantize(amount, currency) != amount:
        fail(owner, f"total {amount} has more decimals than {currency} allows")
    check_int(owner, "count", count, minimum=1)
    check_date(owner, "first_due", first_due)
    step: object = every  # callers without a type checker may pass anything
    if not isinstance(step, relativedelta) or first_due + step <= first_due:
        fail(owner, f"every must be a relativedelta that moves forward, not {every!r}")
    share = quantize(amount / count, currency)
    last = amount - share * (count - 1)
    if share <= ZERO or last <= ZERO:
        fail(owner, f"total {amount} {currency} is too small to split into {count} installments")
    return tuple(
        Installment(due_on=first_due + every * number, amount=share if number < count - 1 else last)
        for number in range(count)
    )


@attrs.frozen(kw_only=True)
class PlanProgress:
    """How a payment plan stands on a date.

    ``paid``: the plan's total less what its items still have open.
    ``due_to_date``: the installments due before the date (one due on the date itself
    is not yet due).  ``arrears``: what is due to date and not paid.
    ``next_installment``: the first installment not fully covered by what was paid
    (``None`` once everything is paid).  ``state``: ``COMPLETED`` when every item of
    the plan is closed, else ``LATE`` when there are arrears, else ``ON_TRACK``.
    """

    paid: Decimal
    due_to_date: Decimal
    arrears: Decimal
    next_installment: Installment | None
    state: PlanState


def plan_progress(account: Account, plan_id: str, on: dt.date) -> PlanProgress:
    """Return how the plan ``plan_id`` of ``account`` stands on ``on``.

    Raises ``UnknownPlanError`` for a plan the account does not hold.
    """
    check_date("plan_progress", "on", on)
    plan = account.plan(plan_id)
    items = [item for item in account.items if item.id in plan.item_ids]
    still_open = sum((item.open_amount for item in items if item.open_amount > ZERO), ZERO)
    paid = max(ZERO, plan.total - still_open)
    due_to_date = sum((i.amount for i in plan.installments if i.due_on < on), ZERO)
    arrears = max(ZERO, due_to_date - paid)
    covered = ZERO
    next_installment = None
    for installment in plan.installments:
        covered += installment.amount
        if covered > paid:
            next_installment = installment
            break
    if all(item.is_closed for item in items):
        state = PlanState.COMPLETED
    elif arrears > ZERO:
        state = PlanState.LATE
    else:
        state = PlanState.ON_TRACK
    return PlanProgress(
        paid=paid,
        due_to_date=due_to_date,
        arrears=arrears,
        next_installment=next_installment,
        state=state,
    )
