"""The next scenario action of an account, and recording that it was performed.

The scenario works on the account's **leader** (see ``collectlib.rules.selection``).
The **current cycle** is the run of scenario actions performed for the current leader
under the current scenario, newest first; it ends at an action for another leader or
another scenario, or where the leader was put into a specific action or closed after
the action was recorded.  The next step is the one after the last step (or repeat) of
the cycle.  A **new cycle** starts where ``Scenario.restart`` says: at step 1
(``FIRST_STEP``), at the latest step already due (``CATCH_UP``), or after the highest
step already sent while the new leader was overdue and chased (``RESUME``).

When every step (and repeat) is done for the leader and the balance is still due, the
scenario is **completed**: no proposal, but a review row asks a collector to decide
(litigation, write-off, a specific action), so nobody is forgotten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

import attrs
from dateutil.relativedelta import relativedelta

from collectlib._checks import check_date, check_instance, check_text
from collectlib._frozen import trusted_evolve, trusted_new
from collectlib.enums import ActionState, Channel, IdleReason, Restart, TriggerKind
from collectlib.errors import RuleViolation, ValidationError
from collectlib.languages import Template
from collectlib.model import (
    Account,
    AccountPaused,
    ActionCancelled,
    ActionCompleted,
    ActionCreated,
    ActionDeleted,
    BusinessCalendar,
    Item,
    ItemsReleased,
    ItemsSynced,
    JournalEvent,
    PauseEnded,
    Policy,
    Scenario,
    ScenarioActionRecorded,
    StatusApplied,
    Step,
    Trigger,
)
from collectlib.model.scenarios import Condition, Fee
from collectlib.money import ZERO, exact, in_currency, quantize_in_context
from collectlib.rules.selection import Selection, check_account_policy, scan, scenario_for_trusted
from collectlib.rules.sending import timing

__all__ = [
    "Decision",
    "Proposal",
    "business_day",
    "channel_of",
    "cycle_actions",
    "decide",
    "fee_amount",
    "idle_reason",
    "last_contact",
    "last_cycle_action",
    "next_action",
    "paused_until",
    "record_action",
]

_LEADER_DUE = TriggerKind.LEADER_DUE
_AFTER_LAST_ACTION = TriggerKind.AFTER_LAST_ACTION
_RESUME = Restart.RESUME
_CATCH_UP = Restart.CATCH_UP
_ONE = Decimal(1)
_NOT_CUSTOMER_FACING = frozenset({Channel.INTERNAL_INTERACTIVE_EMAIL, Channel.LITIGATION})
_ONE_DAY = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class Proposal:
    """The next scenario action of an account: which step, for which leader, due when.

    ``step_index`` is the step's position in the scenario, from 0; ``repeat`` is 0 for
    the step itself and 1, 2... for the repeats of the last step.  ``item_ids`` are
    all the collectable items and ``balance`` their sum.  ``late_days`` counts the
    days from ``due_on`` to the date asked about (0 when not yet due).
    ``needs_confirmation`` is set for an automatic step to be confirmed, and for one
    more than ``policy.automatic_max_late_days`` late.  ``send_at`` is when an
    automatic step goes out under the policy's sending window (``rules.sending``);
    ``None`` for a step that is not automatic, one that needs confirmation, or a
    policy without a window.
    """

    account_id: str
    scenario: str
    step_index: int
    step: Step
    leader_id: str
    due_on: dt.date
    late_days: int
    item_ids: frozenset[str]
    balance: Decimal
    automatic: bool
    needs_confirmation: bool
    send_at: dt.datetime | None = None
    repeat: int = 0
    channel: Channel | None = None
    """The channel actually used: the step's, or its fallback's for an account without
    an e-mail address (then never automatic)."""
    template: Template | None = None
    """The template actually used (the fallback's on the fallback channel): a text, or
    texts by language that ``render`` picks from with the account's language."""
    skipped: tuple[tuple[int, str], ...] = ()
    """The steps passed over because their condition did not hold, with why."""


class Decision(NamedTuple):
    """What the scenario has for an account on a date: a step to perform, or a review.

    ``review`` is true when the scenario is completed for the leader and a collector
    must decide (then ``step_index`` and ``repeat`` are the last ones done and
    ``due_on`` is when the review is due).  ``item_ids`` are the collectable items and
    ``balance`` their sum.  ``anchor`` is the recorded action the step counts from: the
    newest action of the current cycle, or the one a ``RESUME`` cycle continues after
    (``None`` for a new cycle from the leader's dates).
    """

    scenario: Scenario
    step_index: int
    repeat: int
    leader: Item
    due_on: dt.date
    balance: Decimal
    item_ids: list[str]
    review: bool
    anchor: ScenarioActionRecorded | None
    skipped: tuple[tuple[int, str], ...]
    """The steps passed over because their condition did not hold, with why."""
    fallback: bool
    """Whether the step goes out on its fallback channel (no e-mail address)."""

    @property
    def step(self) -> Step:
        """The scenario step the decision is about (the last one done, for a review)."""
        return self.scenario.steps[self.step_index]


def cycle_actions(
    journal: tuple[JournalEvent, ...], scenario: str, leader_id: str
) -> Iterator[ScenarioActionRecorded]:
    """Yield the scenario actions of the current cycle, newest first.

    The cycle ends at a scenario action for another leader or another scenario, at
    the leader being put into a specific action, or at the leader being closed.
    """
    for event in reversed(journal):
        kind = type(event)
        if kind is ScenarioActionRecorded:
            if event.leader_id != leader_id or event.scenario != scenario:  # type: ignore[attr-defined]
                return
            yield event  # type: ignore[misc]
        elif kind is ActionCreated:
            if leader_id in event.item_ids:  # type: ignore[attr-defined]
                return
        elif kind is ItemsSynced and leader_id in event.closed:  # type: ignore[attr-defined]
            return


_new_decision = tuple.__new__  # the agenda builds one per account: no keyword handling


def last_cycle_action(
    journal: tuple[JournalEvent, ...], scenario: str, leader_id: str
) -> ScenarioActionRecorded | None:
    """Return the newest scenario action of the current cycle, or ``None`` for a new cycle."""
    return next(cycle_actions(journal, scenario, leader_id), None)


def _resumed_from(
    journal: tuple[JournalEvent, ...], scenario: str, leader: Item
) -> ScenarioActionRecorded | None:
    """Return the highest (step, repeat) recorded while ``leader`` was overdue and chased.

    The ``RESUME`` rule: a scenario action of ``scenario`` whose items contain the
    leader and whose date is after the leader's due date.  Ties keep the newest.
    """
    best: ScenarioActionRecorded | None = None
    leader_id, due = leader.id, leader.due_date
    for event in journal:
        if (
            type(event) is ScenarioActionRecorded
            and event.on > due
            and event.scenario == scenario
            and leader_id in event.item_ids
            and (best is None or (event.step_index, event.repeat) >= (best.step_index, best.repeat))
        ):
            best = event
    return best


def _catch_up_index(
    steps: tuple[Step, ...], leader: Item, on: dt.date, facts: _Facts | None
) -> int:
    """Return the latest leader-anchored step reached on ``on`` whose condition holds.

    Step 0 when none is.
    """
    index = 0
    for position, step in enumerate(steps):
        trigger = step.trigger
        if trigger.kind.from_leader:
            if _trigger_date(trigger, leader) > on:
                break
            if facts is None or facts.unmet(step.when) is None:
                index = position
    return index


def decide(
    account: Account, policy: Policy, on: dt.date, selection: Selection | None = None
) -> Decision | IdleReason:
    """Return what the scenario has for ``account`` on ``on`` (a step or a review), or why not.

    The one implementation of the next-action rule; ``next_action``, ``idle_reason``,
    ``explain`` and the agenda all read it.  ``selection`` is ``scan``'s result when
    the caller has it already.  A step's due date is computed in the order of SPEC
    13.1: its trigger date (a repeat: the previous recording + ``every_days``); not
    before the action it counts from; for a customer-facing channel, not before the
    last contact + ``min_days_between_contacts``; not before the end of a pause that
    covered it; moved to the next business day of ``policy.calendar`` (the customer's
    date: collectlib's dates are calendar dates, whatever the time zone).  ``CATCH_UP``
    chooses its step by the trigger dates, before any of these moves.  A step whose
    condition (``Step.when``) does not hold on ``on`` is skipped.  A date that would
    fall past 9999-12-31 is a ``RuleViolation`` naming the account and the leader.
    """
    scenario = scenario_for_trusted(account, policy)
    if scenario is None:
        return IdleReason.NO_SCENARIO
    leader, total, ids, _unfollowed = scan(account, policy) if selection is None else selection
    if leader is None:
        return IdleReason.NO_LEADER
    minimum = policy.minimum_amount
    if type(minimum) is not Decimal:  # a mapping currency -> amount
        minimum = in_currency(minimum, account.currency)
    # Not positive, below the minimum, or rounding to zero: two comparisons for a total
    # of at least 1 (a total <= 0 is below 1 too).
    if total < minimum or (
        total < _ONE and (total <= ZERO or quantize_in_context(total, account.currency) <= ZERO)
    ):
        return IdleReason.BELOW_MINIMUM
    steps = scenario.steps
    if not steps:
        return IdleReason.SCENARIO_COMPLETED  # handled by hand: no step, no review
    journal = account.journal
    last = last_cycle_action(journal, scenario.name, leader.id) if journal else None
    anchor = last
    if anchor is None and journal and scenario.restart is _RESUME:
        anchor = _resumed_from(journal, scenario.name, leader)
    facts: _Facts | None = None  # what conditions read: built only when one is read
    skipped: tuple[tuple[int, str], ...] = ()
    try:
        if anchor is None:
            index = 0
            if scenario.restart is _CATCH_UP:
                if scenario.has_conditions:
                    facts = _Facts(account, leader, total, ids, on)
                index = _catch_up_index(steps, leader, on, facts)
            repeat = 0
        else:
            index, repeat = anchor.step_index, anchor.repeat
            if index < len(steps) - 1:
                index, repeat = index + 1, 0
            elif (
                index == len(steps) - 1
                and scenario.repeat is not None
                and repeat < scenario.repeat.max_times
                and (
                    steps[index].when is None
                    or _Facts(account, leader, total, ids, on).unmet(steps[index].when) is None
                )
            ):
                repeat += 1
                due = anchor.on + dt.timedelta(days=scenario.repeat.every_days)
                return _finish(
                    account, policy, scenario=scenario, index=index, repeat=repeat,
                    leader=leader, due=due, total=total, ids=ids, anchor=anchor, skipped=(),
                    fallback=steps[index].fallback is not None and account.email is None,
                )  # fmt: skip
            else:
                return _review(
                    account, policy, scenario=scenario, index=index, repeat=repeat, leader=leader,
                    total=total, ids=ids, anchor=anchor, skipped=(),
                )  # fmt: skip
        step = steps[index]
        if step.when is not None:
            facts = facts or _Facts(account, leader, total, ids, on)
            index, skipped = _skip(steps, index, facts)
            if index == len(steps):
                if anchor is None:  # no step applies to this account: nothing to review
                    return IdleReason.SCENARIO_COMPLETED
                return _review(
                    account, policy, scenario=scenario, index=anchor.step_index,
                    repeat=anchor.repeat,
                    leader=leader, total=total, ids=ids, anchor=anchor, skipped=skipped,
                )  # fmt: skip
            step = steps[index]
        trigger = step.trigger
        kind = trigger.kind
        if kind is _LEADER_DUE:
            due = leader.due_date + trigger.delta
        elif kind is _AFTER_LAST_ACTION and anchor is not None:
            due = anchor.on + trigger.delta
        else:  # from the leader's issue date or month end; a cycle's first step
            due = _trigger_date(trigger, leader)
    except OverflowError:
        raise RuleViolation(
            f"account {account.id!r}: item {leader.id!r} (due {leader.due_date}): "
            f"scenario {scenario.name!r} would fall due after {dt.date.max}"
        ) from None
    if anchor is not None and due < anchor.on:
        due = anchor.on
    fallback = step.fallback is not None and account.email is None
    if (
        journal
        or (policy.min_days_between_contacts and account.actions)  # a contact to space from
        or policy.calendar is not None
    ):
        return _finish(
            account, policy, scenario=scenario, index=index, repeat=repeat, leader=leader,
            due=due, total=total, ids=ids, anchor=anchor, skipped=skipped, fallback=fallback,
        )  # fmt: skip
    # No journal, no contact: no pause and nothing to space from; the trigger's date stands.
    return _new_decision(
        Decision,
        (scenario, index, repeat, leader, due, total, ids, False, anchor, skipped, fallback),
    )


def _finish(
    account: Account,
    policy: Policy,
    *,
    scenario: Scenario,
    index: int,
    repeat: int,
    leader: Item,
    due: dt.date,
    total: Decimal,
    ids: list[str],
    anchor: ScenarioActionRecorded | None,
    skipped: tuple[tuple[int, str], ...],
    fallback: bool,
) -> Decision:
    """Apply the contact spacing, pause and calendar rules to a step's date (SPEC 13.1).

    ``fallback`` tells whether the step goes out on its fallback channel.
    """
    step = scenario.steps[index]
    spacing = policy.min_days_between_contacts
    if spacing:
        channel = step.fallback.channel if fallback else step.channel  # type: ignore[union-attr]
        if channel not in _NOT_CUSTOMER_FACING:
            contact = last_contact(account)
            if contact is not None:
                due = max(due, _plus(contact, spacing, account, leader))
    if account.journal:
        due = _after_pauses(account.journal, due)
    if policy.calendar is not None:
        due = business_day(policy.calendar, due, account, leader)
    return _new_decision(
        Decision,
        (scenario, index, repeat, leader, due, total, ids, False, anchor, skipped, fallback),
    )


def _review(
    account: Account,
    policy: Policy,
    *,
    scenario: Scenario,
    index: int,
    repeat: int,
    leader: Item,
    total: Decimal,
    ids: list[str],
    anchor: ScenarioActionRecorded,
    skipped: tuple[tuple[int, str], ...],
) -> Decision:
    """Return the review decision of a completed scenario (hidden by a pause until its end).

    Due on a business day of the policy's calendar.
    """
    journal = account.journal
    due = _after_pauses(journal, _review_due(journal, scenario, leader.id, anchor))
    if policy.calendar is not None:
        due = business_day(policy.calendar, due, account, leader)
    index = min(index, len(scenario.steps) - 1)
    return _new_decision(
        Decision, (scenario, index, repeat, leader, due, total, ids, True, anchor, skipped, False)
    )


def business_day(
    calendar: BusinessCalendar, day: dt.date, account: Account, item: Item | None = None
) -> dt.date:
    """Return ``day`` moved to the next business day of ``calendar`` (``day`` when it is one).

    The one move of every due date collectlib computes (SPEC 13.1 (e)).  The date is the
    customer's calendar date, as every date of collectlib: no time zone changes it.  No
    business day before 9999-12-31 is a ``RuleViolation`` naming the account (and the
    item the date is about).
    """
    try:
        return calendar.next_business_day(day)
    except ValidationError:  # no business day before the dates run out
        owner = f"account {account.id!r}" + ("" if item is None else f": item {item.id!r}")
        raise RuleViolation(f"{owner}: no business day from {day} to {dt.date.max}") from None


def _plus(day: dt.date, days: int, account: Account, leader: Item) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise RuleViolation(
            f"account {account.id!r}: item {leader.id!r}: the contact spacing would fall "
            f"after {dt.date.max}"
        ) from None


def _trigger_date(trigger: Trigger, leader: Item) -> dt.date:
    """Return the date a leader-anchored trigger (or a first ``after_last_action``) gives."""
    kind = trigger.kind
    if kind is TriggerKind.LEADER_ISSUED:
        return leader.issue_date + trigger.delta
    if kind is TriggerKind.END_OF_MONTH:
        day = leader.due_date + trigger.delta
        return day + relativedelta(day=31)
    return leader.due_date + trigger.delta  # LEADER_DUE, or AFTER_LAST_ACTION opening a cycle


class _Facts:
    """What step conditions read, on the date asked: computed once, when first needed."""

    __slots__ = ("_account", "_ids", "_leader", "_on", "_overdue", "_total")

    def __init__(
        self, account: Account, leader: Item, total: Decimal, ids: list[str], on: dt.date
    ) -> None:
        self._account, self._leader, self._total, self._ids, self._on = (
            account,
            leader,
            total,
            ids,
            on,
        )
        self._overdue: int | None = None

    def overdue_items(self) -> int:
        """Return the number of collectable overdue debits."""
        if self._overdue is None:
            item, on = self._account.item, self._on
            self._overdue = sum(
                1 for i in self._ids if (it := item(i)).open_amount > ZERO and it.due_date < on
            )
        return self._overdue

    def unmet(self, when: Condition | None) -> str | None:
        """Return why ``when`` does not hold (``None``: it holds, or there is none)."""
        if when is None:
            return None
        if when.min_balance is not None:
            minimum = in_currency(when.min_balance, self._account.currency)
            if self._total < minimum:
                return f"balance {self._total} is below {minimum}"
        if when.min_overdue_items is not None and self.overdue_items() < when.min_overdue_items:
            return f"{self.overdue_items()} overdue items, fewer than {when.min_overdue_items}"
        if when.min_days_late is not None:
            late = max(0, (self._on - self._leader.due_date).days)
            if late < when.min_days_late:
                return f"the leader is {late} days late, fewer than {when.min_days_late}"
        return None


def _skip(
    steps: tuple[Step, ...], index: int, facts: _Facts
) -> tuple[int, tuple[tuple[int, str], ...]]:
    """Return the first step from ``index`` whose condition holds, and the steps skipped."""
    skipped = []
    while index < len(steps):
        why = facts.unmet(steps[index].when)
        if why is None:
            break
        skipped.append((index, why))
        index += 1
    return index, tuple(skipped)


def _pauses(journal: tuple[JournalEvent, ...]) -> list[list[dt.date]]:
    """Return the account's pauses as ``[start, end)`` intervals, oldest first.

    A new pause replaces one still running; ``end_pause`` ends the running one.
    """
    intervals: list[list[dt.date]] = []
    for event in journal:
        kind = type(event)
        if kind is AccountPaused:
            if intervals and intervals[-1][1] > event.on:
                intervals[-1][1] = event.on
            intervals.append([event.on, event.until])  # type: ignore[attr-defined]
        elif kind is PauseEnded and intervals and intervals[-1][1] > event.on:
            intervals[-1][1] = event.on
    return intervals


def paused_until(account: Account, on: dt.date) -> dt.date | None:
    """Return the end of the pause running on ``on``, or ``None`` when there is none."""
    for start, end in _pauses(account.journal) if account.journal else ():
        if start <= on < end:
            return end
    return None


def _after_pauses(journal: tuple[JournalEvent, ...], due: dt.date) -> dt.date:
    """Move ``due`` to the end of every pause that covered it (a step pending during it)."""
    for _start, end in _pauses(journal):
        if due < end:  # noqa: PLR1730  # pending when the pause began, or inside it
            due = end
    return due


def last_contact(account: Account) -> dt.date | None:
    """Return the date of the last contact with the customer (SPEC 13.8), or ``None``.

    A scenario action recorded on a customer-facing channel, on its date, or a specific
    action done on such a channel, on the day it was done.
    """
    latest: dt.date | None = None
    for event in account.journal:
        if (
            type(event) is ScenarioActionRecorded
            and event.channel not in _NOT_CUSTOMER_FACING
            and (latest is None or event.on > latest)
        ):
            latest = event.on
    for action in account.actions:
        if (
            action.state is ActionState.DONE
            and action.channel not in _NOT_CUSTOMER_FACING
            and action.closed_on is not None
            and (latest is None or action.closed_on > latest)
        ):
            latest = action.closed_on
    return latest


def _review_due(
    journal: tuple[JournalEvent, ...],
    scenario: Scenario,
    leader_id: str,
    anchor: ScenarioActionRecorded,
) -> dt.date:
    """Return when the review of a completed scenario is due for ``leader_id``.

    ``review_after_days`` after the last scenario action whose items contain the
    leader.  A collector's later act on the leader (a status applied, a specific
    action taking it or giving it back) puts the review off: it comes back
    ``review_after_days`` after the last such act, and never on the day of the act.
    """
    last_action: dt.date | None = None
    acted: dt.date | None = None
    holding: set[str] = set()
    for event in journal:
        kind = type(event)
        if kind is ScenarioActionRecorded:
            if leader_id in event.item_ids:  # type: ignore[attr-defined]
                last_action, acted = event.on, None
                holding.clear()
        elif last_action is None:
            continue
        elif kind is StatusApplied or kind is ItemsReleased:
            if leader_id in event.item_ids:  # type: ignore[attr-defined]
                acted = event.on
        elif kind is ActionCreated:
            if leader_id in event.item_ids:  # type: ignore[attr-defined]
                acted = event.on
                holding.add(event.action_id)  # type: ignore[attr-defined]
        elif (
            kind is ActionCompleted or kind is ActionCancelled or kind is ActionDeleted
        ) and event.action_id in holding:  # type: ignore[attr-defined]
            acted = event.on
    days = dt.timedelta(days=scenario.review_after_days)
    if acted is None:
        # The step completing the scenario named the leader: it is the anchor or later.
        return (anchor.on if last_action is None else last_action) + days
    return acted + max(days, _ONE_DAY)


@exact
def next_action(account: Account, policy: Policy, on: dt.date) -> Proposal | None:
    """Return the account's next scenario action, even if not yet due, or ``None``.

    ``None`` when the account has no scenario, no leader, a balance below the
    policy's minimum amount (or not positive, or rounding to zero in its currency),
    or has done every step and repeat for this leader: ``idle_reason`` says which
    (a completed scenario shows a review row on the agenda).  Until the proposal is
    recorded with ``record_action``, the same proposal keeps coming back.
    """
    check_date("next_action", "on", on)
    check_account_policy("next_action", account, policy)
    decision = decide(account, policy, on)
    if type(decision) is not Decision or decision.review:
        return None
    if account.journal and paused_until(account, on) is not None:
        return None
    return _proposal(account, policy, decision, on)


def channel_of(step: Step, fallback: bool) -> tuple[Channel, Template | None, bool, bool]:
    """Return the channel, template, automatic and to-be-confirmed flags a step goes out with.

    On its fallback (an e-mail step for an account without e-mail address) the
    fallback's channel and template, never automatic.
    """
    if fallback and step.fallback is not None:
        return step.fallback.channel, step.fallback.template, False, False
    return step.channel, step.template, step.automatic, step.to_be_confirmed


def _proposal(account: Account, policy: Policy, decision: Decision, on: dt.date) -> Proposal:
    step = decision.step
    channel, template, automatic, to_be_confirmed = channel_of(step, decision.fallback)
    late, confirm, send = timing(
        policy, automatic, to_be_confirmed, decision.due_on, on, account.timezone
    )
    return Proposal(
        account_id=account.id,
        scenario=decision.scenario.name,
        step_index=decision.step_index,
        step=step,
        leader_id=decision.leader.id,
        due_on=decision.due_on,
        late_days=late,
        item_ids=frozenset(decision.item_ids),
        balance=decision.balance,
        automatic=automatic,
        needs_confirmation=confirm,
        send_at=send,
        repeat=decision.repeat,
        channel=channel,
        template=template,
        skipped=decision.skipped,
    )


@exact
def idle_reason(account: Account, policy: Policy, on: dt.date) -> IdleReason | None:
    """Return why the account has no scenario proposal, or ``None`` when it has one."""
    check_date("idle_reason", "on", on)
    check_account_policy("idle_reason", account, policy)
    decision = decide(account, policy, on)
    if type(decision) is Decision:
        if account.journal and paused_until(account, on) is not None:
            return IdleReason.PAUSED
        return IdleReason.SCENARIO_COMPLETED if decision.review else None
    return decision  # type: ignore[return-value]


@exact
def record_action(
    account: Account,
    proposal: Proposal,
    policy: Policy,
    on: dt.date,
    *,
    note: str = "",
    by: str | None = None,
) -> Account:
    """Return ``account`` with the proposed scenario action recorded as performed ``on``.

    The proposal must still be the account's next action on ``on`` (same scenario,
    step, repeat and leader), and ``on`` must not be before the last scenario action
    performed: otherwise a ``RuleViolation`` says why and nothing is recorded.
    """
    check_date("record_action", "on", on)
    check_text("record_action", "note", note)
    check_text("record_action", "by", by, optional=True)
    check_account_policy("record_action", account, policy)
    owner = f"account {account.id!r}"
    check_instance("record_action", "proposal", proposal, Proposal)
    if proposal.account_id != account.id:
        raise RuleViolation(f"{owner}: the proposal is for account {proposal.account_id!r}")
    for event in reversed(account.journal):
        if type(event) is ScenarioActionRecorded:
            if on < event.on:
                raise RuleViolation(
                    f"{owner}: cannot record an action on {on}, "
                    f"before the last scenario action ({event.on})"
                )
            break
    current = next_action(account, policy, on)
    if current is None or (
        current.scenario,
        current.step_index,
        current.repeat,
        current.leader_id,
    ) != (proposal.scenario, proposal.step_index, proposal.repeat, proposal.leader_id):
        raise RuleViolation(
            f"{owner}: stale proposal: {_describe(proposal)}, "
            f"but the scenario now proposes {_now(account, policy, on, current)}"
        )
    step = current.step
    scenario = policy.scenario(current.scenario)
    fee = (scenario.repeat.fee if scenario.repeat else None) if current.repeat else step.fee
    event = trusted_new(  # from the proposal the rules just made, and checked arguments
        ScenarioActionRecorded,
        on=on,
        by=by,
        scenario=current.scenario,
        step_index=current.step_index,
        repeat=current.repeat,
        step_name=step.name,
        channel=current.channel or step.channel,
        leader_id=current.leader_id,
        item_ids=current.item_ids,
        amount=current.balance,
        note=note,
        fee=ZERO if fee is None else fee_amount(fee, current.balance, account.currency),
        credit_hold=step.credit_hold and not current.repeat,
    )
    return trusted_evolve(account, journal=(*account.journal, event))


def fee_amount(fee: Fee, balance: Decimal, currency: str) -> Decimal:
    """Return the fee a step charges on ``balance``: fixed + percent, quantized to the currency."""
    return quantize_in_context(in_currency(fee.fixed, currency) + fee.percent * balance, currency)


def _describe(proposal: Proposal) -> str:
    again = f" (repeat {proposal.repeat})" if proposal.repeat else ""
    return (
        f"step {proposal.step_index} ({proposal.step.name!r}){again} "
        f"for leader {proposal.leader_id!r}"
    )


def _now(account: Account, policy: Policy, on: dt.date, current: Proposal | None) -> str:
    if current is not None:
        return _describe(current)
    reason = idle_reason(account, policy, on)
    return f"nothing ({reason.value})" if reason is not None else "nothing"
