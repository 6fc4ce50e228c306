"""Why the scenario does what it does for an account, as data (``explain``).

``explain`` gathers what the rules read and decide for one account on one date: its
scenario and restart rule, the items it works on and those it leaves out (and why),
the leader, the steps done in the current cycle, and the proposal, or the reason
there is none and the review that follows.  ``collectlib next`` only formats it; an
application can show it in its own screens.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from collectlib._checks import check_date
from collectlib.enums import ActionState, IdleReason, Restart
from collectlib.model import Account, Item, Policy, ScenarioActionRecorded
from collectlib.money import exact, in_currency
from collectlib.rules.cadence import CreditHold, collector_for, credit_hold
from collectlib.rules.dunning import (
    Decision,
    Proposal,
    cycle_actions,
    decide,
    idle_reason,
    next_action,
    paused_until,
)
from collectlib.rules.selection import check_account_policy, scan, scenario_for_trusted

__all__ = ["Excluded", "Explanation", "explain"]


@attrs.frozen(kw_only=True)
class Excluded:
    """An open item out of the scenario, and why.

    ``action_id`` names the open specific action that holds it; ``status`` its
    ``DISPUTE`` or ``LITIGATION`` status code.  One of them at least is set.
    """

    item_id: str
    action_id: str | None = None
    status: str | None = None


@attrs.frozen(kw_only=True)
class Explanation:
    """Everything the next-action rule reads and decides for one account on one date."""

    account_id: str
    on: dt.date
    currency: str
    scenario: str | None
    """The account's scenario (its own, its client type's, or the default); ``None``: none."""
    restart: Restart | None
    """Where a new cycle of that scenario starts."""
    open_item_ids: tuple[str, ...]
    """Every open item, in account order."""
    collectable_ids: tuple[str, ...]
    """The items the scenario works on: open, not ignored, not excluded."""
    balance: Decimal
    """The sum of the collectable open amounts."""
    excluded: tuple[Excluded, ...]
    """The open items out of the scenario, with the action or status that holds them."""
    ignored_ids: tuple[str, ...]
    """The open debits below ``policy.ignore_below``."""
    ignore_below: Decimal
    """``policy.ignore_below`` in the account's currency."""
    leader: Item | None
    cycle: tuple[ScenarioActionRecorded, ...]
    """The scenario actions of the current cycle, oldest first (empty: a new cycle)."""
    resumed_from: ScenarioActionRecorded | None
    """Under ``RESUME``, the action a new cycle continues after; else ``None``."""
    proposal: Proposal | None
    """The next scenario action (even if not yet due), or ``None``."""
    idle_reason: IdleReason | None
    """Why there is no proposal (``None`` when there is one)."""
    review_due: dt.date | None
    """When the review row of a completed scenario is due (``None``: no review)."""
    unfollowed_disputes: tuple[str, ...]
    """Open disputed items that no open action follows (they give a review row)."""
    skipped: tuple[tuple[int, str], ...] = ()
    """The steps passed over because their condition did not hold: (index, why)."""
    paused_until: dt.date | None = None
    """The end of the pause running on ``on`` (``None``: not paused)."""
    credit_hold: CreditHold | None = None
    """The account's credit hold on ``on`` (``None``: not on hold)."""
    collector: str | None = None
    """The account's collector, or the one its policy's collector rules give it."""


@exact
def explain(account: Account, policy: Policy, on: dt.date) -> Explanation:
    """Return, as data, why the scenario proposes what it does for ``account`` on ``on``.

    >>> from datetime import date
    >>> from collectlib import Item, Scenario, Step, Trigger
    >>> policy = Policy(scenarios=[Scenario(name="standard", steps=[
    ...     Step(name="call", channel="CALL", trigger=Trigger.leader_due(5))])],
    ...     default_scenario="standard", ignore_below=5)
    >>> d = date(2026, 1, 10)
    >>> account = Account(id="C-1", items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=d, due_date=d, amount=900, open_amount=900),
    ...     Item(id="F-2", kind="INVOICE", issue_date=d, due_date=d, amount=3, open_amount=3)])
    >>> why = explain(account, policy, date(2026, 2, 1))
    >>> why.leader.id, why.balance, why.ignored_ids, why.proposal.step.name
    ('F-1', Decimal('900'), ('F-2',), 'call')
    """
    check_date("explain", "on", on)
    check_account_policy("explain", account, policy)
    scenario = scenario_for_trusted(account, policy)
    leader, total, ids, unfollowed = scan(account, policy)
    collectable = frozenset(ids)
    holder: dict[str, str] = {}
    for action in account.actions:
        if action.state is ActionState.OPEN:
            for item_id in action.item_ids:
                holder[item_id] = action.id
    held_statuses = policy.held_statuses
    open_items = [item for item in account.items if item.open_amount]
    excluded = tuple(
        Excluded(
            item_id=item.id,
            action_id=holder.get(item.id),
            status=item.status if item.status in held_statuses else None,
        )
        for item in open_items
        if item.id in holder or item.status in held_statuses
    )
    out = collectable.union(e.item_id for e in excluded)
    ignored = tuple(item.id for item in open_items if item.id not in out)
    decision = decide(account, policy, on, (leader, total, ids, unfollowed))
    cycle: tuple[ScenarioActionRecorded, ...] = ()
    resumed = None
    review_due = None
    skipped: tuple[tuple[int, str], ...] = ()
    if type(decision) is Decision:
        cycle = tuple(
            reversed(
                tuple(cycle_actions(account.journal, decision.scenario.name, decision.leader.id))
            )
        )
        resumed = None if cycle else decision.anchor
        review_due = decision.due_on if decision.review else None
        skipped = decision.skipped
    proposal = next_action(account, policy, on)
    paused = paused_until(account, on)
    reason = idle_reason(account, policy, on)
    return Explanation(
        account_id=account.id,
        on=on,
        currency=account.currency,
        scenario=None if scenario is None else scenario.name,
        restart=None if scenario is None else scenario.restart,
        open_item_ids=tuple(item.id for item in open_items),
        collectable_ids=tuple(ids),
        balance=total,
        excluded=excluded,
        ignored_ids=ignored,
        ignore_below=in_currency(policy.ignore_below, account.currency),
        leader=leader,
        cycle=cycle,
        resumed_from=resumed,
        proposal=proposal,
        idle_reason=reason,
        review_due=review_due,
        unfollowed_disputes=tuple(item.id for item in unfollowed or ()),
        skipped=skipped,
        paused_until=paused,
        credit_hold=credit_hold(account, policy, on) if account.journal else None,
        collector=collector_for(account, policy, total, leader, on),
    )
