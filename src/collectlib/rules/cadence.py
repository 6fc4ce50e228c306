"""Cadence and consequences: pausing a customer, credit holds, who collects an account.

- ``pause(account, until, on, reason)`` stops the scenario's proposals until ``until``;
  on that date the scenario continues at the step where it was (the cycle is not
  broken, nothing restarts), a step that fell due meanwhile being due on ``until``.
  Specific actions stay on the agenda.  ``end_pause`` ends a pause early.
- A step with ``credit_hold`` puts the account on **credit hold** when it is recorded:
  the hold covers that step's items that were overdue on its date and ends for good
  when all of them are closed (a promise or a dispute does not end it), or when a
  credit manager calls ``release_hold``.  A group above its credit limit puts every
  account of the group on hold (a **group hold**), as long as it is above it: that
  needs the other accounts, so ``credit_hold`` sees it only when given the
  portfolio's ``exposure``.  ``credit_hold`` says whether (and why) an account is on
  hold: the list an ERP blocks new orders and deliveries with.
- ``collector_for`` gives an account without a collector the collector of the first
  ``Policy.collector_rules`` rule that matches it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from collectlib._checks import (
    check_amount,
    check_date,
    check_id,
    check_instances,
    check_text,
    fail,
    to_frozenset,
)
from collectlib.errors import RuleViolation, ValidationError
from collectlib.model import (
    Account,
    AccountPaused,
    HoldReleased,
    Item,
    PauseEnded,
    Policy,
    ScenarioActionRecorded,
)
from collectlib.money import ZERO, Money, coerce_amount, exact, in_currency, is_currency
from collectlib.rules.dunning import paused_until
from collectlib.rules.groups import Exposure, GroupExposure, check_exposure, group_of

__all__ = [
    "CreditHold",
    "collector_for",
    "credit_hold",
    "end_pause",
    "hold_of",
    "pause",
    "release_hold",
    "step_hold",
]


def _checked(what: str, account: object, on: object, by: object) -> None:
    if not isinstance(account, Account):
        raise ValidationError(f"{what}: account must be an Account, not {account!r}")
    check_date(what, "on", on)
    check_text(what, "by", by, optional=True)


def pause(
    account: Account,
    until: dt.date,
    on: dt.date,
    reason: str = "",
    *,
    by: str | None = None,
) -> Account:
    """Return ``account`` with its scenario paused from ``on`` until ``until`` (excluded).

    No scenario proposal while paused (``idle_reason`` is ``PAUSED``); on ``until``
    the scenario continues at the step where it was.  A pause given while another
    runs replaces it.  ``until`` must be after ``on`` (a ``RuleViolation`` otherwise).
    """
    _checked("pause", account, on, by)
    check_date("pause", "until", until)
    check_text("pause", "reason", reason)
    if until <= on:
        raise RuleViolation(
            f"account {account.id!r}: pause: until ({until}) must be after the day of the "
            f"pause ({on})"
        )
    event = AccountPaused(on=on, by=by, until=until, reason=reason)
    return attrs.evolve(account, journal=(*account.journal, event))


def end_pause(account: Account, on: dt.date, *, by: str | None = None) -> Account:
    """Return ``account`` with its running pause ended on ``on``: the scenario goes on.

    An account that is not paused on ``on`` is a ``RuleViolation``.
    """
    _checked("end_pause", account, on, by)
    if paused_until(account, on) is None:
        raise RuleViolation(f"account {account.id!r}: end_pause: the account is not paused on {on}")
    return attrs.evolve(account, journal=(*account.journal, PauseEnded(on=on, by=by)))


@attrs.frozen(kw_only=True)
class CreditHold:
    """Why an account is on credit hold: new orders and deliveries are to be blocked.

    ``reason`` says what set it (the step recorded, or the group's credit limit);
    ``since`` is the date of that step (``None`` for a group hold); ``amount`` the open
    amount the hold covers, in the account's currency; ``item_ids`` the items it covers
    (a group hold covers every open debit of the account).
    """

    account_id: str
    reason: str
    since: dt.date | None
    amount: Decimal = attrs.field(converter=coerce_amount)
    item_ids: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    currency: str = "EUR"
    """The account's currency, the amount's."""

    def __attrs_post_init__(self) -> None:
        check_id("credit hold", "account_id", self.account_id)
        owner = f"credit hold of {self.account_id!r}"
        check_text(owner, "reason", self.reason)
        check_date(owner, "since", self.since, optional=True)
        check_amount(owner, "amount", self.amount, minimum=ZERO, total=True)
        check_instances(owner, "item_ids", self.item_ids, str)
        if not is_currency(self.currency):
            fail(owner, f"currency must be an ISO 4217 code like 'EUR', not {self.currency!r}")


@exact
def credit_hold(
    account: Account, policy: Policy, on: dt.date, exposure: Exposure | None = None
) -> CreditHold | None:
    """Return the account's credit hold on ``on``, or ``None`` when it is not on hold.

    A hold set by recording a ``credit_hold`` step on date D covers that step's items
    that were overdue on D, as long as one of them is open; ``release_hold`` lifts it.
    Given ``exposure`` (``exposure(accounts, on)``, of the same date), an account whose
    group is above its credit limit is on hold too (a group hold: ``since`` is
    ``None``, the hold covers the account's open debits, the reason names the group,
    its exposure and its limit); without it, only step holds are known.  An account
    held both ways has the step's ``since`` and both reasons.
    """
    _checked("credit_hold", account, on, None)
    if not isinstance(policy, Policy):
        raise ValidationError(f"credit_hold: policy must be a Policy, not {policy!r}")
    check_exposure("credit_hold", exposure, on)
    over = exposure.over_limit.get(group_of(account)) if exposure is not None else None
    return hold_of(account, on, over)


def hold_of(
    account: Account, on: dt.date, over: tuple[GroupExposure, ...] | None
) -> CreditHold | None:
    """Return the account's hold like ``credit_hold``, ``over`` its group's lines above the limit.

    Arguments already checked; in the library's decimal context.
    """
    held = step_hold(account, on) if account.journal else None
    if over is None:
        if held is None:
            return None
        event, covered = held
        return CreditHold(
            account_id=account.id,
            reason=_step_reason(event),
            since=event.on,
            amount=sum((item.open_amount for item in covered), ZERO),
            item_ids=frozenset(item.id for item in covered),
            currency=account.currency,
        )
    reasons = [
        f"group {line.group!r} over its credit limit: "
        f"{Money(amount=line.balance, currency=line.currency)} owed, "
        f"limit {Money(amount=line.credit_limit, currency=line.currency)}"  # type: ignore[arg-type]
        for line in over
    ]
    if held is not None:
        reasons.insert(0, _step_reason(held[0]))
    debits = [item for item in account.items if item.open_amount > ZERO]
    return CreditHold(
        account_id=account.id,
        reason="; ".join(reasons),
        since=None if held is None else held[0].on,
        amount=sum((item.open_amount for item in debits), ZERO),
        item_ids=frozenset(item.id for item in debits),
        currency=account.currency,
    )


def _step_reason(event: ScenarioActionRecorded) -> str:
    return f"step {event.step_name!r} recorded on {event.on}"


def step_hold(account: Account, on: dt.date) -> tuple[ScenarioActionRecorded, list[Item]] | None:
    """Return the step that holds the account on ``on`` and the open items it covers.

    ``None`` when no recorded ``credit_hold`` step holds it (never set, released, or
    every covered item closed).
    """
    holding: ScenarioActionRecorded | None = None
    for event in account.journal:
        if event.on > on:  # an event entered late may follow one of a later date
            continue
        kind = type(event)
        if kind is ScenarioActionRecorded and event.credit_hold:  # type: ignore[attr-defined]
            holding = event  # type: ignore[assignment]
        elif kind is HoldReleased:
            holding = None
    if holding is None:
        return None
    item = account.item
    covered = []
    for item_id in sorted(holding.item_ids):
        try:
            covered_item = item(item_id)
        except KeyError:  # pragma: no cover - an account validates its journal's items
            continue
        if covered_item.due_date < holding.on and covered_item.open_amount > ZERO:
            covered.append(covered_item)
    return (holding, covered) if covered else None


def release_hold(
    account: Account, on: dt.date, reason: str = "", *, by: str | None = None
) -> Account:
    """Return ``account`` with its credit hold lifted by a credit manager on ``on``.

    An account that is not on hold is a ``RuleViolation``.
    """
    _checked("release_hold", account, on, by)
    check_text("release_hold", "reason", reason)
    if step_hold(account, on) is None:
        raise RuleViolation(f"account {account.id!r}: release_hold: the account is not on hold")
    event = HoldReleased(on=on, by=by, reason=reason)
    return attrs.evolve(account, journal=(*account.journal, event))


def collector_for(
    account: Account, policy: Policy, balance: Decimal, leader: Item | None, on: dt.date
) -> str | None:
    """Return the account's collector: its own, else the first matching collector rule's.

    A rule matches the account's client type (any when the rule has none), a balance
    of at least its ``min_balance`` (in the account's currency) and a leader at least
    ``min_days_late`` late on ``on``.
    """
    if account.collector is not None or not policy.collector_rules:
        return account.collector
    for rule in policy.collector_rules:  # the agenda asks once per account: kept lean
        if rule.client_type is not None and rule.client_type != account.client_type:
            continue
        minimum = rule.min_balance
        if minimum is not None and balance < in_currency(minimum, account.currency):
            continue
        if rule.min_days_late and (  # None or 0: any lateness, even no leader
            leader is None or (on - leader.due_date).days < rule.min_days_late
        ):
            continue
        return rule.collector
    return None
