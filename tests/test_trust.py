"""Collection a credit manager can trust (SPEC §1, §3.6, §8, §10, §13).

Escalation memory (``Restart``), dispute protection, no stale automatic message,
nobody forgotten (``REVIEW`` rows), repeats: stories with dates and amounts, then
Hypothesis properties over random portfolios.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import CALL_BACK, STANDARD, account, d, invoice, policy, qualifying_policy
from collectlib import (
    Account,
    BusinessCalendar,
    Channel,
    Condition,
    EntryKind,
    Fallback,
    IdleReason,
    ItemsSynced,
    Repeat,
    Restart,
    RuleViolation,
    Scenario,
    ScenarioActionRecorded,
    SendingWindow,
    Step,
    Trigger,
    ValidationError,
    agenda,
    apply_status,
    cancel_action,
    complete_action,
    create_action,
    due_actions,
    excluded_item_ids,
    explain,
    idle_reason,
    leader_invoice,
    next_action,
    record_action,
    sync_items,
)
from collectlib.io.files import load_policy, save_policy
from collectlib.portfolio.agenda import REVIEW_COMPLETED, REVIEW_DISPUTE
from collectlib.rules.dunning import Decision, decide, last_cycle_action
from collectlib.strategies import accounts, dates, policies

OFFICE = SendingWindow(weekdays={0, 1, 2, 3, 4}, slots=[(dt.time(9), dt.time(12))])


def run_scenario(acc: Account, pol, days: list[str]) -> Account:
    """Record the proposal on each day (the collector does what is due)."""
    for day in days:
        proposal = next_action(acc, pol, d(day))
        assert proposal is not None, idle_reason(acc, pol, d(day))
        acc = record_action(acc, proposal, pol, d(day), by="marie")
    return acc


def notice_then_promise(restart: Restart) -> tuple[Account, object]:
    """Garage Morel: A (800.00 due Jan 10) and B (300.00 due Jan 20); the formal notice
    of March 1 names both; on March 3, A is promised (a call-back takes it out)."""
    pol = policy(scenarios=(attrs.evolve(STANDARD, restart=restart),))
    acc = account(invoice("A", "2026-01-10", "800.00"), invoice("B", "2026-01-20", "300.00"))
    acc = run_scenario(acc, pol, ["2026-01-11", "2026-01-25", "2026-02-04", "2026-03-01"])
    assert acc.journal[-1].step_name == "formal notice"
    assert acc.journal[-1].item_ids == {"A", "B"}
    return create_action(acc, ["A"], CALL_BACK, d("2026-03-03")), pol


# --- Where a new cycle starts ------------------------------------------------------------


def test_first_step_sends_the_courtesy_e_mail_after_a_formal_notice() -> None:
    acc, pol = notice_then_promise(Restart.FIRST_STEP)
    proposal = next_action(acc, pol, d("2026-03-03"))
    assert (proposal.leader_id, proposal.step.name) == ("B", "reminder e-mail")


def test_catch_up_starts_at_the_step_the_age_of_the_invoice_reaches() -> None:
    acc, pol = notice_then_promise(Restart.CATCH_UP)
    proposal = next_action(acc, pol, d("2026-03-03"))  # B + 15 reached, B + 45 not yet
    assert (proposal.leader_id, proposal.step.name, proposal.due_on) == (
        "B",
        "call",
        d("2026-02-04"),
    )
    later = next_action(acc, pol, d("2026-03-07"))  # B + 45 = March 6
    assert later.step.name == "formal notice"


def test_resume_continues_after_the_formal_notice_b_already_received() -> None:
    acc, pol = notice_then_promise(Restart.RESUME)
    assert next_action(acc, pol, d("2026-03-03")) is None
    assert idle_reason(acc, pol, d("2026-03-03")) is IdleReason.SCENARIO_COMPLETED
    why = explain(acc, pol, d("2026-03-03"))
    assert why.resumed_from is not None
    assert why.resumed_from.step_name == "formal notice"
    rows = due_actions(acc, pol, d("2026-03-03"))
    assert [(r.kind, r.name, r.due_on, r.amount) for r in rows] == [
        (EntryKind.REVIEW, REVIEW_COMPLETED, d("2026-03-01"), Decimal("300.00"))
    ]


def test_resume_takes_the_step_after_the_one_received_counted_from_it() -> None:
    # The promise comes after the call (February 4 is the call's due date, B is overdue).
    pol = policy(scenarios=(attrs.evolve(STANDARD, restart=Restart.RESUME),))
    acc = account(invoice("A", "2026-01-10", "800.00"), invoice("B", "2026-01-20", "300.00"))
    acc = run_scenario(acc, pol, ["2026-01-11", "2026-01-26"])  # the call names A and B
    acc = create_action(acc, ["A"], CALL_BACK, d("2026-01-28"))
    proposal = next_action(acc, pol, d("2026-01-28"))
    # The letter, ten days after the call that B received (not B's courtesy e-mail).
    assert (proposal.leader_id, proposal.step.name, proposal.due_on) == (
        "B",
        "letter",
        d("2026-02-05"),
    )


def test_resume_ignores_steps_sent_before_the_new_leader_was_due() -> None:
    # B was not yet due when the first steps went out: it starts at step 1.
    pol = policy(scenarios=(attrs.evolve(STANDARD, restart=Restart.RESUME),))
    acc = account(invoice("A", "2026-01-10"), invoice("B", "2026-03-20"))
    acc = run_scenario(acc, pol, ["2026-01-11", "2026-01-25"])
    acc = create_action(acc, ["A"], CALL_BACK, d("2026-01-28"))
    assert next_action(acc, pol, d("2026-03-25")).step.name == "reminder e-mail"


# --- Disputes stay out ---------------------------------------------------------------------


def test_a_disputed_invoice_is_never_the_leader_even_without_its_action() -> None:
    pol = qualifying_policy()
    acc = account(
        attrs.evolve(invoice("F-1", "2026-01-05", "5000.00"), status="price-dispute"),
        invoice("F-2", "2026-02-01", "120.00"),
    )
    proposal = next_action(acc, pol, d("2026-03-02"))
    assert proposal.leader_id == "F-2"
    assert proposal.item_ids == {"F-2"}
    assert proposal.balance == Decimal("120.00")
    rows = due_actions(acc, pol, d("2026-03-02"))
    assert [r.name for r in rows if r.kind is EntryKind.REVIEW] == [REVIEW_DISPUTE]


def test_a_dispute_arriving_from_the_erp_gets_a_review_row_on_its_status_date() -> None:
    pol = qualifying_policy()
    acc = account(invoice("F-1", "2026-01-05", "700.00"))
    disputed = attrs.evolve(
        invoice("F-9", "2026-01-20", "450.00"), status="price-dispute", status_date=d("2026-02-10")
    )
    acc = sync_items(acc, [acc.item("F-1"), disputed], d("2026-02-12"), by="erp")
    (review,) = [r for r in due_actions(acc, pol, d("2026-02-12")) if r.kind is EntryKind.REVIEW]
    assert (review.name, review.due_on, review.late_days, review.item_ids, review.amount) == (
        REVIEW_DISPUTE,
        d("2026-02-10"),
        2,
        {"F-9"},
        Decimal("450.00"),
    )
    assert (review.channel.value, review.automatic, review.step_index) == ("CALL", False, None)
    # Once a collector follows it up, the review row is gone.
    followed = apply_status(acc, ["F-9"], "price-dispute", pol, d("2026-02-12"))
    assert not [
        r for r in due_actions(followed, pol, d("2026-03-30")) if r.kind is EntryKind.REVIEW
    ]


def test_a_dispute_review_row_sums_its_items_and_counts_late_days_from_the_first() -> None:
    def disputed(item_id: str, due: str, amount: str, since: str):
        return attrs.evolve(
            invoice(item_id, due, amount), status="price-dispute", status_date=d(since)
        )

    pol = qualifying_policy()
    acc = account(
        disputed("F-1", "2026-01-10", "500.00", "2026-02-12"),
        disputed("F-2", "2026-01-20", "300.00", "2026-02-10"),
        collector="marie",
    )
    for on, late in (("2026-02-10", 0), ("2026-02-11", 1)):
        (row,) = due_actions(acc, pol, d(on))  # due on the first status date, 800.00
        assert (row.kind, row.name, row.due_on, row.late_days, row.amount, row.item_ids) == (
            EntryKind.REVIEW, REVIEW_DISPUTE, d("2026-02-10"), late, Decimal("800.00"),
            {"F-1", "F-2"},
        )  # fmt: skip
        assert (row.automatic, row.needs_confirmation, row.repeat) == (False, False, 0)
        assert (row.collector, row.on_hold) == ("marie", False)
        assert row.on_hold is False
    (row,) = agenda([acc], pol, d("2026-02-07"), horizon_days=3)  # due in 3 days: 0 late
    assert (row.due_on, row.late_days) == (d("2026-02-10"), 0)
    assert not due_actions(acc, pol, d("2026-02-09"))


# --- Nobody forgotten: the review row ----------------------------------------------------


def completed(review_after_days: int = 5) -> tuple[Account, object]:
    """Cave Bonnet: every step done for F-1 (3,084.22 due Jan 10), the last on Feb 24."""
    pol = policy(scenarios=(attrs.evolve(STANDARD, review_after_days=review_after_days),))
    acc = account(invoice("F-1", "2026-01-10", "3084.22"))
    acc = run_scenario(acc, pol, ["2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24"])
    return acc, pol


def test_a_completed_scenario_shows_a_review_row_until_a_collector_acts() -> None:
    acc, pol = completed(review_after_days=5)
    assert next_action(acc, pol, d("2026-03-16")) is None
    assert not due_actions(acc, pol, d("2026-02-28"))  # not yet due
    (row,) = due_actions(acc, pol, d("2026-03-16"))
    assert (row.kind, row.name, row.due_on, row.late_days, row.amount) == (
        EntryKind.REVIEW,
        REVIEW_COMPLETED,
        d("2026-03-01"),
        15,
        Decimal("3084.22"),
    )
    assert (row.channel.value, row.step_index, row.automatic, row.needs_confirmation) == (
        "REGISTERED_LETTER",
        3,
        False,
        False,
    )
    # The collector decides: litigation. The row is gone, the lawyer's action is there.
    decided = apply_status(acc, ["F-1"], "price-dispute", qualifying_policy(), d("2026-03-16"))
    rows = due_actions(
        decided, attrs.evolve(qualifying_policy(), scenarios=pol.scenarios), d("2026-04-30")
    )
    assert [r.kind for r in rows] == [EntryKind.SPECIFIC]


def test_an_earlier_cycle_on_another_invoice_does_not_move_the_review() -> None:
    """F-0 was chased alone in December and paid; F-1's review counts from F-1's steps."""
    acc, pol = completed(review_after_days=5)
    paid = invoice("F-0", "2025-11-20", "500.00", open_amount=0)
    earlier = ScenarioActionRecorded(
        on=d("2025-11-21"), scenario="standard", step_index=0, step_name="courtesy e-mail",
        channel="EMAIL", leader_id="F-0", item_ids={"F-0"}, amount="500.00",
    )  # fmt: skip
    acc = attrs.evolve(acc, items=(paid, *acc.items), journal=(earlier, *acc.journal))
    (row,) = due_actions(acc, pol, d("2026-03-16"))
    assert (row.kind, row.due_on, row.item_ids) == (EntryKind.REVIEW, d("2026-03-01"), {"F-1"})


def test_a_note_without_follow_up_puts_the_review_off_but_never_forgets() -> None:
    acc, pol = completed(review_after_days=0)
    pol = attrs.evolve(qualifying_policy(), scenarios=pol.scenarios)
    noted = apply_status(acc, ["F-1"], "ongoing", pol, d("2026-03-16"), comment="cheque posted")
    assert not due_actions(noted, pol, d("2026-03-16"))  # acted on today
    (row,) = due_actions(noted, pol, d("2026-03-17"))  # not forgotten
    assert (row.name, row.due_on) == (REVIEW_COMPLETED, d("2026-03-17"))


def test_events_before_the_first_step_do_not_hide_a_later_act_from_the_review() -> None:
    acc, pol = completed(review_after_days=0)
    synced_first = ItemsSynced(on=d("2026-01-05"), added={"F-1"})
    acc = attrs.evolve(acc, journal=(synced_first, *acc.journal))
    pol = attrs.evolve(qualifying_policy(), scenarios=pol.scenarios)
    noted = apply_status(acc, ["F-1"], "ongoing", pol, d("2026-03-16"), comment="cheque posted")
    assert not due_actions(noted, pol, d("2026-03-16"))  # acted on today: put off


def test_a_scenario_without_steps_has_no_review() -> None:
    pol = policy(scenarios=(attrs.evolve(STANDARD, steps=()),))
    acc = account(invoice("F-1", "2026-01-10"))
    assert idle_reason(acc, pol, d("2026-03-16")) is IdleReason.SCENARIO_COMPLETED
    assert due_actions(acc, pol, d("2026-03-16")) == ()


def test_a_review_row_shows_the_last_step_of_the_scenario_as_it_is_now() -> None:
    """F-1 had the four steps; the scenario lost its last two since: the review shows the call."""
    acc, pol = completed(review_after_days=5)
    shorter = policy(scenarios=(attrs.evolve(pol.scenarios[0], steps=STANDARD.steps[:2]),))
    (row,) = due_actions(acc, shorter, d("2026-03-16"))
    assert (row.kind, row.due_on, row.step_index, row.channel) == (
        EntryKind.REVIEW, d("2026-03-01"), 1, Channel.CALL,
    )  # fmt: skip


def test_a_review_row_shows_the_step_channel_not_its_fallback() -> None:
    """An e-mail step with a letter for accounts without address, sent by e-mail."""
    letter = Fallback(channel="LETTER", template="Dear #customer_name, #total_due is due.")
    e_mail = Step(name="reminder", channel="EMAIL", template="#total_due",
                  trigger=Trigger.leader_due(1), fallback=letter)  # fmt: skip
    pol = policy(scenarios=(Scenario(name="standard", steps=(e_mail,), review_after_days=2),))
    acc = account(invoice("F-1", "2026-01-10"), email="billing@durand.example")
    acc = run_scenario(acc, pol, ["2026-01-11"])
    (row,) = due_actions(acc, pol, d("2026-01-13"))
    assert (row.kind, row.due_on, row.channel) == (EntryKind.REVIEW, d("2026-01-13"), Channel.EMAIL)


def test_a_step_or_review_past_the_last_business_day_is_a_rule_violation_naming_the_leader() -> (
    None
):
    last = dt.date.max  # a Friday
    closed = BusinessCalendar(holidays={last})
    with pytest.raises(RuleViolation) as raised:
        next_action(account(invoice("F-1", "9999-12-30")), policy(calendar=closed), last)
    assert str(raised.value) == (
        "account 'C-1': item 'F-1': no business day from 9999-12-31 to 9999-12-31"
    )
    one_step = Scenario(name="standard", steps=STANDARD.steps[:1], review_after_days=2)
    pol = policy(scenarios=(one_step,), calendar=closed)
    acc = run_scenario(account(invoice("F-1", "9999-12-28")), pol, ["9999-12-29"])
    with pytest.raises(RuleViolation) as raised:
        idle_reason(acc, pol, d("9999-12-29"))
    assert str(raised.value) == (
        "account 'C-1': item 'F-1': no business day from 9999-12-31 to 9999-12-31"
    )
    # A disputed item's review row is the account's, not an item's.
    disputed = attrs.evolve(invoice("F-1", "9999-12-01"), status="price-dispute", status_date=last)
    with pytest.raises(RuleViolation) as raised:
        due_actions(account(disputed), qualifying_policy(calendar=closed), last)
    assert str(raised.value) == "account 'C-1': no business day from 9999-12-31 to 9999-12-31"


def test_the_review_counts_from_the_last_step_whose_items_contain_the_leader() -> None:
    """SPEC 13.2: a journal (written by hand) whose steps leave the leader out of their items."""
    one_step = Scenario(name="standard", steps=STANDARD.steps[:1], review_after_days=5)
    two_steps = Scenario(name="standard", steps=STANDARD.steps[:2], review_after_days=5)
    paid = invoice("F-0", "2026-01-05", open_amount=0)

    def step(on: str, index: int, item_ids: set[str]) -> ScenarioActionRecorded:
        return ScenarioActionRecorded(
            on=d(on), scenario="standard", step_index=index, step_name=f"step {index}",
            channel="EMAIL", leader_id="F-1", item_ids=item_ids, amount="100.00",
        )  # fmt: skip

    # No step names F-1 among its items: the review counts from the step completing the scenario.
    acc = account(paid, invoice("F-1", "2026-01-10"), journal=(step("2026-01-11", 0, {"F-0"}),))
    (row,) = due_actions(acc, policy(scenarios=(one_step,)), d("2026-03-16"))
    assert (row.kind, row.due_on) == (EntryKind.REVIEW, d("2026-01-16"))
    # The first step names it, the last does not: from the first.
    journal = (step("2026-01-11", 0, {"F-0", "F-1"}), step("2026-01-25", 1, {"F-0"}))
    acc = attrs.evolve(acc, journal=journal)
    (row,) = due_actions(acc, policy(scenarios=(two_steps,)), d("2026-03-16"))
    assert (row.kind, row.due_on) == (EntryKind.REVIEW, d("2026-01-16"))


# --- Repeat and cap ------------------------------------------------------------------------


def test_the_last_step_comes_back_every_fortnight_twice_then_a_review() -> None:
    pol = policy(
        scenarios=(
            attrs.evolve(STANDARD, repeat=Repeat(every_days=14, max_times=2), review_after_days=3),
        )
    )
    acc = account(invoice("F-1", "2026-01-10", "950.00"))
    acc = run_scenario(acc, pol, ["2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24"])
    first = next_action(acc, pol, d("2026-03-01"))
    assert (first.step.name, first.repeat, first.due_on) == ("formal notice", 1, d("2026-03-10"))
    acc = record_action(acc, first, pol, d("2026-03-11"))
    assert acc.journal[-1].repeat == 1
    second = next_action(acc, pol, d("2026-03-11"))
    assert (second.repeat, second.due_on) == (2, d("2026-03-25"))
    acc = record_action(acc, second, pol, d("2026-03-25"))
    assert next_action(acc, pol, d("2026-03-25")) is None
    (row,) = due_actions(acc, pol, d("2026-03-28"))
    assert (row.name, row.due_on, row.repeat) == (REVIEW_COMPLETED, d("2026-03-28"), 2)


def test_the_last_step_comes_back_only_while_its_condition_holds() -> None:
    notice = attrs.evolve(STANDARD.steps[3], when=Condition(min_balance=500))
    scenario = attrs.evolve(
        STANDARD, steps=(*STANDARD.steps[:3], notice), repeat=Repeat(every_days=14, max_times=2)
    )
    pol = policy(scenarios=(attrs.evolve(scenario, review_after_days=3),))
    acc = account(invoice("F-1", "2026-01-10", "950.00"))
    acc = run_scenario(acc, pol, ["2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24"])
    again = next_action(acc, pol, d("2026-03-01"))
    assert (again.step.name, again.repeat, again.due_on) == ("formal notice", 1, d("2026-03-10"))
    # 650.00 paid: 300.00 left, below the notice's 500: no repeat, the review.
    paid = attrs.evolve(acc, items=(invoice("F-1", "2026-01-10", "950.00", open_amount=300),))
    assert next_action(paid, pol, d("2026-03-01")) is None
    (row,) = due_actions(paid, pol, d("2026-03-01"))
    assert (row.name, row.due_on, row.repeat) == (REVIEW_COMPLETED, d("2026-02-27"), 0)


def test_a_repeat_goes_out_on_the_fallback_and_counts_from_the_last_recording() -> None:
    letter = Fallback(channel="LETTER", template="Dear #customer_name, #total_due is due.")
    e_mail = Step(name="reminder", channel="EMAIL", template="#total_due",
                  trigger=Trigger.leader_due(1), fallback=letter)  # fmt: skip
    scenario = Scenario(name="standard", steps=(e_mail,), repeat=Repeat(every_days=7, max_times=2))
    pol = policy(scenarios=(scenario,))
    acc = run_scenario(account(invoice("F-1", "2026-01-10")), pol, ["2026-01-11"])
    again = next_action(acc, pol, d("2026-01-12"))
    assert (again.repeat, again.due_on, again.channel) == (1, d("2026-01-18"), Channel.LETTER)
    assert decide(acc, pol, d("2026-01-12")).anchor is acc.journal[-1]
    with_address = attrs.evolve(acc, email="billing@durand.example")
    assert next_action(with_address, pol, d("2026-01-12")).channel is Channel.EMAIL


def test_a_scenario_done_to_its_last_repeat_passes_over_no_step() -> None:
    pol = policy(scenarios=(attrs.evolve(STANDARD, repeat=Repeat(every_days=14, max_times=1)),))
    acc = account(invoice("F-1", "2026-01-10", "950.00"))
    days = ["2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24", "2026-03-10"]
    acc = run_scenario(acc, pol, days)  # every step, then the formal notice again
    why = explain(acc, pol, d("2026-03-12"))
    assert (why.proposal, why.review_due, why.skipped) == (None, d("2026-03-10"), ())
    decision = decide(acc, pol, d("2026-03-12"))
    assert (decision.review, decision.repeat, decision.skipped) == (True, 1, ())
    assert decision.anchor is acc.journal[-1]


def test_a_resumed_cycle_names_the_call_it_continues_after_step_or_review() -> None:
    """RESUME: B (300.00) had the call of January 26; A (800.00) is taken out on the 28th."""
    pol = policy(scenarios=(attrs.evolve(STANDARD, restart=Restart.RESUME, review_after_days=5),))
    acc = account(invoice("A", "2026-01-10", "800.00"), invoice("B", "2026-01-20", "300.00"))
    acc = run_scenario(acc, pol, ["2026-01-11", "2026-01-26"])  # the call names A and B
    acc = create_action(acc, ["A"], CALL_BACK, d("2026-01-28"))
    call = acc.journal[-2]
    assert (call.step_name, call.item_ids) == ("call", {"A", "B"})
    # The letter, ten days after that call: B's new cycle continues after it.
    why = explain(acc, pol, d("2026-01-28"))
    assert (why.proposal.step.name, why.proposal.due_on) == ("letter", d("2026-02-05"))
    assert (why.cycle, why.resumed_from, why.skipped) == ((), call, ())
    assert decide(acc, pol, d("2026-01-28")).anchor is call
    # The letter and the formal notice only from 500.00: both skipped for B, a review.
    rich = attrs.evolve(STANDARD.steps[2], when=Condition(min_balance=500))
    notice = attrs.evolve(STANDARD.steps[3], when=Condition(min_balance=500))
    steps = (*STANDARD.steps[:2], rich, notice)
    pol = policy(scenarios=(attrs.evolve(pol.scenarios[0], steps=steps),))
    why = explain(acc, pol, d("2026-01-28"))
    below = "balance 300.00 is below 500"
    assert (why.proposal, why.idle_reason) == (None, IdleReason.SCENARIO_COMPLETED)
    assert (why.cycle, why.resumed_from, why.skipped) == ((), call, ((2, below), (3, below)))
    assert why.review_due == d("2026-01-31")  # the call + 5 days
    decision = decide(acc, pol, d("2026-01-28"))
    assert (decision.review, decision.step_index, decision.anchor) == (True, 1, call)


def test_a_repeat_proposal_recorded_twice_is_stale() -> None:
    pol = policy(scenarios=(attrs.evolve(STANDARD, repeat=Repeat(every_days=7, max_times=3)),))
    acc = account(invoice("F-1", "2026-01-10"))
    acc = run_scenario(acc, pol, ["2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24"])
    repeat = next_action(acc, pol, d("2026-03-03"))
    acc = record_action(acc, repeat, pol, d("2026-03-03"))
    with pytest.raises(
        RuleViolation, match=r"stale proposal: step 3 \('formal notice'\) \(repeat 1\)"
    ):
        record_action(acc, repeat, pol, d("2026-03-04"))


# --- No stale automatic message ----------------------------------------------------------


def test_a_courtesy_e_mail_127_days_late_waits_for_a_person() -> None:
    pol = policy(sending_window=OFFICE)
    acc = account(invoice("F-1", "2025-11-09"))
    proposal = next_action(acc, pol, d("2026-03-16"))  # due 2025-11-10
    assert (proposal.late_days, proposal.automatic) == (126, True)
    assert (proposal.needs_confirmation, proposal.send_at) == (True, None)
    (row,) = agenda([acc], pol, d("2026-03-16"))
    assert (row.needs_confirmation, row.send_at) == (True, None)
    fresh = next_action(acc, pol, d("2025-11-12"))
    assert (fresh.needs_confirmation, fresh.send_at) == (False, dt.datetime(2025, 11, 12, 9))
    unlimited = next_action(acc, attrs.evolve(pol, automatic_max_late_days=None), d("2026-03-16"))
    assert unlimited.send_at == dt.datetime(2026, 3, 16, 9)


def test_an_automatic_step_to_be_confirmed_waits_for_a_person_even_on_time() -> None:
    pol = policy(sending_window=OFFICE)
    acc = run_scenario(account(invoice("F-1", "2026-01-10")), pol, ["2026-01-11", "2026-01-25"])
    acc = run_scenario(acc, pol, ["2026-02-04"])
    notice = next_action(acc, pol, d("2026-02-24"))  # due today, 0 days late
    assert (notice.step.name, notice.late_days, notice.automatic) == ("formal notice", 0, True)
    assert (notice.needs_confirmation, notice.send_at) == (True, None)


def test_an_automatic_step_goes_out_in_the_customer_s_time_zone() -> None:
    pol = policy(sending_window=OFFICE)
    acc = account(invoice("F-1", "2026-01-10"), timezone="America/Montreal")
    proposal = next_action(acc, pol, d("2026-01-12"))  # due Sunday 11: Monday 9:00 there
    montreal = zoneinfo.ZoneInfo("America/Montreal")
    assert proposal.send_at == dt.datetime(2026, 1, 12, 9, tzinfo=montreal)
    assert proposal.send_at.utcoffset() == dt.timedelta(hours=-5)


def test_an_automatic_specific_action_too_late_waits_too() -> None:
    letter = attrs.evolve(
        CALL_BACK, name="letter", channel="EMAIL", template="#total_due", automatic=True
    )
    pol = policy(sending_window=OFFICE, automatic_max_late_days=10)
    acc = create_action(account(invoice("F-1", "2026-03-10")), ["F-1"], letter, d("2026-01-05"))
    (row,) = [r for r in due_actions(acc, pol, d("2026-01-20")) if r.kind is EntryKind.SPECIFIC]
    assert (row.late_days, row.needs_confirmation, row.send_at) == (12, True, None)


# --- Balances, dates, sort order ----------------------------------------------------------


def test_a_balance_that_rounds_to_zero_is_not_chased() -> None:
    acc = account(invoice("F-1", "2026-01-10", "0.004"))
    assert next_action(acc, policy(), d("2026-03-16")) is None
    assert idle_reason(acc, policy(), d("2026-03-16")) is IdleReason.BELOW_MINIMUM
    yen = account(invoice("F-1", "2026-01-10", "0.4"), currency="JPY")
    assert idle_reason(yen, policy(), d("2026-03-16")) is IdleReason.BELOW_MINIMUM
    assert next_action(account(invoice("F-1", "2026-01-10", "0.005")), policy(), d("2026-03-16"))


def test_a_step_past_the_last_date_is_a_rule_violation_naming_the_item() -> None:
    acc = account(invoice("F-9", "9999-12-31"))
    with pytest.raises(RuleViolation, match=r"account 'C-1': item 'F-9' \(due 9999-12-31\)"):
        next_action(acc, policy(), d("9999-12-31"))
    catching_up = policy(scenarios=(attrs.evolve(STANDARD, restart=Restart.CATCH_UP),))
    with pytest.raises(RuleViolation, match=r"would fall due after 9999-12-31"):
        next_action(acc, catching_up, d("9999-12-31"))
    with pytest.raises(ValidationError, match=r"agenda: horizon_days 5 goes past 9999-12-31"):
        agenda([], policy(), d("9999-12-30"), horizon_days=5)


def test_the_agenda_sorts_by_date_then_currency_then_amount() -> None:
    rows = agenda(
        [
            account(invoice("F-1", "2026-03-01", "900.00"), id="C-1", currency="USD"),
            account(invoice("F-2", "2026-03-01", "150000"), id="C-2", currency="JPY"),
            account(invoice("F-3", "2026-03-01", "100.00"), id="C-3"),
            account(invoice("F-4", "2026-03-01", "500.00"), id="C-4"),
        ],
        policy(),
        d("2026-03-16"),
    )
    assert [(r.currency, r.account_id) for r in rows] == [
        ("EUR", "C-4"),
        ("EUR", "C-3"),
        ("JPY", "C-2"),
        ("USD", "C-1"),
    ]


# --- Files ------------------------------------------------------------------------------------


def test_the_policy_files_read_and_write_every_new_field(tmp_path) -> None:
    text = """format = 1
default_scenario = "standard"
automatic_max_late_days = 12
[[scenarios]]
name = "standard"
restart = "RESUME"
repeat = { every_days = 15, max_times = 2 }
review_after_days = 7
[[scenarios.steps]]
name = "call"
channel = "CALL"
trigger = { kind = "LEADER_DUE", days = 5 }
[[scenarios]]
name = "old"
catch_up = true
"""
    (tmp_path / "policy.toml").write_text(text)
    pol = load_policy(tmp_path / "policy.toml")
    standard, old = pol.scenarios
    assert (standard.restart, standard.repeat, standard.review_after_days) == (
        Restart.RESUME,
        Repeat(every_days=15, max_times=2),
        7,
    )
    assert old.restart is Restart.CATCH_UP
    assert pol.automatic_max_late_days == 12
    save_policy(pol, tmp_path / "policy.json")
    written = (tmp_path / "policy.json").read_text()
    assert '"restart": "CATCH_UP"' in written
    assert "catch_up" not in written
    assert load_policy(tmp_path / "policy.json") == pol


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('restart = "AGAIN"', r"restart: unknown Restart 'AGAIN'"),
        ("repeat = { every_days = 0, max_times = 2 }", r"repeat: every_days must be at least 1"),
        ("review_after_days = -1", r"review_after_days must be at least 0"),
        ('catch_up = true\nrestart = "RESUME"', r"give restart or the older catch_up, not both"),
    ],
)
def test_a_bad_scenario_field_in_a_file_names_it(tmp_path, line, message) -> None:
    (tmp_path / "policy.toml").write_text(f'format = 1\n[[scenarios]]\nname = "s"\n{line}\n')
    with pytest.raises(Exception, match=message) as error:
        load_policy(tmp_path / "policy.toml")
    assert type(error.value).__name__ == "LoadError"
    assert "policy.toml" in str(error.value)


# --- Properties ------------------------------------------------------------------------------

portfolio_days = st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 1))


@st.composite
def worked_accounts(draw: st.DrawFn, pol) -> Account:
    """An account of ``pol`` on which the collectors performed some proposals."""
    acc = draw(accounts(policy=pol, with_plans=True))
    day = draw(dates(dt.date(2025, 6, 1), dt.date(2026, 6, 1)))
    for _ in range(draw(st.integers(0, 8))):
        day += dt.timedelta(days=draw(st.integers(0, 40)))
        proposal = next_action(acc, pol, day)
        if proposal is not None and proposal.due_on > day:  # wait for it (a catch-up may move)
            day = proposal.due_on
            proposal = next_action(acc, pol, day)
        if proposal is None:
            continue
        acc = record_action(acc, proposal, pol, day)
        if draw(st.booleans()) and acc.actions:  # a collector closes something
            opened = [a for a in acc.actions if a.is_open]
            if opened:
                held = {i for a in opened for i in a.item_ids}
                if not any(acc.item(i).status in pol.held_statuses for i in held):
                    from collectlib import cancel_action

                    acc = cancel_action(acc, opened[0].id, pol, day)
    return acc


def some_day_after_the_leader(data: st.DataObject, acc: Account, pol) -> dt.date | None:
    """A date from the leader's due date to 400 days later (``None``: no leader)."""
    leader = leader_invoice(acc, pol)
    if leader is None or leader.due_date > dt.date(9000, 1, 1):
        return None
    return leader.due_date + dt.timedelta(days=data.draw(st.integers(1, 400)))


@settings(max_examples=60)
@given(policies(min_steps=1), st.data())
def test_resume_never_proposes_a_step_the_leader_already_had_while_overdue(pol, data) -> None:
    pol = attrs.evolve(
        pol, scenarios=tuple(attrs.evolve(s, restart=Restart.RESUME) for s in pol.scenarios)
    )
    acc = data.draw(worked_accounts(pol))
    leader = leader_invoice(acc, pol)
    if acc.journal and leader is not None and data.draw(st.booleans()):
        # The leader is promised and taken out: the next one's new cycle resumes.
        acc = create_action(acc, [leader.id], CALL_BACK, acc.journal[-1].on)
    on = some_day_after_the_leader(data, acc, pol)
    decision = None if on is None else decide(acc, pol, on)
    if type(decision) is Decision and not last_cycle_action(
        acc.journal, decision.scenario.name, decision.leader.id
    ):
        # A new cycle continues after the highest step the leader had while overdue (newest
        # of equal ones): its proposal or its review says so.
        leader = decision.leader
        chased = [
            event
            for event in reversed(acc.journal)
            if isinstance(event, ScenarioActionRecorded)
            and event.scenario == decision.scenario.name
            and leader.id in event.item_ids
            and event.on > leader.due_date
        ]
        newest_highest = max(chased, key=lambda e: (e.step_index, e.repeat), default=None)
        assert decision.anchor is newest_highest
        assert explain(acc, pol, on).resumed_from is newest_highest
    proposal = None if on is None else next_action(acc, pol, on)
    if proposal is None:
        return
    leader = acc.item(proposal.leader_id)
    for event in acc.journal:
        if (
            isinstance(event, ScenarioActionRecorded)
            and event.scenario == proposal.scenario
            and leader.id in event.item_ids
            and event.on > leader.due_date
        ):
            assert (event.step_index, event.repeat) < (proposal.step_index, proposal.repeat)


@settings(max_examples=60)
@given(policies(), st.data(), portfolio_days)
def test_no_scenario_row_names_an_excluded_item(pol, data, on) -> None:
    portfolio = data.draw(st.lists(worked_accounts(pol), max_size=3, unique_by=lambda a: a.id))
    by_id = {a.id: a for a in portfolio}
    for row in agenda(portfolio, pol, on, horizon_days=90):
        excluded = excluded_item_ids(by_id[row.account_id], pol)
        if row.kind is EntryKind.SCENARIO or row.name == REVIEW_COMPLETED:
            assert not row.item_ids & excluded
        if row.kind is EntryKind.REVIEW:
            assert not row.automatic
            assert not row.needs_confirmation
            assert row.send_at is None


@settings(max_examples=60)
@given(policies(min_steps=1), st.data())
def test_nobody_is_forgotten(pol, data) -> None:
    acc = data.draw(worked_accounts(pol))
    on = some_day_after_the_leader(data, acc, pol)
    if on is None:
        return
    why = explain(acc, pol, on)
    if why.scenario is None or why.idle_reason is IdleReason.BELOW_MINIMUM:
        return  # no scenario, or the policy's own threshold: not chased on purpose
    scenario = pol.scenario(why.scenario)
    if not scenario.steps or why.idle_reason is IdleReason.PAUSED:
        return  # handled by hand, or paused: a collector's decision
    if scenario.has_conditions and why.proposal is None and not why.cycle:
        return  # no step's condition holds for this new cycle: the policy's choice
    # A proposal, or a review row (conditions are read on the date asked: later, a
    # skipped step may apply again, so the review is looked at as of that date).
    assert why.proposal is not None or why.review_due is not None
    if why.proposal is None:
        horizon = max(0, (why.review_due - on).days)
        rows = agenda([acc], pol, on, horizon_days=horizon)
        assert any(r.name == REVIEW_COMPLETED for r in rows)


@settings(max_examples=60)
@given(policies(), st.data(), portfolio_days)
def test_every_row_follows_the_automatic_lateness_limit(pol, data, on) -> None:
    pol = attrs.evolve(pol, sending_window=OFFICE)
    portfolio = data.draw(st.lists(worked_accounts(pol), max_size=3, unique_by=lambda a: a.id))
    limit = pol.automatic_max_late_days
    for row in agenda(portfolio, pol, on, horizon_days=30):
        if row.automatic and limit is not None and row.late_days > limit:
            assert row.needs_confirmation
            assert row.send_at is None
        if row.send_at is not None:
            assert row.automatic
            assert not row.needs_confirmation


@settings(max_examples=60)
@given(policies(min_steps=1), st.data(), portfolio_days)
def test_explain_says_what_the_rules_say(pol, data, on) -> None:
    acc = data.draw(worked_accounts(pol))
    why = explain(acc, pol, on)
    assert why.proposal == next_action(acc, pol, on)
    assert why.idle_reason == idle_reason(acc, pol, on)
    excluded = excluded_item_ids(acc, pol)
    assert {e.item_id for e in why.excluded} == {i for i in excluded if acc.item(i).is_open}
    open_ids = {i.id for i in acc.items if i.is_open}
    assert (
        set(why.collectable_ids) | {e.item_id for e in why.excluded} | set(why.ignored_ids)
        == open_ids
    )
    # The agenda of ``on`` looking far ahead (conditions read on ``on``, as explain does):
    # due_actions of a later day would read the conditions on that day instead.
    reviews = [r.due_on for r in agenda([acc], pol, on, 5000) if r.name == REVIEW_COMPLETED]
    assert reviews == ([why.review_due] if why.review_due is not None else [])


@settings(max_examples=40)
@given(policies(min_steps=1), st.data(), portfolio_days, st.integers(1, 4))
def test_repeats_never_exceed_their_cap(pol, data, on, times) -> None:
    pol = attrs.evolve(
        pol,
        scenarios=tuple(
            attrs.evolve(s, repeat=Repeat(every_days=7, max_times=times)) for s in pol.scenarios
        ),
    )
    acc = data.draw(worked_accounts(pol))
    proposal = next_action(acc, pol, on)
    if proposal is not None:
        assert 0 <= proposal.repeat <= times
        if proposal.repeat:
            assert proposal.step_index == len(pol.scenario(proposal.scenario).steps) - 1
    for event in acc.journal:
        if isinstance(event, ScenarioActionRecorded):
            assert event.repeat <= times


def test_an_item_list_is_not_an_account() -> None:
    with pytest.raises(ValidationError, match=r"^explain: account must be an Account, not None"):
        explain(None, policy(), d("2026-03-16"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^next_action: policy must be a Policy"):
        next_action(account(), None, d("2026-03-16"))  # type: ignore[arg-type]


def test_the_disputes_nobody_follows_are_listed_by_the_selection() -> None:
    from collectlib.rules.selection import unfollowed_disputes

    pol = qualifying_policy()
    disputed = attrs.evolve(
        invoice("F-9", "2026-01-20", "450.00"), status="price-dispute", status_date=d("2026-04-10")
    )
    acc = account(invoice("F-1", "2026-01-05"), disputed)
    assert [item.id for item in unfollowed_disputes(acc, pol)] == ["F-9"]
    # Its review row is due on its status date: not yet on the agenda of March 16.
    assert not [r for r in due_actions(acc, pol, d("2026-03-16")) if r.kind is EntryKind.REVIEW]
    assert unfollowed_disputes(account(invoice("F-1", "2026-01-05")), pol) == []


def test_a_scenario_copied_or_unpickled_still_knows_its_conditions() -> None:
    import copy
    import pickle

    from collectlib import Condition

    scenario = attrs.evolve(
        STANDARD,
        steps=(
            attrs.evolve(STANDARD.steps[0], when=Condition(min_days_late=3)),
            *STANDARD.steps[1:],
        ),
    )
    for twin in (pickle.loads(pickle.dumps(scenario)), copy.deepcopy(scenario)):
        assert twin == scenario
        assert twin.has_conditions
    assert not STANDARD.has_conditions


@pytest.mark.parametrize("close", [complete_action, cancel_action])
def test_a_review_comes_back_after_a_follow_up_gives_the_leader_back(close) -> None:
    acc, pol = completed(review_after_days=5)  # the last step on Feb 24: review due Mar 1
    pol = policy(scenarios=(attrs.evolve(pol.scenarios[0], restart=Restart.RESUME),))
    called = create_action(acc, ["F-1"], CALL_BACK, d("2026-03-02"))
    assert [r.kind for r in due_actions(called, pol, d("2026-03-30"))] == [EntryKind.SPECIFIC]
    done = close(called, "A1", pol, d("2026-03-05"))  # the customer did not pay
    reviews = [r for r in due_actions(done, pol, d("2026-03-30")) if r.kind is EntryKind.REVIEW]
    assert [r.due_on for r in reviews] == [d("2026-03-10")]  # five days after the call-back


def test_contact_spacing_past_the_last_date_is_a_rule_violation() -> None:
    pol = policy(min_days_between_contacts=14)
    acc = account(invoice("F-1", "9999-12-01"))
    acc = record_action(acc, next_action(acc, pol, d("9999-12-30")), pol, d("9999-12-30"))
    with pytest.raises(RuleViolation, match=r"the contact spacing would fall after 9999-12-31"):
        next_action(acc, pol, d("9999-12-31"))


def test_a_credit_hold_names_its_currency_and_babel_its_locale() -> None:
    from collectlib import CreditHold
    from collectlib._babel import parse_locale

    with pytest.raises(ValidationError, match=r"currency must be an ISO 4217 code"):
        CreditHold(account_id="C-1", reason="x", since=None, amount=5, currency="euro")
    with pytest.raises(ValidationError, match=r"locale must be a string like 'fr_FR', not 5"):
        parse_locale(5)


def test_a_pause_hides_the_review_until_it_ends_and_paused_comes_first() -> None:
    from collectlib import pause

    acc, pol = completed(review_after_days=5)  # review due March 1
    paused = pause(acc, d("2026-03-20"), d("2026-02-26"), "negotiation")
    assert idle_reason(paused, pol, d("2026-03-10")) is IdleReason.PAUSED  # before COMPLETED
    assert not due_actions(paused, pol, d("2026-03-19"))
    (row,) = due_actions(paused, pol, d("2026-03-20"))
    assert (row.name, row.due_on) == (REVIEW_COMPLETED, d("2026-03-20"))
    assert idle_reason(paused, pol, d("2026-03-20")) is IdleReason.SCENARIO_COMPLETED
