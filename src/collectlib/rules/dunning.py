"""The next scenario action of an account, and recording that it was performed.

The scenario works on the account's **leader** (see ``collectlib.rules.selection``).
The **current cycle** is the run of scenario actions performed for the current leader
under the current scenario, newest first; it ends at an action for another leader or
another scenario, or where the leader was put into a specific action or closed after
the action was recorded.  So when the leader is paid, closed or excluded (even if it
comes back later), or the account changes scenario, the scenario starts again at its
first step.  The next step is the one after the last step of the cycle.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from collectlib._checks import check_date, check_text
from collectlib.enums import IdleReason, TriggerKind
from collectlib.errors import RuleViolation, ValidationError
from collectlib.model import (
    Account,
    ActionCreated,
    Item,
    ItemsSynced,
    JournalEvent,
    Policy,
    Scenario,
    ScenarioActionRecorded,
    Step,
)
from collectlib.money import ZERO
from collectlib.rules.selection import scan, scenario_for
from collectlib.rules.sending import planned_send_at

__all__ = ["Proposal", "idle_reason", "next_action", "record_action"]

_LEADER_DUE = TriggerKind.LEADER_DUE


@attrs.frozen(kw_only=True)
class Proposal:
    """The next scenario action of an account: which step, for which leader, due when.

    ``step_index`` is the step's position in the scenario, from 0.  ``item_ids`` are
    all the collectable items and ``balance`` their sum.  ``late_days`` counts the
    days from ``due_on`` to the date asked about (0 when not yet due).  ``send_at``
    is when an automatic step goes out under the policy's sending window (see
    ``collectlib.rules.sending.planned_send_at``); ``None`` for a step that is not
    automatic, one to be confirmed, or a policy without a window.
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


Decision = tuple[Scenario, int, Item, dt.date, Decimal, list[str]]
"""What ``decide`` returns for an account with a proposal: scenario, step index,
leader, due date, balance, collectable ids."""


def last_cycle_action(
    journal: tuple[JournalEvent, ...], scenario: str, leader_id: str
) -> ScenarioActionRecorded | None:
    """Return the newest scenario action of the current cycle, or ``None`` for a new cycle."""
    for event in reversed(journal):
        kind = type(event)
        if kind is ScenarioActionRecorded:
            if event.leader_id == leader_id and event.scenario == scenario:  # type: ignore[attr-defined]
                return event  # type: ignore[return-value]
            return None
        if kind is ActionCreated:
            if leader_id in event.item_ids:  # type: ignore[attr-defined]
                return None
        elif kind is ItemsSynced and leader_id in event.closed:  # type: ignore[attr-defined]
            return None
    return None


def decide(account: Account, policy: Policy, today: dt.date) -> Decision | IdleReason:
    """Return what the scenario proposes for ``account`` on ``today``, or why nothing.

    The one implementation of the next-action rule; ``next_action``, ``idle_reason``
    and the agenda all read it.
    """
    scenario = scenario_for(account, policy)
    if scenario is None:
        return IdleReason.NO_SCENARIO
    leader, total, ids = scan(account, policy)
    if leader is None:
        return IdleReason.NO_LEADER
    if total <= ZERO or total < policy.minimum_amount:
        return IdleReason.BELOW_MINIMUM
    steps = scenario.steps
    last = last_cycle_action(account.journal, scenario.name, leader.id) if account.journal else None
    if last is not None:
        index = last.step_index + 1
    elif scenario.catch_up:
        index = _catch_up_index(steps, leader.due_date, today)
    else:
        index = 0
    if index >= len(steps):
        return IdleReason.SCENARIO_COMPLETED
    trigger = steps[index].trigger
    if trigger.kind is _LEADER_DUE or last is None:
        due = leader.due_date + trigger.delta
    else:
        due = last.on + trigger.delta
    if last is not None and due < last.on:
        due = last.on
    return scenario, index, leader, due, total, ids


def _catch_up_index(steps: tuple[Step, ...], leader_due: dt.date, today: dt.date) -> int:
    """Return the latest ``leader_due`` step already due on ``today`` (0 when none is)."""
    index = 0
    for position, step in enumerate(steps):
        trigger = step.trigger
        if trigger.kind is _LEADER_DUE:
            if leader_due + trigger.delta > today:
                break
            index = position
    return index


def next_action(account: Account, policy: Policy, today: dt.date) -> Proposal | None:
    """Return the account's next scenario action, even if not yet due, or ``None``.

    ``None`` when the account has no scenario, no leader, a balance below the
    policy's minimum amount (or not positive), or has done every step for this
    leader: ``idle_reason`` says which.  Until the proposal is recorded with
    ``record_action``, the same proposal keeps coming back.
    """
    check_date("next_action", "today", today)
    decision = decide(account, policy, today)
    if isinstance(decision, IdleReason):
        return None
    scenario, index, leader, due, total, ids = decision
    step = scenario.steps[index]
    return Proposal(
        account_id=account.id,
        scenario=scenario.name,
        step_index=index,
        step=step,
        leader_id=leader.id,
        due_on=due,
        late_days=max(0, (today - due).days),
        item_ids=frozenset(ids),
        balance=total,
        automatic=step.automatic,
        needs_confirmation=step.needs_confirmation,
        send_at=planned_send_at(
            policy.sending_window, step.automatic, step.to_be_confirmed, due, today
        ),
    )


def idle_reason(account: Account, policy: Policy, today: dt.date) -> IdleReason | None:
    """Return why the account has no scenario proposal, or ``None`` when it has one."""
    check_date("idle_reason", "today", today)
    decision = decide(account, policy, today)
    return decision if isinstance(decision, IdleReason) else None


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
    step and leader), and ``on`` must not be before the last scenario action
    performed: otherwise a ``RuleViolation`` says why and nothing is recorded.
    """
    check_date("record_action", "on", on)
    check_text("record_action", "note", note)
    check_text("record_action", "by", by, optional=True)
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
    if current is None or (current.scenario, current.step_index, current.leader_id) != (
        proposal.scenario,
        proposal.step_index,
        proposal.leader_id,
    ):
        now = (
            f"step {current.step_index} ({current.step.name!r}) for leader {current.leader_id!r}"
            if current is not None
            else f"nothing ({idle_reason(account, policy, on).value})"  # type: ignore[union-attr]
        )
        raise RuleViolation(
            f"{owner}: stale proposal: step {proposal.step_index} ({proposal.step.name!r}) "
            f"for leader {proposal.leader_id!r}, but the scenario now proposes {now}"
        )
    event = ScenarioActionRecorded(
        on=on,
        by=by,
        scenario=current.scenario,
        step_index=current.step_index,
        step_name=current.step.name,
        channel=current.step.channel,
        leader_id=current.leader_id,
        item_ids=current.item_ids,
        amount=current.balance,
        note=note,
    )
    return attrs.evolve(account, journal=(*account.journal, event))
