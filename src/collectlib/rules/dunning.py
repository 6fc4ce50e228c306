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

from collectlib._checks import check_date, check_text
from collectlib.enums import IdleReason, Restart, TriggerKind
from collectlib.errors import RuleViolation, ValidationError
from collectlib.model import (
    Account,
    ActionCancelled,
    ActionCompleted,
    ActionCreated,
    ActionDeleted,
    Item,
    ItemsReleased,
    ItemsSynced,
    JournalEvent,
    Policy,
    Scenario,
    ScenarioActionRecorded,
    StatusApplied,
    Step,
)
from collectlib.money import ZERO, exact
from collectlib.money import quantize_in_context as _quantize
from collectlib.rules.selection import Selection, scan, scenario_for
from collectlib.rules.sending import timing

__all__ = [
    "Decision",
    "Proposal",
    "cycle_actions",
    "decide",
    "idle_reason",
    "last_cycle_action",
    "next_action",
    "record_action",
]

_LEADER_DUE = TriggerKind.LEADER_DUE
_RESUME = Restart.RESUME
_CATCH_UP = Restart.CATCH_UP
_ONE = Decimal(1)
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


def _catch_up_index(steps: tuple[Step, ...], leader_due: dt.date, on: dt.date) -> int:
    """Return the latest ``leader_due`` step already due on ``on`` (0 when none is)."""
    index = 0
    for position, step in enumerate(steps):
        trigger = step.trigger
        if trigger.kind is _LEADER_DUE:
            if leader_due + trigger.delta > on:
                break
            index = position
    return index


def decide(
    account: Account, policy: Policy, on: dt.date, selection: Selection | None = None
) -> Decision | IdleReason:
    """Return what the scenario has for ``account`` on ``on`` (a step or a review), or why not.

    The one implementation of the next-action rule; ``next_action``, ``idle_reason``,
    ``explain`` and the agenda all read it.  ``selection`` is ``scan``'s result when
    the caller has it already.  A date that would fall past 9999-12-31 is a
    ``RuleViolation`` naming the account and the leader.
    """
    scenario = scenario_for(account, policy)
    if scenario is None:
        return IdleReason.NO_SCENARIO
    leader, total, ids, _unfollowed = scan(account, policy) if selection is None else selection
    if leader is None:
        return IdleReason.NO_LEADER
    if (
        total <= ZERO
        or total < policy.minimum_amount
        or (total < _ONE and _quantize(total, account.currency) <= ZERO)
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
    try:
        if anchor is None:
            index = (
                _catch_up_index(steps, leader.due_date, on) if scenario.restart is _CATCH_UP else 0
            )
            repeat = 0
        else:
            index, repeat = anchor.step_index, anchor.repeat
            if index < len(steps) - 1:
                index, repeat = index + 1, 0
            elif (
                index == len(steps) - 1
                and scenario.repeat is not None
                and repeat < scenario.repeat.max_times
            ):
                repeat += 1
                due = anchor.on + dt.timedelta(days=scenario.repeat.every_days)
                return _new_decision(
                    Decision, (scenario, index, repeat, leader, due, total, ids, False, anchor)
                )
            else:
                due = _review_due(journal, scenario, leader.id, anchor)
                index = min(index, len(steps) - 1)
                return _new_decision(
                    Decision,
                    (scenario, index, repeat, leader, due, total, ids, True, anchor),
                )
        trigger = steps[index].trigger
        if trigger.kind is _LEADER_DUE or anchor is None:
            due = leader.due_date + trigger.delta
        else:
            due = anchor.on + trigger.delta
    except OverflowError:
        raise RuleViolation(
            f"account {account.id!r}: item {leader.id!r} (due {leader.due_date}): "
            f"scenario {scenario.name!r} would fall due after {dt.date.max}"
        ) from None
    if anchor is not None and due < anchor.on:
        due = anchor.on
    return _new_decision(
        Decision, (scenario, index, repeat, leader, due, total, ids, False, anchor)
    )


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
    _check_account_policy("next_action", account, policy)
    decision = decide(account, policy, on)
    if type(decision) is not Decision or decision.review:
        return None
    return _proposal(account, policy, decision, on)


def _proposal(account: Account, policy: Policy, decision: Decision, on: dt.date) -> Proposal:
    step = decision.step
    late, confirm, send = timing(policy, step.automatic, step.to_be_confirmed, decision.due_on, on)
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
        automatic=step.automatic,
        needs_confirmation=confirm,
        send_at=send,
        repeat=decision.repeat,
    )


@exact
def idle_reason(account: Account, policy: Policy, on: dt.date) -> IdleReason | None:
    """Return why the account has no scenario proposal, or ``None`` when it has one."""
    check_date("idle_reason", "on", on)
    _check_account_policy("idle_reason", account, policy)
    decision = decide(account, policy, on)
    if type(decision) is Decision:
        return IdleReason.SCENARIO_COMPLETED if decision.review else None
    return decision  # type: ignore[return-value]


def _check_account_policy(what: str, account: object, policy: object) -> None:
    if not isinstance(account, Account):
        raise ValidationError(f"{what}: account must be an Account, not {account!r}")
    if not isinstance(policy, Policy):
        raise ValidationError(f"{what}: policy must be a Policy, not {policy!r}")


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
    _check_account_policy("record_action", account, policy)
    owner = f"account {account.id!r}"
    if not isinstance(proposal, Proposal):
        raise ValidationError(f"record_action: proposal must be a Proposal, not {proposal!r}")
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
    event = ScenarioActionRecorded(
        on=on,
        by=by,
        scenario=current.scenario,
        step_index=current.step_index,
        repeat=current.repeat,
        step_name=current.step.name,
        channel=current.step.channel,
        leader_id=current.leader_id,
        item_ids=current.item_ids,
        amount=current.balance,
        note=note,
    )
    return attrs.evolve(account, journal=(*account.journal, event))


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
