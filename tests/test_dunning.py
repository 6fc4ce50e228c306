"""SPEC §3: the next scenario action, cycles, restart, catch-up, record_action."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from builders import STANDARD, account, action, credit, d, invoice, policy
from collectlib import (
    ActionCreated,
    Channel,
    Condition,
    IdleReason,
    ItemsSynced,
    Policy,
    Proposal,
    Restart,
    RuleViolation,
    Scenario,
    Step,
    Trigger,
    ValidationError,
    balance,
    collectable_items,
    due_actions,
    excluded_item_ids,
    idle_reason,
    leader_invoice,
    next_action,
    record_action,
)
from collectlib.money import in_currency
from collectlib.portfolio.agenda import REVIEW_COMPLETED
from collectlib.strategies import accounts, dates, policies


def propose(acc, pol, today: str) -> Proposal:
    proposal = next_action(acc, pol, d(today))
    assert proposal is not None, idle_reason(acc, pol, d(today))
    return proposal


class TestFirstCycle:
    def test_first_step_is_due_on_leader_due_date_plus_days(self) -> None:
        acc = account(invoice("F-1", "2026-01-10", 1200), invoice("F-2", "2026-02-10", 300))
        proposal = propose(acc, policy(), "2026-01-05")
        assert (proposal.step_index, proposal.step.name) == (0, "reminder e-mail")
        assert proposal.due_on == d("2026-01-11")
        assert proposal.leader_id == "F-1"
        assert proposal.balance == 1500
        assert proposal.item_ids == {"F-1", "F-2"}
        assert proposal.late_days == 0
        assert proposal.automatic
        assert not proposal.needs_confirmation

    def test_proposal_is_returned_before_it_is_due_and_late_days_count_after(self) -> None:
        acc = account(invoice("F-1", "2026-01-10"))
        assert propose(acc, policy(), "2025-12-01").due_on == d("2026-01-11")
        assert propose(acc, policy(), "2026-01-21").late_days == 10

    def test_unrecorded_reminder_keeps_coming_back_and_never_escalates(self) -> None:
        acc = account(invoice("F-1", "2026-01-10"))
        for today in ("2026-01-11", "2026-02-10", "2026-06-30"):
            assert propose(acc, policy(), today).step_index == 0

    def test_steps_follow_one_another_as_they_are_recorded(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"))
        seen = []
        on = d("2026-01-11")
        while (proposal := next_action(acc, pol, on)) is not None:
            on = max(on, proposal.due_on)
            seen.append((proposal.step.name, proposal.due_on.isoformat()))
            acc = record_action(acc, proposal, pol, on, by="marie")
        assert seen == [
            ("reminder e-mail", "2026-01-11"),
            ("call", "2026-01-25"),
            ("letter", "2026-02-04"),
            ("formal notice", "2026-02-24"),
        ]
        assert idle_reason(acc, pol, on) is IdleReason.SCENARIO_COMPLETED

    def test_after_last_action_counts_from_the_day_the_action_was_done(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"))
        acc = record_action(acc, propose(acc, pol, "2026-01-11"), pol, d("2026-01-11"))
        acc = record_action(acc, propose(acc, pol, "2026-01-30"), pol, d("2026-01-30"))
        assert propose(acc, pol, "2026-01-30").due_on == d("2026-02-09")

    def test_after_last_action_first_step_counts_from_leader_due_date(self) -> None:
        scenario = Scenario(
            name="s",
            steps=(Step(name="call", channel="CALL", trigger=Trigger.after_last_action(3)),),
        )
        pol = Policy(scenarios=(scenario,), default_scenario="s")
        assert propose(account(invoice("F-1", "2026-01-10")), pol, "2026-01-01").due_on == d(
            "2026-01-13"
        )

    def test_step_is_never_due_before_the_last_action_of_the_cycle(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"))
        # the e-mail (due +1) is only sent on +30; the call (due +15) is then due that day
        acc = record_action(acc, propose(acc, pol, "2026-02-09"), pol, d("2026-02-09"))
        assert propose(acc, pol, "2026-02-09").due_on == d("2026-02-09")

    def test_journal_records_who_did_what(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"))
        acc = record_action(
            acc, propose(acc, pol, "2026-01-11"), pol, d("2026-01-12"), note="sent", by="marie"
        )
        (event,) = acc.journal
        assert (event.on, event.by, event.step_index, event.leader_id) == (
            d("2026-01-12"),
            "marie",
            0,
            "F-1",
        )
        assert (event.step_name, event.channel, event.note) == (
            "reminder e-mail",
            Channel.EMAIL,
            "sent",
        )
        assert event.amount == 100


class TestRestart:
    def _after_two_steps(self):
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10", 500), invoice("F-2", "2026-03-10", 200))
        acc = record_action(acc, propose(acc, pol, "2026-01-11"), pol, d("2026-01-11"))
        acc = record_action(acc, propose(acc, pol, "2026-01-25"), pol, d("2026-01-25"))
        return acc, pol

    def test_restart_when_leader_is_paid(self) -> None:
        acc, pol = self._after_two_steps()
        paid = attrs.evolve(acc, items=(attrs.evolve(acc.items[0], open_amount=0), acc.items[1]))
        proposal = propose(paid, pol, "2026-03-20")
        assert (proposal.leader_id, proposal.step_index, proposal.due_on) == (
            "F-2",
            0,
            d("2026-03-11"),
        )

    def test_restart_when_leader_goes_into_a_specific_action(self) -> None:
        acc, pol = self._after_two_steps()
        taken = attrs.evolve(acc, actions=(action("A1", {"F-1"}, "2026-02-15"),))
        proposal = propose(taken, pol, "2026-03-20")
        assert (proposal.leader_id, proposal.step_index) == ("F-2", 0)

    def test_restart_when_excluded_leader_comes_back(self) -> None:
        acc, pol = self._after_two_steps()
        event = ActionCreated(
            on=d("2026-01-26"),
            action_id="A1",
            name="dispute",
            item_ids={"F-1"},
            due_on=d("2026-02-01"),
        )
        back = attrs.evolve(acc, journal=(*acc.journal, event))  # the action is closed again
        proposal = propose(back, pol, "2026-02-01")
        assert (proposal.leader_id, proposal.step_index) == ("F-1", 0)

    def test_restart_when_closed_leader_comes_back(self) -> None:
        acc, pol = self._after_two_steps()
        event = ItemsSynced(on=d("2026-01-27"), closed={"F-1"})
        back = attrs.evolve(acc, journal=(*acc.journal, event))  # then reopened by the ERP
        assert propose(back, pol, "2026-02-01").step_index == 0

    def test_other_items_closing_do_not_restart_the_cycle(self) -> None:
        acc, pol = self._after_two_steps()
        event = ItemsSynced(on=d("2026-01-27"), closed={"F-9"})
        other = attrs.evolve(acc, journal=(*acc.journal, event))
        assert propose(other, pol, "2026-02-01").step_index == 2

    def test_older_invoice_imported_becomes_leader_and_restarts(self) -> None:
        acc, pol = self._after_two_steps()
        older = attrs.evolve(acc, items=(*acc.items, invoice("F-0", "2025-12-20")))
        proposal = propose(older, pol, "2026-02-01")
        assert (proposal.leader_id, proposal.step_index, proposal.due_on) == (
            "F-0",
            0,
            d("2025-12-21"),
        )

    def test_restart_when_the_account_changes_scenario(self) -> None:
        acc, pol = self._after_two_steps()
        other = Scenario(name="other", steps=STANDARD.steps)
        pol = attrs.evolve(pol, scenarios=(STANDARD, other))
        assert propose(attrs.evolve(acc, scenario="other"), pol, "2026-02-01").step_index == 0


class TestResume:
    """``RESUME``: a new leader goes on after the highest step sent while it was overdue."""

    def _chased_then_paid(self, f2_due: str, *, scenario: str = "standard", late: bool = False):
        """F-1 chased twice (e-mail 01-11, call 01-25), then paid: F-2 leads."""
        resume = attrs.evolve(STANDARD, restart=Restart.RESUME)
        pol = policy(scenarios=(resume, attrs.evolve(resume, name="other")))
        f2 = invoice("F-2", f2_due, 200)
        acc = account(invoice("F-1", "2026-01-10", 500), *([] if late else [f2]))
        for day in ("2026-01-11", "2026-01-25"):
            acc = record_action(acc, propose(acc, pol, day), pol, d(day))
        paid = attrs.evolve(acc.items[0], open_amount=0)
        acc = attrs.evolve(acc, items=(paid, f2), scenario=scenario)
        proposal = propose(acc, pol, "2026-02-10")
        return proposal.leader_id, proposal.step.name, proposal.due_on

    def test_the_new_leader_goes_on_after_the_call_that_chased_it(self) -> None:
        # F-2 was overdue when the call went out: the letter follows, 10 days after it.
        assert self._chased_then_paid("2026-01-20") == ("F-2", "letter", d("2026-02-04"))

    def test_a_step_sent_on_the_due_date_did_not_chase_the_leader(self) -> None:
        assert self._chased_then_paid("2026-01-25") == ("F-2", "reminder e-mail", d("2026-01-26"))

    def test_a_step_that_did_not_name_the_leader_did_not_chase_it(self) -> None:
        # F-2 arrived after the two steps: they did not name it.
        assert self._chased_then_paid("2026-01-20", late=True) == (
            "F-2",
            "reminder e-mail",
            d("2026-01-21"),
        )

    def test_of_two_records_of_the_highest_step_the_newest_counts(self) -> None:
        resume = attrs.evolve(STANDARD, restart=Restart.RESUME)
        pol = policy(scenarios=(resume,))
        acc = account(invoice("F-1", "2026-01-10", 500), invoice("F-2", "2026-01-20", 200))
        for day in ("2026-01-11", "2026-01-25"):
            acc = record_action(acc, propose(acc, pol, day), pol, d(day))
        call_again = attrs.evolve(acc.journal[-1], on=d("2026-02-01"))  # read from an old file
        paid = attrs.evolve(acc.items[0], open_amount=0)
        acc = attrs.evolve(acc, items=(paid, acc.items[1]), journal=(*acc.journal, call_again))
        proposal = propose(acc, pol, "2026-02-10")
        assert (proposal.step.name, proposal.due_on) == ("letter", d("2026-02-11"))

    def test_the_steps_of_another_scenario_do_not_count(self) -> None:
        assert self._chased_then_paid("2026-01-20", scenario="other") == (
            "F-2",
            "reminder e-mail",
            d("2026-01-21"),
        )


class TestCatchUp:
    def test_by_default_a_long_overdue_leader_starts_at_step_one(self) -> None:
        acc = account(invoice("F-1", "2025-08-01"))
        proposal = propose(acc, policy(), "2026-01-01")
        assert (proposal.step_index, proposal.due_on, proposal.late_days) == (
            0,
            d("2025-08-02"),
            152,
        )

    def test_catch_up_starts_at_the_latest_leader_due_step_already_due(self) -> None:
        pol = policy(scenarios=(attrs.evolve(STANDARD, restart=Restart.CATCH_UP),))
        acc = account(invoice("F-1", "2025-08-01"))
        proposal = propose(acc, pol, "2026-01-01")
        assert (proposal.step.name, proposal.due_on) == ("formal notice", d("2025-09-15"))
        assert propose(acc, pol, "2025-08-20").step.name == "call"
        assert propose(acc, pol, "2025-08-16").step.name == "call"  # due that very day
        assert propose(acc, pol, "2025-07-01").step.name == "reminder e-mail"

    def test_catch_up_passes_over_a_step_whose_condition_does_not_hold(self) -> None:
        notice = attrs.evolve(STANDARD.steps[3], when=Condition(min_balance=1000))
        steps = (*STANDARD.steps[:3], notice)
        pol = policy(scenarios=(attrs.evolve(STANDARD, steps=steps, restart=Restart.CATCH_UP),))
        assert propose(account(invoice("F-1", "2025-08-01", 300)), pol, "2026-01-01").step.name == (
            "call"
        )
        assert propose(
            account(invoice("F-1", "2025-08-01", 3000)), pol, "2026-01-01"
        ).step.name == ("formal notice")

    def test_catch_up_only_chooses_where_a_cycle_starts(self) -> None:
        pol = policy(scenarios=(attrs.evolve(STANDARD, restart=Restart.CATCH_UP),))
        acc = account(invoice("F-1", "2025-08-01"))
        acc = record_action(acc, propose(acc, pol, "2025-08-20"), pol, d("2025-08-20"))
        proposal = propose(acc, pol, "2026-01-01")
        assert (proposal.step.name, proposal.due_on) == ("letter", d("2025-08-30"))


class TestIdle:
    def test_no_scenario(self) -> None:
        acc = account(invoice("F-1", "2026-01-10"))
        assert next_action(acc, Policy(), d("2026-02-01")) is None
        assert idle_reason(acc, Policy(), d("2026-02-01")) is IdleReason.NO_SCENARIO

    def test_no_leader(self) -> None:
        acc = account(credit("AV-1", "2026-01-10"))
        assert idle_reason(acc, policy(), d("2026-02-01")) is IdleReason.NO_LEADER

    def test_below_minimum_amount(self) -> None:
        acc = account(invoice("F-1", "2026-01-10", 80))
        assert (
            idle_reason(acc, policy(minimum_amount=100), d("2026-02-01"))
            is IdleReason.BELOW_MINIMUM
        )
        assert idle_reason(acc, policy(minimum_amount=80), d("2026-02-01")) is None

    def test_minimum_amount_per_currency_reads_the_account_currency(self) -> None:
        # 50 EUR, 5,000 JPY; a currency the mapping does not name (KWD) has no minimum.
        minimums = policy(minimum_amount={"EUR": 50, "JPY": 5000})
        on = d("2026-02-01")
        euros = account(invoice("F-1", "2026-01-10", 40))
        yen = account(invoice("F-1", "2026-01-10", 4000), currency="JPY")
        more_yen = account(invoice("F-1", "2026-01-10", 5000), currency="JPY")
        dinars = account(invoice("F-1", "2026-01-10", "0.100"), currency="KWD")
        assert idle_reason(euros, minimums, on) is IdleReason.BELOW_MINIMUM
        assert idle_reason(yen, minimums, on) is IdleReason.BELOW_MINIMUM
        assert next_action(more_yen, minimums, on) is not None
        assert next_action(dinars, minimums, on) is not None

    def test_credits_netting_the_balance_to_zero_leave_nothing_to_chase(self) -> None:
        acc = account(invoice("F-1", "2026-01-10", 50), credit("AV-1", "2026-01-01", -50))
        assert idle_reason(acc, policy(), d("2026-02-01")) is IdleReason.BELOW_MINIMUM

    def test_scenario_without_steps_is_completed_at_once(self) -> None:
        pol = Policy(scenarios=(Scenario(name="manual"),), default_scenario="manual")
        acc = account(invoice("F-1", "2026-01-10"))
        assert idle_reason(acc, pol, d("2026-02-01")) is IdleReason.SCENARIO_COMPLETED


class TestRecordAction:
    def test_stale_proposal_is_refused(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"), invoice("F-2", "2026-02-10"))
        proposal = propose(acc, pol, "2026-01-11")
        paid = attrs.evolve(acc, items=(attrs.evolve(acc.items[0], open_amount=0), acc.items[1]))
        with pytest.raises(RuleViolation) as raised:
            record_action(paid, proposal, pol, d("2026-02-11"))
        assert str(raised.value) == (
            "account 'C-1': stale proposal: step 0 ('reminder e-mail') for leader 'F-1', "
            "but the scenario now proposes step 0 ('reminder e-mail') for leader 'F-2'"
        )
        all_paid = attrs.evolve(
            paid, items=(paid.items[0], attrs.evolve(acc.items[1], open_amount=0))
        )
        with pytest.raises(RuleViolation) as raised:
            record_action(all_paid, proposal, pol, d("2026-02-11"))
        assert str(raised.value).endswith("but the scenario now proposes nothing (NO_LEADER)")

    def test_recording_twice_is_refused(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"))
        proposal = propose(acc, pol, "2026-01-11")
        acc = record_action(acc, proposal, pol, d("2026-01-11"))
        with pytest.raises(RuleViolation, match="stale proposal"):
            record_action(acc, proposal, pol, d("2026-01-12"))

    def test_recording_before_the_last_scenario_action_is_refused(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"))
        acc = record_action(acc, propose(acc, pol, "2026-01-11"), pol, d("2026-01-20"))
        proposal = propose(acc, pol, "2026-01-25")
        with pytest.raises(
            RuleViolation, match=r"cannot record an action on 2026-01-19, before the last"
        ):
            record_action(acc, proposal, pol, d("2026-01-19"))

    def test_proposal_for_another_account_is_refused(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"))
        proposal = propose(acc, pol, "2026-01-11")
        with pytest.raises(RuleViolation, match="the proposal is for account 'C-1'"):
            record_action(attrs.evolve(acc, id="C-2"), proposal, pol, d("2026-01-11"))

    def test_nothing_to_record_when_idle(self) -> None:
        pol = policy()
        acc = account(invoice("F-1", "2026-01-10"))
        proposal = propose(acc, pol, "2026-01-11")
        closed = attrs.evolve(acc, items=(attrs.evolve(acc.items[0], open_amount=0),))
        with pytest.raises(RuleViolation, match=r"now proposes nothing \(NO_LEADER\)"):
            record_action(closed, proposal, pol, d("2026-01-11"))


# --- properties -----------------------------------------------------------------------

BASE = dt.date(2026, 1, 1)
NEAR_BASE = dates(BASE - dt.timedelta(days=400), BASE + dt.timedelta(days=400))
"""The dates drawn: within 400 days of ``BASE``."""
ACCOUNTS = accounts(issue_dates=NEAR_BASE, payment_terms=st.integers(-10, 90))
"""Accounts whose items are issued near ``BASE``, due up to 10 days before their issue
and up to 90 days after it."""

days = st.integers(min_value=-30, max_value=500).map(lambda n: BASE + dt.timedelta(days=n))


@given(ACCOUNTS, policies(min_steps=1, with_default=True), days)
def test_proposal_names_only_collectable_items_and_the_leader(acc, pol, today) -> None:
    proposal = next_action(acc, pol, today)
    assume(proposal is not None)
    assert proposal is not None
    collectable = {item.id for item in collectable_items(acc, pol)}
    assert proposal.item_ids == collectable
    assert not proposal.item_ids & excluded_item_ids(acc, pol)
    assert proposal.leader_id == leader_invoice(acc, pol).id
    assert proposal.balance == balance(acc, pol) > 0
    assert proposal.balance >= in_currency(pol.minimum_amount, acc.currency)
    assert proposal.late_days == max(0, (today - proposal.due_on).days)


@given(
    accounts(currency=st.sampled_from(["EUR", "JPY", "KWD"]), issue_dates=NEAR_BASE),
    policies(min_steps=1, with_default=True, thresholds=0),
    st.sampled_from(["EUR", "JPY", "KWD"]),
    st.integers(0, 200_000),
    days,
)
def test_a_minimum_for_one_currency_is_that_amount_there_and_zero_elsewhere(
    acc, pol, currency, minimum, today
) -> None:
    mapped = attrs.evolve(pol, minimum_amount={currency: minimum})
    same = attrs.evolve(pol, minimum_amount=minimum if acc.currency == currency else 0)
    assert next_action(acc, mapped, today) == next_action(acc, same, today)
    assert idle_reason(acc, mapped, today) == idle_reason(acc, same, today)


@given(ACCOUNTS, policies(with_default=True), days)
def test_next_action_and_idle_reason_agree(acc, pol, today) -> None:
    assert (next_action(acc, pol, today) is None) == (idle_reason(acc, pol, today) is not None)


@given(ACCOUNTS, policies(min_steps=1, with_default=True), days, st.integers(0, 40))
def test_recording_the_proposal_gives_the_next_step_or_none(acc, pol, today, delay) -> None:
    pol = without_conditions(pol)  # conditions skip steps: tests/test_cadence.py
    proposal = next_action(acc, pol, today)
    assume(proposal is not None)
    assert proposal is not None
    # A catch-up scenario starts a cycle at the step due on the day asked about: a day
    # later it may start further on, and the proposal is then stale (the next test).
    catch_up = pol.scenario(proposal.scenario).restart is Restart.CATCH_UP
    on = today if catch_up else today + dt.timedelta(days=delay)
    before = (acc, hash(acc), pol, hash(pol), proposal, hash(proposal))
    after = record_action(acc, proposal, pol, on)
    assert before == (acc, hash(acc), pol, hash(pol), proposal, hash(proposal))
    following = next_action(after, pol, on)
    scenario = pol.scenario(proposal.scenario)
    last = len(scenario.steps) - 1
    if following is None:
        # Every step and repeat done: completed, and a review row asks for a decision.
        assert idle_reason(after, pol, on) is IdleReason.SCENARIO_COMPLETED
        assert proposal.step_index == last
        assert proposal.repeat == (scenario.repeat.max_times if scenario.repeat else 0)
        later = on + dt.timedelta(days=400)
        reviews = [r for r in due_actions(after, pol, later) if r.name == REVIEW_COMPLETED]
        assert [r.due_on for r in reviews] == [
            business(pol, on + dt.timedelta(scenario.review_after_days))
        ]
    elif proposal.step_index == last:  # the last step again (Repeat)
        assert scenario.repeat is not None
        assert (following.step_index, following.repeat) == (last, proposal.repeat + 1)
        assert following.due_on == business(pol, on + dt.timedelta(scenario.repeat.every_days))
    else:
        assert (following.step_index, following.repeat) == (proposal.step_index + 1, 0)
        assert following.leader_id == proposal.leader_id
        assert following.due_on >= on


def test_a_catch_up_proposal_recorded_after_the_scenario_moved_on_is_stale() -> None:
    pol = policy(scenarios=(attrs.evolve(STANDARD, restart=Restart.CATCH_UP),))
    acc = account(invoice("F-1", "2026-01-10"))
    proposal = propose(acc, pol, "2026-01-20")  # the e-mail, due January 11
    assert proposal.step.name == "reminder e-mail"
    with pytest.raises(
        RuleViolation, match=r"stale proposal: step 0 .* now proposes step 1 \('call'\)"
    ):
        record_action(acc, proposal, pol, d("2026-01-26"))  # the call became due on the 25th
    assert record_action(acc, proposal, pol, d("2026-01-24")).journal[-1].step_index == 0


@given(ACCOUNTS, policies(with_default=True), days)
def test_next_action_is_deterministic_and_leaves_inputs_unchanged(acc, pol, today) -> None:
    snapshot = (acc, hash(acc), pol, hash(pol))
    first = next_action(acc, pol, today)
    assert next_action(acc, pol, today) == first
    assert snapshot == (acc, hash(acc), pol, hash(pol))


@given(ACCOUNTS, policies(with_default=True), days, days)
def test_without_catch_up_the_proposal_does_not_depend_on_today(acc, pol, day1, day2) -> None:
    # Conditions read the day (the leader's days late): lifted, like CATCH_UP.
    pol = without_conditions(pol)
    pol = attrs.evolve(
        pol,
        scenarios=tuple(attrs.evolve(s, restart=Restart.FIRST_STEP) for s in pol.scenarios),
    )
    first, second = next_action(acc, pol, day1), next_action(acc, pol, day2)
    if first is None or second is None:
        assert first is second is None
    else:
        # Only what the day changes: lateness, and with it the automatic lateness limit.
        same = {"late_days": 0, "needs_confirmation": False, "send_at": None}
        assert attrs.evolve(first, **same) == attrs.evolve(second, **same)


def business(pol: Policy, day: dt.date) -> dt.date:
    """``day`` on a business day of the policy's calendar (SPEC 13.1 (e))."""
    return day if pol.calendar is None else pol.calendar.next_business_day(day)


def without_conditions(pol: Policy) -> Policy:
    """The policy with its steps' conditions and its contact spacing lifted.

    Every step applies, on its trigger date (conditions and spacing: test_cadence.py).
    """
    return attrs.evolve(
        pol,
        min_days_between_contacts=0,
        scenarios=tuple(
            attrs.evolve(s, steps=tuple(attrs.evolve(step, when=None) for step in s.steps))
            for s in pol.scenarios
        ),
    )


@settings(suppress_health_check=[HealthCheck.filter_too_much])  # most draws have no step 2 due
@given(ACCOUNTS, policies(min_steps=2, with_default=True), days)
def test_catch_up_never_proposes_a_step_not_yet_due_when_an_earlier_one_is(acc, pol, today) -> None:
    pol = attrs.evolve(
        without_conditions(pol),
        scenarios=tuple(
            attrs.evolve(s, restart=Restart.CATCH_UP) for s in without_conditions(pol).scenarios
        ),
    )
    proposal = next_action(acc, pol, today)
    assume(proposal is not None and proposal.step_index > 0)
    assert proposal is not None
    assert proposal.due_on <= business(pol, today)  # chosen by its trigger date (SPEC 13.1)


# --- stateful: a collector working an account day after day ---------------------------


class CollectorWorksAnAccount(RuleBasedStateMachine):
    """Days pass, the collector performs what is proposed, the customer pays now and then."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = attrs.evolve(
            Policy(scenarios=(STANDARD,), default_scenario="standard"), minimum_amount=Decimal(10)
        )
        self.account = account(
            invoice("F-1", "2026-01-10", 400),
            invoice("F-2", "2026-02-10", 250),
            invoice("F-3", "2026-03-10", 125),
            credit("AV-1", "2026-01-05", -60),
        )
        self.today = d("2026-01-01")
        self.last_done: dt.date | None = None

    @rule(days=st.integers(1, 20))
    def days_pass(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    @precondition(lambda self: next_action(self.account, self.policy, self.today) is not None)
    @rule()
    def collector_performs_the_proposal(self) -> None:
        proposal = next_action(self.account, self.policy, self.today)
        assert proposal is not None
        before = self.account
        self.account = record_action(before, proposal, self.policy, self.today, by="marie")
        assert len(self.account.journal) == len(before.journal) + 1
        self.last_done = self.today

    @rule(data=st.data())
    def customer_pays_an_invoice(self, data: st.DataObject) -> None:
        open_items = [item for item in self.account.items if item.is_debit]
        if not open_items:
            return
        paid = data.draw(st.sampled_from(open_items))
        items = tuple(
            attrs.evolve(item, open_amount=0) if item.id == paid.id else item
            for item in self.account.items
        )
        event = ItemsSynced(on=self.today, closed={paid.id})
        self.account = attrs.evolve(
            self.account, items=items, journal=(*self.account.journal, event)
        )

    @invariant()
    def proposal_is_consistent(self) -> None:
        proposal = next_action(self.account, self.policy, self.today)
        reason = idle_reason(self.account, self.policy, self.today)
        assert (proposal is None) == (reason is not None)
        if proposal is not None:
            leader = leader_invoice(self.account, self.policy)
            assert leader is not None
            assert proposal.leader_id == leader.id
            if self.last_done is not None and proposal.step_index > 0:
                assert proposal.due_on >= self.last_done


TestCollectorWorksAnAccount = CollectorWorksAnAccount.TestCase


@pytest.mark.parametrize("today", ["2026-01-01", None, dt.datetime(2026, 1, 1)])
def test_the_date_asked_about_must_be_a_date(today: object) -> None:
    acc = account(invoice("F-1", "2026-01-10"))
    with pytest.raises(ValidationError, match=r"next_action: on must be a date"):
        next_action(acc, policy(), today)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"idle_reason: on must be a date"):
        idle_reason(acc, policy(), today)  # type: ignore[arg-type]


def test_record_action_checks_its_arguments() -> None:
    pol = policy()
    acc = account(invoice("F-1", "2026-01-10"))
    proposal = propose(acc, pol, "2026-01-11")
    with pytest.raises(ValidationError, match="record_action: on must be a date"):
        record_action(acc, proposal, pol, "2026-01-11")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="record_action: proposal must be a Proposal"):
        record_action(acc, None, pol, d("2026-01-11"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="record_action: by must be a string"):
        record_action(acc, proposal, pol, d("2026-01-11"), by=7)  # type: ignore[arg-type]
