"""Payment plans: agree a schedule of installments, follow it, end it.

A plan covers the open total of some debit items; the customer pays it in
installments.  ``schedule`` builds equal installments; ``create_plan`` qualifies the
items with a payment-plan status and takes them out of the scenario with the plan's
follow-up action, due on the first installment; ``plan_progress`` compares what was
paid (read from the items' open amounts) with what was due; ``review_plan`` moves the
follow-up along while the customer keeps up; ``cancel_plan`` breaks it off.  A plan
*runs* while its follow-up action is open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise

import attrs
from dateutil.relativedelta import relativedelta

from collectlib._checks import (
    check_currency,
    check_date,
    check_each,
    check_id,
    check_instance,
    check_int,
    check_text,
    fail,
)
from collectlib._frozen import trusted_evolve, trusted_new
from collectlib.enums import PlanState, StatusCategory
from collectlib.errors import ConfigurationError, RuleViolation
from collectlib.model import (
    Account,
    ActionTemplate,
    Installment,
    PaymentPlan,
    PlanCancelled,
    PlanCreated,
    PlanReviewed,
    Policy,
    SpecificAction,
    Status,
)
from collectlib.model.plans import check_installment_dates
from collectlib.money import (
    ZERO,
    Amount,
    exact,
    minor_unit_digits,
    quantize_in_context,
    quantize_ratio,
    to_amount,
)
from collectlib.rules.actions import (
    cancelled,
    checked_item_ids,
    complete_action,
    follow_up_due,
    next_action_id,
    open_new_action,
    reschedule_action,
)
from collectlib.rules.qualification import qualified_items

__all__ = [
    "PlanProgress",
    "cancel_plan",
    "create_plan",
    "plan_progress",
    "plan_progress_trusted",
    "review_plan",
    "schedule",
]

_FOLLOW_UP = ActionTemplate(name="payment plan follow-up", channel="CALL")

_MONTHLY = relativedelta(months=1)


@exact
def schedule(
    total: Amount,
    count: int,
    first_due: dt.date,
    every: relativedelta = _MONTHLY,
    currency: str = "EUR",
) -> tuple[Installment, ...]:
    """Split ``total`` into ``count`` installments, all positive, that sum exactly to it.

    Each installment is ``total / count`` quantized to the currency's minor unit
    (``ROUND_HALF_UP``) and the last one takes the remainder (``100.00`` in 3:
    ``33.33, 33.33, 33.34``).  When that would leave the last one at zero or below
    (``4995.00`` in 1000: 999 shares of ``5.00``), the total is shared out in minor
    units instead: each installment gets ``total // count`` and the last
    ``total % count`` ones a minor unit more (``4.99`` 500 times, then ``5.00``).  A
    total splits into ``count`` installments when it holds at least ``count`` minor
    units.  Dates count from ``first_due``: the n-th installment is due on
    ``first_due + n * every``, so month ends do not drift (Jan 31 monthly gives
    Feb 28 or 29, Mar 31, Apr 30).

    >>> from datetime import date
    >>> [(i.due_on.isoformat(), str(i.amount)) for i in schedule("1000.00", 3, date(2026, 1, 31))]
    [('2026-01-31', '333.33'), ('2026-02-28', '333.33'), ('2026-03-31', '333.34')]
    >>> [str(i.amount) for i in schedule("0.10", 6, date(2026, 1, 31))]  # 0.02 each leaves 0
    ['0.01', '0.01', '0.02', '0.02', '0.02', '0.02']
    """
    check_currency("schedule", "currency", currency)
    amount = to_amount(total, "schedule: total")
    owner = "schedule"
    if amount <= ZERO:
        fail(owner, f"total must be positive, not {amount}")
    if quantize_in_context(amount, currency) != amount:
        fail(owner, f"total {amount} has more decimals than {currency} allows")
    check_int(owner, "count", count, minimum=1)
    check_date(owner, "first_due", first_due)
    dates = _due_dates(first_due, every, count, owner)
    units = int(amount.scaleb(minor_unit_digits(currency)))
    if units < count:
        fail(owner, f"total {amount} {currency} is too small to split into {count} installments")
    return tuple(
        Installment(due_on=due_on, amount=share)
        for due_on, share in zip(dates, _shares(amount, units, count, currency), strict=True)
    )


def _due_dates(first_due: dt.date, every: relativedelta, count: int, owner: str) -> list[dt.date]:
    """Return the due dates of ``schedule``: ``first_due + n * every``, strictly increasing."""
    step: object = every  # callers without a type checker may pass anything
    if not isinstance(step, relativedelta) or not _moves_forward(first_due, step):
        fail(owner, f"every must be a relativedelta that moves forward, not {every!r}")
    try:
        dates = [first_due + every * number for number in range(count)]
    except (OverflowError, ValueError):  # past the year 9999
        fail(owner, f"{count} installments from {first_due} run past {dt.date.max}")
    for before, after in pairwise(dates):
        if after <= before:
            fail(owner, f"every must move each installment forward: {before} then {after}")
    return dates


def _moves_forward(day: dt.date, step: relativedelta) -> bool:
    try:
        return day + step > day
    except (OverflowError, ValueError):  # past the year 9999: forward
        return True


def _shares(amount: Decimal, units: int, count: int, currency: str) -> list[Decimal]:
    """Return the installment amounts of ``schedule`` (``units``: ``amount`` in minor units)."""
    share = quantize_ratio(amount, count, currency)
    last = amount - share * (count - 1)
    if last > ZERO:  # the equal shares leave a positive remainder for the last one
        return [*([share] * (count - 1)), last]
    base, extra = divmod(units, count)
    small, large = (Decimal(n).scaleb(-minor_unit_digits(currency)) for n in (base, base + 1))
    return [*([small] * (count - extra)), *([large] * extra)]


@attrs.frozen(kw_only=True)
class PlanProgress:
    """How a payment plan stands on a date.

    ``paid``: the plan's total less what its items still have open.
    ``due_to_date``: the installments due before the date (one due on the date itself
    is not yet due).  ``arrears``: what is due to date and not paid.
    ``next_installment``: the first installment not fully covered by what was paid
    (``None`` once everything is paid).  ``state``: ``COMPLETED`` when every item of
    the plan is closed, else ``LATE`` when there are arrears, else ``ON_TRACK``.
    Amounts are in the account's currency, to its minor unit.
    """

    paid: Decimal
    due_to_date: Decimal
    arrears: Decimal
    next_installment: Installment | None
    state: PlanState


@exact
def plan_progress(account: Account, plan_id: str, on: dt.date) -> PlanProgress:
    """Return how the plan ``plan_id`` of ``account`` stands on ``on``.

    Raises ``UnknownPlanError`` for a plan the account does not hold.
    """
    check_instance("plan_progress", "account", account, Account)
    check_id("plan_progress", "plan_id", plan_id)
    check_date("plan_progress", "on", on)
    return plan_progress_trusted(account, plan_id, on)


def plan_progress_trusted(account: Account, plan_id: str, on: dt.date) -> PlanProgress:
    """Return how the plan stands like ``plan_progress``, arguments already checked."""
    plan = account.plan(plan_id)
    item = account.item  # indexed: a portfolio of many plans stays linear
    items = [item(item_id) for item_id in plan.item_ids]
    still_open = sum((item.open_amount for item in items if item.open_amount > ZERO), ZERO)
    currency = account.currency
    paid = quantize_in_context(max(ZERO, plan.total - still_open), currency)
    due_to_date = quantize_in_context(
        sum((i.amount for i in plan.installments if i.due_on < on), ZERO), currency
    )
    arrears = quantize_in_context(max(ZERO, due_to_date - paid), currency)
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


def _plan_status(policy: Policy, status: Status | str | None, owner: str) -> Status:
    """Return the status a new plan applies: the one given, else the policy's first plan status."""
    if status is None:
        for candidate in policy.statuses:
            if candidate.category is StatusCategory.PAYMENT_PLAN:
                return candidate
        raise ConfigurationError(f"{owner}: the policy has no PAYMENT_PLAN status")
    found = policy.status(status.code if isinstance(status, Status) else status)
    if found.category is not StatusCategory.PAYMENT_PLAN:
        raise RuleViolation(
            f"{owner}: status {found.code!r} has the category {found.category.value}, "
            "not PAYMENT_PLAN"
        )
    return found


def running_action(account: Account, plan: PaymentPlan) -> SpecificAction | None:
    """Return the open follow-up action of ``plan``, or ``None`` when the plan has ended."""
    if plan.action_id is None:
        return None
    action = account.action(plan.action_id)
    return action if action.is_open else None


@exact
def create_plan(  # noqa: PLR0917  # the signature SPEC gives
    account: Account,
    item_ids: Iterable[str],
    installments: Iterable[Installment],
    policy: Policy,
    on: dt.date,
    status: Status | str | None = None,
    comment: str = "",
    plan_id: str | None = None,
    *,
    by: str | None = None,
) -> Account:
    """Return ``account`` with a payment plan agreed on the open debit items chosen.

    The installments (from ``schedule`` or written by hand) must sum exactly to the
    items' open total and fall on or after ``on``.  The items take the plan status
    (``status``, else the policy's first ``PAYMENT_PLAN`` status) with ``comment``,
    and leave the scenario with the plan's follow-up action (the status's action, or
    a call) due on the first installment, moved to the next business day of the
    policy's calendar (the installments keep their dates).  An item already in a running plan, a
    credit or a closed item is a ``RuleViolation``; nothing is applied.
    """
    what = "create_plan"
    check_instance(what, "account", account, Account)
    check_instance(what, "policy", policy, Policy)
    check_date(what, "on", on)
    check_text(what, "comment", comment)
    check_text(what, "by", by, optional=True)
    if plan_id is not None:
        check_id(what, "plan_id", plan_id)
    if status is not None and not isinstance(status, Status | str):
        fail(what, f"status must be a code, a Status or None, not {status!r}")
    schedule_ = tuple(check_each(what, "installments", installments, Installment))
    owner = f"account {account.id!r}: {what}"
    chosen = checked_item_ids(account, item_ids, what)
    plan_status = _plan_status(policy, status, owner)
    look_up = account.item  # indexed: the chosen items without a pass over the account
    planned = [look_up(item_id) for item_id in chosen]
    credits = sorted(i.id for i in planned if not i.is_debit)
    if credits:
        raise RuleViolation(f"{owner}: item {', '.join(map(repr, credits))} is a credit")
    for plan in account.plans:
        taken = sorted(plan.item_ids & chosen)
        if taken and running_action(account, plan) is not None:
            raise RuleViolation(
                f"{owner}: item {', '.join(map(repr, taken))} is in the running plan {plan.id!r}"
            )
    total = sum((i.open_amount for i in planned), ZERO)
    scheduled = sum((i.amount for i in schedule_), ZERO)
    if scheduled != total:
        raise RuleViolation(
            f"{owner}: the installments sum to {scheduled}, the items' open total is {total}"
        )
    if schedule_ and schedule_[0].due_on < on:
        raise RuleViolation(
            f"{owner}: the first installment ({schedule_[0].due_on}) is before {on}"
        )
    new_id = plan_id if plan_id is not None else f"P{len(account.plans) + 1}"
    check_id(owner, "plan_id", new_id)
    if any(p.id == new_id for p in account.plans):
        raise RuleViolation(f"{owner}: a plan {new_id!r} exists already")
    # The qualify step of apply_status (its follow-up KEEP): the plan's action follows.
    items, applied = qualified_items(account, chosen, plan_status.code, on, comment, None, None, by)
    template = plan_status.action or _FOLLOW_UP
    first_due = follow_up_due(policy.calendar, schedule_[0].due_on if schedule_ else on, 0, account)
    action_id = next_action_id(account)
    check_installment_dates(f"plan {new_id!r}", schedule_)  # the rest of the plan's rules hold
    plan = trusted_new(  # checked above: ids, dates, the items' open total, the schedule's sum
        PaymentPlan,
        id=new_id,
        item_ids=chosen,
        installments=schedule_,
        created_on=on,
        total=total,
        action_id=action_id,
    )
    event = trusted_new(  # the fields of the plan just built, and checked arguments
        PlanCreated, on=on, by=by, plan_id=new_id, item_ids=chosen, total=total, comment=comment
    )
    # The plan and its follow-up name each other: they join the account together.
    return open_new_action(
        account,
        chosen,
        template,
        on,
        first_due,
        by=by,
        action_id=action_id,
        plan_id=new_id,
        items=items,
        plans=(*account.plans, plan),
        journal=(applied,),
        then=(event,),
    )


@exact
def review_plan(
    account: Account, plan_id: str, policy: Policy, on: dt.date, *, by: str | None = None
) -> Account:
    """Return ``account`` after the plan's review on ``on``.

    Completed (every item closed): its follow-up action is completed (or was deleted
    already, by the import that closed the items).  On track with
    the follow-up due: the follow-up moves to the next installment's date (the next
    business day of the policy's calendar on or after it).  Late:
    the follow-up stays due, so the agenda shows it with the arrears.  The journal
    records what the review found.  A plan that has ended is a ``RuleViolation``.
    """
    check_instance("review_plan", "account", account, Account)
    check_id("review_plan", "plan_id", plan_id)
    check_instance("review_plan", "policy", policy, Policy)
    check_date("review_plan", "on", on)
    check_text("review_plan", "by", by, optional=True)
    plan = account.plan(plan_id)
    action = running_action(account, plan)
    progress = plan_progress_trusted(account, plan_id, on)
    if action is None and progress.state is not PlanState.COMPLETED:
        raise RuleViolation(f"account {account.id!r}: review_plan: plan {plan_id!r} is not running")
    next_due = progress.next_installment.due_on if progress.next_installment else None
    if action is None:
        pass  # paid: the import that closed its items deleted the follow-up already
    elif progress.state is PlanState.COMPLETED:
        account = complete_action(account, action.id, policy, on, note="plan paid", by=by)
    elif progress.state is PlanState.ON_TRACK and action.due_on <= on and next_due is not None:
        follow_up = follow_up_due(policy.calendar, max(next_due, on), 0, account)
        if follow_up != action.due_on:
            account = reschedule_action(account, action.id, follow_up, on, by=by)
    event = PlanReviewed(on=on, by=by, plan_id=plan_id, state=progress.state, next_due_on=next_due)
    return trusted_evolve(account, journal=(*account.journal, event))


@exact
def cancel_plan(
    account: Account, plan_id: str, on: dt.date, reason: str = "", *, by: str | None = None
) -> Account:
    """Return ``account`` with the plan broken off: its items go back to the scenario.

    The follow-up action is cancelled and the journal records why (``reason``).
    """
    check_instance("cancel_plan", "account", account, Account)
    check_id("cancel_plan", "plan_id", plan_id)
    check_date("cancel_plan", "on", on)
    check_text("cancel_plan", "reason", reason)
    check_text("cancel_plan", "by", by, optional=True)
    plan = account.plan(plan_id)
    action = running_action(account, plan)
    if action is None:
        raise RuleViolation(f"account {account.id!r}: cancel_plan: plan {plan_id!r} is not running")
    # A plan's items hold its PAYMENT_PLAN status, never a dispute: nothing is left unfollowed.
    account = cancelled(account, action, on, reason or "plan cancelled", by)
    event = PlanCancelled(on=on, by=by, plan_id=plan_id, reason=reason)
    return trusted_evolve(account, journal=(*account.journal, event))
