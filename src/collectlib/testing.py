"""A rules state machine for your own collection invariants (extra ``collectlib[testing]``).

``CollectionMachine`` is a Hypothesis ``RuleBasedStateMachine`` that drives one
account through random sequences of everything a collection team does (days passing,
scenario actions performed, statuses applied, quick promises, specific actions created,
rescheduled, completed and cancelled, owners assigned, payment plans agreed, reviewed
and broken, ERP extracts merged with payments) and checks collectlib's invariants after
every step.
Subclass it to steer the draws (override ``draw_policy`` and ``draw_account``) and to
add your own ``@invariant()`` methods::

    from hypothesis.stateful import invariant
    from collectlib.testing import CollectionMachine

    class MyRules(CollectionMachine):
        @invariant()
        def disputed_items_are_never_chased(self):
            proposal = self.proposal()
            disputed = {i.id for i in self.account.items
                        if i.status and self.policy.status(i.status).is_dispute}
            assert proposal is None or not proposal.item_ids & disputed

    TestMyRules = MyRules.TestCase

An operation the rules refuse (a ``CollectError``) is part of the game: the machine
checks that the account it was given is unchanged, and goes on.  Policies come with a
business calendar and a sending window now and then, accounts with a time zone: no
computed due date falls on a non-business day, and no automatic message goes out on
one or outside the window, read in the customer's local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from collectlib.enums import Channel, EntryKind, FollowUp, IdleReason, ItemKind, Restart
from collectlib.errors import CollectError
from collectlib.model import Account, ActionTemplate, Item, Policy, ScenarioActionRecorded
from collectlib.portfolio import agenda, due_actions, exposure, holds, simulate
from collectlib.portfolio.agenda import REVIEW_DISPUTE
from collectlib.rules import (
    Proposal,
    apply_status,
    assign_owner,
    cancel_action,
    cancel_plan,
    complete_action,
    create_action,
    create_plan,
    credit_hold,
    end_pause,
    excluded_item_ids,
    explain,
    next_action,
    pause,
    quick_promise,
    record_action,
    release_hold,
    reschedule_action,
    review_plan,
    schedule,
    sync_items,
)
from collectlib.rules.dunning import fee_amount, last_contact, paused_until
from collectlib.rules.groups import group_of
from collectlib.strategies import accounts, behaviours, dates, policies

__all__ = ["CollectionMachine"]

R = TypeVar("R")


def _validated(account: Account) -> Account:
    """Return ``account`` rebuilt by the validating constructors, its items and events too.

    The operations build the accounts (and some events) they return without validating
    them again (``trusted_evolve``, ``trusted_new``); this is the differential check that
    they need not: the same fields through ``Account``, ``Item`` and the events' classes
    give the same account with fields of the same types, or a ``ValidationError``.
    """
    items = tuple(_rebuilt(item) for item in account.items)
    journal = tuple(_rebuilt(event) for event in account.journal)
    fields = attrs.asdict(account, recurse=False)
    return Account(**{**fields, "items": items, "journal": journal})


def _rebuilt(record: R) -> R:
    """Return ``record`` built again by its class, after checking its fields' types match."""
    instance: Any = record
    rebuilt: R = type(record)(**attrs.asdict(instance, recurse=False))
    for field in attrs.fields(type(instance)):
        mine, theirs = getattr(record, field.name), getattr(rebuilt, field.name)
        assert type(mine) is type(theirs), f"{record!r}: {field.name} is a {type(mine)}"
    return rebuilt


_NOT_CUSTOMER_FACING = (Channel.INTERNAL_INTERACTIVE_EMAIL, Channel.LITIGATION)

_CALL_BACK = ActionTemplate(name="call back", channel="CALL", delay_days=3)


class CollectionMachine(RuleBasedStateMachine):
    """Random days of collection work on one account, with the library's invariants checked.

    Attributes: ``policy``, ``account`` (the current state), ``on`` (the day of
    work).  Runs are 25 steps long by default (``TestCase.settings`` to change it).
    Policies are drawn with every restart rule, repeats and review delays.
    """

    policy: Policy
    account: Account
    on: dt.date

    def draw_policy(self, data: st.DataObject) -> Policy:
        """Draw the policy of the run (override to test your own)."""
        return data.draw(policies(min_steps=1), label="policy")

    def draw_account(self, data: st.DataObject, policy: Policy) -> Account:
        """Draw the account of the run (override to start from your own)."""
        currencies = st.sampled_from(("EUR", "EUR", "JPY", "KWD"))  # thresholds per currency
        return data.draw(
            accounts(policy=policy, min_items=1, with_plans=True, currency=currencies),
            label="account",
        )

    @initialize(data=st.data())
    def start(self, data: st.DataObject) -> None:
        """Draw the policy, the account and the first day."""
        self.policy = self.draw_policy(data)
        self.account = self.draw_account(data, self.policy)
        self.on = data.draw(dates(), label="on")

    def proposal(self) -> Proposal | None:
        """Return the scenario's proposal for the account on the day of work."""
        return next_action(self.account, self.policy, self.on)

    def apply(self, operation: Callable[[Account], Account]) -> None:
        """Run an operation on the account: keep its result, or check a refusal changed nothing."""
        before, fingerprint = self.account, hash(self.account)
        try:
            after = operation(before)
        except CollectError:
            assert self.account is before
            assert hash(before) == fingerprint
            return
        assert hash(before) == fingerprint, "the operation changed its input"
        assert {i.id for i in before.items} <= {i.id for i in after.items}
        assert len(after.journal) >= len(before.journal)
        assert after.journal[: len(before.journal)] == before.journal
        assert after == _validated(after), "the operation built an account Account would refuse"
        self.account = after

    def check_follow_ups(self, before: Account) -> None:
        """Check that the actions an operation dated itself fall on business days.

        Every open action that is new or due on another date than in ``before``: the
        operations that call it date their follow-ups themselves (a template's delay,
        a promise, a plan), never with a date a person gave.
        """
        calendar = self.policy.calendar
        if calendar is None:
            return
        was = {action.id: action.due_on for action in before.actions if action.is_open}
        for action in self.account.actions:
            if action.is_open and was.get(action.id) != action.due_on:
                assert calendar.is_business_day(action.due_on), (
                    f"action {action.id!r} due on {action.due_on}, not a business day"
                )

    def _items(self, data: st.DataObject, *, open_only: bool = True) -> list[str]:
        ids = sorted(i.id for i in self.account.items if i.is_open or not open_only)
        if not ids:
            return []
        return data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True))

    def _action_id(self, data: st.DataObject) -> str | None:
        ids = [a.id for a in self.account.actions]
        return data.draw(st.sampled_from(ids)) if ids else None

    @rule(days=st.integers(1, 30))
    def days_pass(self, days: int) -> None:
        """Let days go by."""
        self.on += dt.timedelta(days=days)

    @precondition(lambda self: self.proposal() is not None)
    @rule()
    def perform_the_proposed_action(self) -> None:
        """Do what the scenario proposes, on its due date at the earliest."""
        proposal = self.proposal()
        assert proposal is not None
        on = max(self.on, proposal.due_on)
        self.apply(lambda a: record_action(a, proposal, self.policy, on, by="collector"))
        self.on = on

    @rule(data=st.data())
    def qualify_items(self, data: st.DataObject) -> None:
        """Apply a status (or clear it) with a follow-up."""
        chosen = self._items(data)
        status = data.draw(st.sampled_from([None, *self.policy.statuses]))
        choices: list[FollowUp | ActionTemplate] = [
            FollowUp.DEFAULT,
            FollowUp.KEEP,
            FollowUp.SCENARIO,
            _CALL_BACK,
        ]
        follow_up = data.draw(st.sampled_from(choices))
        before = self.account
        self.apply(
            lambda a: apply_status(a, chosen, status, self.policy, self.on, follow_up=follow_up)
        )
        self.check_follow_ups(before)
        if self.account is not before and status is not None and status.is_dispute:
            assert set(chosen) <= excluded_item_ids(self.account, self.policy)

    @rule(data=st.data())
    def record_a_quick_promise(self, data: st.DataObject) -> None:
        """Record a quick promise to pay."""
        chosen = self._items(data)
        before = self.account
        self.apply(lambda a: quick_promise(a, chosen, self.policy, self.on))
        self.check_follow_ups(before)

    @rule(data=st.data())
    def create_a_specific_action(self, data: st.DataObject) -> None:
        """Take items out of the scenario with a specific action."""
        chosen = self._items(data)
        before = self.account
        calendar = self.policy.calendar
        self.apply(lambda a: create_action(a, chosen, _CALL_BACK, self.on, calendar=calendar))
        self.check_follow_ups(before)
        if chosen and any(a.is_open and a.item_ids == set(chosen) for a in self.account.actions):
            assert set(chosen) <= excluded_item_ids(self.account, self.policy)

    @rule(data=st.data(), later=st.integers(0, 20))
    def reschedule_an_action(self, data: st.DataObject, later: int) -> None:
        """Move an action's due date."""
        action_id = self._action_id(data)
        if action_id is not None:
            due = self.on + dt.timedelta(days=later)
            self.apply(lambda a: reschedule_action(a, action_id, due, self.on))

    @rule(data=st.data(), complete=st.booleans())
    def close_an_action(self, data: st.DataObject, complete: bool) -> None:
        """Complete or cancel an action; its items return to the scenario."""
        action_id = self._action_id(data)
        if action_id is None:
            return
        action = self.account.action(action_id)
        if complete:
            self.apply(lambda a: complete_action(a, action_id, self.policy, self.on))
        else:
            self.apply(lambda a: cancel_action(a, action_id, self.policy, self.on))
        if action.is_open and not self.account.action(action_id).is_open:
            # Back in the scenario, unless still disputed (then held by another action).
            back = {
                i.id
                for i in self.account.items
                if i.id in action.item_ids and i.status not in self.policy.held_statuses
            }
            assert not back & excluded_item_ids(self.account, self.policy)

    @rule(data=st.data(), owner=st.sampled_from([None, "anna", "paul"]))
    def assign_an_owner(self, data: st.DataObject, owner: str | None) -> None:
        """Put somebody else in charge of resolving items."""
        chosen = self._items(data, open_only=False)
        self.apply(lambda a: assign_owner(a, chosen, owner, self.on))

    @rule(data=st.data())
    def merge_the_erp_extract(self, data: st.DataObject) -> None:
        """Merge the nightly ERP extract: some items paid in full, some in part."""
        extract = []
        for item in self.account.items:
            if not item.is_open:
                continue
            fate = data.draw(st.sampled_from(["unchanged", "unchanged", "paid", "part"]))
            if fate == "paid":
                continue
            if fate == "part" and abs(item.open_amount) > Decimal("0.01"):
                half = (item.open_amount / 2).quantize(Decimal("0.01"))
                extract.append(attrs.evolve(item, open_amount=half or item.open_amount))
            else:
                extract.append(item)
        self.apply(lambda a: sync_items(a, extract, self.on, by="erp"))

    @rule(data=st.data(), days=st.integers(1, 20), capacity=st.none() | st.integers(0, 2))
    def let_the_simulation_work(self, data: st.DataObject, days: int, capacity: int | None) -> None:
        """Let ``simulate`` do the collectors' work and the customer pay for some days.

        A simulation of a valid account never fails: its operations are the library's.
        """
        behaviour = data.draw(behaviours(account_ids=[self.account.id], on=self.on))
        end = self.on + dt.timedelta(days=days - 1)
        result = simulate([self.account], self.policy, self.on, end, behaviour, capacity)
        self.apply(lambda _account: result.accounts[0])
        self.on = end

    @rule(days=st.integers(1, 45))
    def pause_the_customer(self, days: int) -> None:
        """Pause the scenario for some days (a customer on holiday, a negotiation)."""
        until = self.on + dt.timedelta(days=days)
        self.apply(lambda a: pause(a, until, self.on, "holiday", by="collector"))

    @rule()
    def end_the_pause(self) -> None:
        """End a running pause early (refused when there is none)."""
        self.apply(lambda a: end_pause(a, self.on, by="collector"))

    @rule()
    def release_the_credit_hold(self) -> None:
        """Lift the credit hold (refused when the account is not on hold)."""
        self.apply(lambda a: release_hold(a, self.on, "guarantee", by="cfo"))

    @rule(limit=st.none() | st.integers(0, 200_000))
    def change_the_credit_limit(self, limit: int | None) -> None:
        """Give the customer another credit limit (none: no limit), as a credit manager does."""
        self.apply(lambda a: attrs.evolve(a, credit_limit=limit))

    @rule(amount=st.integers(1, 500_000), late=st.integers(0, 90))
    def import_a_disputed_invoice(self, amount: int, late: int) -> None:
        """Merge an extract with a new invoice the ERP already marks as disputed."""
        disputes = [s for s in self.policy.statuses if s.is_dispute]
        if not disputes:
            return
        number = sum(1 for i in self.account.items if i.id.startswith("ERP-")) + 1
        due = self.on - dt.timedelta(days=late)
        disputed = Item(
            id=f"ERP-{number}",
            kind=ItemKind.INVOICE,
            issue_date=due - dt.timedelta(days=30),
            due_date=due,
            amount=Decimal(amount).scaleb(-2),
            open_amount=Decimal(amount).scaleb(-2),
            status=disputes[0].code,
            status_date=self.on,
        )
        extract = [*(i for i in self.account.items if i.is_open), disputed]
        self.apply(lambda a: sync_items(a, extract, self.on, by="erp"))

    @rule(data=st.data(), count=st.integers(1, 4))
    def agree_a_payment_plan(self, data: st.DataObject, count: int) -> None:
        """Agree a payment plan on open debit items, in equal monthly installments."""
        debits = sorted(i.id for i in self.account.items if i.is_debit)
        if not debits:
            return
        chosen = data.draw(st.lists(st.sampled_from(debits), min_size=1, max_size=3, unique=True))
        total = sum((self.account.item(i).open_amount for i in chosen), Decimal(0))
        try:
            installments = schedule(total, count, self.on, currency=self.account.currency)
        except CollectError:  # a total too small (or too precise) to split
            return
        before = self.account
        self.apply(lambda a: create_plan(a, chosen, installments, self.policy, self.on))
        self.check_follow_ups(before)

    @rule(data=st.data(), cancel=st.booleans())
    def review_or_break_a_plan(self, data: st.DataObject, cancel: bool) -> None:
        """Review a plan (or break it off); a plan that ended is refused."""
        if not self.account.plans:
            return
        plan_id = data.draw(st.sampled_from([p.id for p in self.account.plans]))
        if cancel:
            self.apply(lambda a: cancel_plan(a, plan_id, self.on))
        else:
            before = self.account
            self.apply(lambda a: review_plan(a, plan_id, self.policy, self.on))
            self.check_follow_ups(before)

    @invariant()
    def an_item_is_in_at_most_one_running_plan(self) -> None:
        """Check that no item is in two running plans (a plan runs while its action is open)."""
        if not hasattr(self, "account"):
            return
        seen: set[str] = set()
        for plan in self.account.plans:
            if plan.action_id is not None and self.account.action(plan.action_id).is_open:
                assert not seen & plan.item_ids
                seen |= plan.item_ids

    @invariant()
    def excluded_items_are_held_or_disputed(self) -> None:
        """Check the exclusion rule: held by exactly one open action, or disputed.

        And no open disputed item is ever left unfollowed: an open action holds it, or
        its account has a review row asking for a decision.
        """
        if not hasattr(self, "account"):
            return
        held: dict[str, int] = {}
        for action in self.account.actions:
            if action.is_open:
                for item_id in action.item_ids:
                    held[item_id] = held.get(item_id, 0) + 1
        disputed = {i.id for i in self.account.items if i.status in self.policy.held_statuses}
        assert set(held) | disputed == excluded_item_ids(self.account, self.policy)
        assert all(count == 1 for count in held.values())
        unfollowed = {i.id for i in self.account.items if i.is_open and i.id in disputed} - set(
            held
        )
        if unfollowed:
            later = self.on + dt.timedelta(days=400)
            reviewed = {
                item_id
                for row in due_actions(self.account, self.policy, later)
                if row.kind is EntryKind.REVIEW and row.name == REVIEW_DISPUTE
                for item_id in row.item_ids
            }
            assert unfollowed == reviewed, f"{sorted(unfollowed)} disputed without a follow-up"

    @invariant()
    def nobody_is_forgotten(self) -> None:
        """Check that an overdue collectable balance always has a proposal or a review.

        Unless the policy says so: a balance below its minimum, a scenario without
        steps, a pause, or step conditions that hold for no step of a new cycle.
        """
        if not hasattr(self, "account"):
            return
        why = explain(self.account, self.policy, self.on)
        leader = why.leader
        if leader is None or not leader.is_overdue(self.on) or why.scenario is None:
            return
        if why.idle_reason is IdleReason.BELOW_MINIMUM:
            return  # the policy's own threshold: not chased, on purpose
        scenario = self.policy.scenario(why.scenario)
        if not scenario.steps or why.idle_reason is IdleReason.PAUSED:
            return  # accounts handled by hand only; a pause is a collector's decision
        if scenario.has_conditions and why.proposal is None and not why.cycle:
            return  # no step's condition holds for this new cycle: the policy's choice
        assert why.proposal is not None or why.review_due is not None

    @invariant()
    def escalation_never_goes_back_under_resume(self) -> None:
        """Check ``RESUME``: no proposal repeats a step the leader already had while overdue."""
        if not hasattr(self, "account"):
            return
        proposal = self.proposal()
        if proposal is None:
            return
        if self.policy.scenario(proposal.scenario).restart is not Restart.RESUME:
            return
        leader = self.account.item(proposal.leader_id)
        for event in self.account.journal:
            if (
                isinstance(event, ScenarioActionRecorded)
                and event.scenario == proposal.scenario
                and leader.id in event.item_ids
                and event.on > leader.due_date
            ):
                assert (event.step_index, event.repeat) < (proposal.step_index, proposal.repeat)

    @invariant()
    def a_paused_account_has_no_proposal(self) -> None:
        """Check that no scenario proposal comes while a pause runs."""
        if not hasattr(self, "account"):
            return
        if paused_until(self.account, self.on) is not None:
            assert self.proposal() is None
            assert not [
                row
                for row in due_actions(self.account, self.policy, self.on)
                if row.kind is EntryKind.SCENARIO
            ]

    @invariant()
    def contacts_keep_their_spacing(self) -> None:
        """Check that a customer-facing proposal keeps the policy's contact spacing."""
        if not hasattr(self, "account"):
            return
        proposal = self.proposal()
        spacing = self.policy.min_days_between_contacts
        if proposal is None or not spacing or proposal.channel in _NOT_CUSTOMER_FACING:
            return
        contact = last_contact(self.account)
        if contact is not None:
            assert proposal.due_on >= contact + dt.timedelta(days=spacing)

    @invariant()
    def fees_are_charged_once_per_recorded_step(self) -> None:
        """Check each recorded step's fee: the step's own (a repeat: the repeat's), quantized."""
        if not hasattr(self, "account"):
            return
        for event in self.account.journal:
            if isinstance(event, ScenarioActionRecorded):
                scenario = self.policy.scenario(event.scenario)
                step = scenario.steps[event.step_index]
                fee = (
                    (scenario.repeat.fee if scenario.repeat else None) if event.repeat else step.fee
                )
                expected = (
                    Decimal(0)
                    if fee is None
                    else fee_amount(fee, event.amount, self.account.currency)
                )
                assert event.fee == expected

    @invariant()
    def no_stale_message_goes_out_by_itself(self) -> None:
        """Check that an automatic step too late for the policy waits for a confirmation."""
        if not hasattr(self, "account"):
            return
        proposal = self.proposal()
        limit = self.policy.automatic_max_late_days
        if (
            proposal is not None
            and proposal.automatic
            and limit is not None
            and proposal.late_days > limit
        ):
            assert proposal.needs_confirmation
            assert proposal.send_at is None

    @invariant()
    def computed_due_dates_are_business_days(self) -> None:
        """Check that no scenario step or review is due on a weekend day or a holiday."""
        if not hasattr(self, "account") or self.policy.calendar is None:
            return
        calendar = self.policy.calendar
        proposal = self.proposal()
        if proposal is not None:
            assert calendar.is_business_day(proposal.due_on), proposal
        for row in agenda([self.account], self.policy, self.on, horizon_days=60):
            if row.kind is not EntryKind.SPECIFIC:  # a specific action's date may be a person's
                assert calendar.is_business_day(row.due_on), row

    @invariant()
    def automatic_messages_go_out_on_business_days_inside_the_window(self) -> None:
        """Check every ``send_at``: in the customer's local time, a business day, in a slot.

        Aware, in the customer's zone, for an account with a time zone; naive without.
        """
        window = self.policy.sending_window
        if not hasattr(self, "account") or window is None:
            return
        proposal = self.proposal()
        rows = agenda([self.account], self.policy, self.on, horizon_days=60)
        moments = [(row.send_at, row.due_on) for row in rows if row.send_at is not None]
        if proposal is not None and proposal.send_at is not None:
            moments.append((proposal.send_at, proposal.due_on))
        zone = self.account.timezone
        calendar = self.policy.calendar
        for moment, due_on in moments:
            if zone is None:
                assert moment.tzinfo is None
                local = moment
            else:
                assert moment.tzinfo is not None
                local = moment.astimezone(ZoneInfo(zone))
                assert local.replace(tzinfo=None) == moment.replace(tzinfo=None)
            assert local.date() >= max(due_on, self.on)
            assert local.weekday() in window.weekdays
            assert calendar is None or calendar.is_business_day(local.date()), moment
            assert any(start <= local.time() < end for start, end in window.slots), moment

    @invariant()
    def the_proposal_names_only_collectable_items(self) -> None:
        """Check that the scenario never chases an excluded item and leads with one of its items."""
        if not hasattr(self, "account"):
            return
        proposal = self.proposal()
        if proposal is not None:
            assert not proposal.item_ids & excluded_item_ids(self.account, self.policy)
            assert proposal.leader_id in proposal.item_ids
            assert proposal.balance > 0

    @invariant()
    def a_group_over_its_credit_limit_is_on_hold(self) -> None:
        """Check that owing more than its credit limit holds the account, and adds no other hold."""
        if not hasattr(self, "account"):
            return
        account, on = self.account, self.on
        report = exposure([account], on)
        line = report.by_group[group_of(account)][account.currency]
        stepped = credit_hold(account, self.policy, on)
        hold = credit_hold(account, self.policy, on, report)
        assert line.over_limit == (
            account.credit_limit is not None
            and sum((item.open_amount for item in account.items), Decimal(0)) > account.credit_limit
        )
        assert (hold is not None) == (line.over_limit or stepped is not None)
        assert holds([account], self.policy, on) == (() if hold is None else (hold,))
        if hold is not None and stepped is not None:
            assert hold.since == stepped.since


CollectionMachine.TestCase.settings = settings(stateful_step_count=25)
