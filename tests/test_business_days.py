"""Business days (SPEC 11, 13.1 (e), 13.16): every due date collectlib computes is a business day.

A date that falls on a weekend day or a holiday of ``Policy.calendar`` moves to the next
business day: scenario steps (the last adjustment, after spacing and pauses), review
rows, status follow-ups, template delays, promises' and plans' follow-ups.  A date a
person gives is kept as given, and so are the promise date and the installments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import (
    CALL_BACK,
    STANDARD,
    STATUSES,
    account,
    d,
    invoice,
    policy,
    qualifying_policy,
)
from collectlib import (
    Account,
    ActionTemplate,
    BusinessCalendar,
    ConfigurationError,
    EntryKind,
    FollowUp,
    Item,
    ItemKind,
    Policy,
    QuickPromise,
    Restart,
    RuleViolation,
    Scenario,
    SendingWindow,
    Status,
    StatusCategory,
    Step,
    Trigger,
    agenda,
    apply_status,
    create_action,
    create_plan,
    due_actions,
    explain,
    next_action,
    pause,
    quick_promise,
    record_action,
    reschedule_action,
    review_plan,
    schedule,
    sync_items,
)
from collectlib.strategies import accounts, business_calendars, dates, policies

# French public holidays of spring 2026: Easter Monday, Labour Day, VE Day, Ascension,
# Whit Monday.
FRANCE = BusinessCalendar(
    holidays={d("2026-01-01"), d("2026-04-06"), d("2026-05-01"), d("2026-05-08"),
              d("2026-05-14"), d("2026-05-25")}
)  # fmt: skip
OFFICE = SendingWindow(weekdays={0, 1, 2, 3, 4, 5, 6}, slots=[(dt.time(9), dt.time(12))])
PLAN = Status(
    code="plan",
    category=StatusCategory.PAYMENT_PLAN,
    action=ActionTemplate(name="installment check", channel="CALL"),
)


def on_business_days(**changes: object) -> Policy:
    """The standard scenario under the French calendar."""
    return policy(calendar=FRANCE, **changes)


# --- scenario steps -----------------------------------------------------------------------


def test_a_reminder_due_on_saturday_is_due_on_monday() -> None:
    customer = account(invoice("F-1", "2026-02-06"))  # due on a Friday: +1 is a Saturday
    assert next_action(customer, policy(), d("2026-02-06")).due_on == d("2026-02-07")  # type: ignore[union-attr]
    proposal = next_action(customer, on_business_days(), d("2026-02-10"))
    assert proposal is not None
    assert (proposal.step.name, proposal.due_on, proposal.late_days) == (
        "reminder e-mail",
        d("2026-02-09"),
        1,
    )
    customer = record_action(customer, proposal, on_business_days(), d("2026-02-09"))
    call = next_action(customer, on_business_days(), d("2026-02-10"))
    assert call is not None
    assert (call.step.name, call.due_on) == ("call", d("2026-02-23"))  # +15: Saturday 21


def test_a_step_due_on_labour_day_waits_for_monday() -> None:
    customer = account(invoice("F-1", "2026-04-30"))  # +1: Friday 1 May
    proposal = next_action(customer, on_business_days(), d("2026-04-30"))
    assert proposal is not None
    assert proposal.due_on == d("2026-05-04")


def test_the_end_of_the_month_on_a_saturday_moves_into_the_next_month() -> None:
    month_end = Scenario(
        name="month end",
        steps=[Step(name="call", channel="CALL", trigger=Trigger.end_of_month(0))],
    )
    rules = Policy(scenarios=[month_end], default_scenario="month end", calendar=FRANCE)
    proposal = next_action(account(invoice("F-1", "2026-01-15")), rules, d("2026-01-20"))
    assert proposal is not None
    assert proposal.due_on == d("2026-02-02")  # January 31 is a Saturday: intended (SPEC 13.16)


def test_the_business_day_comes_after_a_pause() -> None:
    customer = pause(account(invoice("F-1", "2026-02-06")), d("2026-02-14"), d("2026-02-01"), "x")
    assert next_action(customer, policy(), d("2026-02-14")).due_on == d("2026-02-14")  # type: ignore[union-attr]
    proposal = next_action(customer, on_business_days(), d("2026-02-14"))
    assert proposal is not None
    assert proposal.due_on == d("2026-02-16")


def test_the_business_day_comes_after_the_contact_spacing() -> None:
    rules = on_business_days(min_days_between_contacts=13)
    customer = account(invoice("F-1", "2026-02-06"))
    reminder = next_action(customer, rules, d("2026-02-09"))
    assert reminder is not None
    customer = record_action(customer, reminder, rules, d("2026-02-09"))
    call = next_action(customer, rules, d("2026-02-10"))
    assert call is not None
    # +15 is Saturday 21; the contact of Monday 9 + 13 is Sunday 22: Monday 23.
    assert call.due_on == d("2026-02-23")


def test_catch_up_chooses_its_step_by_the_trigger_dates() -> None:
    catch_up = attrs.evolve(STANDARD, restart=Restart.CATCH_UP)
    rules = Policy(scenarios=[catch_up], default_scenario="standard", calendar=FRANCE)
    customer = account(invoice("F-1", "2025-12-31"))  # +45: Saturday 14 February
    proposal = next_action(customer, rules, d("2026-02-14"))
    assert proposal is not None
    assert (proposal.step.name, proposal.due_on, proposal.late_days) == (
        "formal notice",
        d("2026-02-16"),
        0,
    )
    friday = next_action(customer, rules, d("2026-02-13"))
    assert friday is not None
    assert (friday.step.name, friday.due_on) == ("call", d("2026-01-15"))


def test_the_lateness_limit_reads_the_business_day() -> None:
    rules = on_business_days(automatic_max_late_days=10, sending_window=OFFICE)
    customer = account(invoice("F-1", "2026-02-06"))
    on = d("2026-02-19")
    moved = next_action(customer, rules, on)
    assert moved is not None
    assert (moved.late_days, moved.needs_confirmation, moved.send_at) == (
        10,
        False,
        dt.datetime(2026, 2, 19, 9),
    )
    plain = next_action(customer, attrs.evolve(rules, calendar=None), on)
    assert plain is not None
    assert (plain.late_days, plain.needs_confirmation) == (12, True)


# --- reviews -----------------------------------------------------------------------------


def test_the_review_of_a_completed_scenario_is_due_on_a_business_day() -> None:
    single = Scenario(
        name="single",
        steps=[Step(name="call", channel="CALL", trigger=Trigger.leader_due(1))],
        review_after_days=1,
    )
    rules = Policy(scenarios=[single], default_scenario="single", calendar=FRANCE)
    customer = account(invoice("F-1", "2026-02-04"))
    call = next_action(customer, rules, d("2026-02-06"))
    assert call is not None
    customer = record_action(customer, call, rules, d("2026-02-06"))  # a Friday: +1 Saturday
    assert explain(customer, rules, d("2026-02-07")).review_due == d("2026-02-09")
    assert due_actions(customer, rules, d("2026-02-07")) == ()
    (row,) = due_actions(customer, rules, d("2026-02-09"))
    assert (row.kind, row.due_on) == (EntryKind.REVIEW, d("2026-02-09"))


def test_a_dispute_from_the_erp_on_a_saturday_is_reviewed_on_monday() -> None:
    disputed = attrs.evolve(
        invoice("F-1", "2026-01-10"), status="price-dispute", status_date=d("2026-02-07")
    )
    rules = qualifying_policy(calendar=FRANCE)
    (row,) = agenda([account(disputed)], rules, d("2026-02-07"), horizon_days=5)
    assert (row.kind, row.due_on) == (EntryKind.REVIEW, d("2026-02-09"))
    (row,) = agenda([account(disputed)], qualifying_policy(), d("2026-02-07"))
    assert row.due_on == d("2026-02-07")


# --- follow-ups ----------------------------------------------------------------------------


def test_a_promise_keeps_its_date_and_its_follow_up_moves() -> None:
    rules = qualifying_policy(calendar=FRANCE)
    customer = account(invoice("F-1", "2026-01-10"))
    promised = apply_status(
        customer, ["F-1"], "promise", rules, d("2026-02-04"), promise_date=d("2026-02-07")
    )
    assert promised.item("F-1").promise_date == d("2026-02-07")
    assert promised.actions[0].due_on == d("2026-02-09")


def test_a_quick_promise_keeps_its_date_and_its_follow_up_moves() -> None:
    rules = qualifying_policy(
        calendar=FRANCE, quick_promise=QuickPromise(status="promise", delay_days=3)
    )
    promised = quick_promise(account(invoice("F-1", "2026-01-10")), ["F-1"], rules, d("2026-02-04"))
    assert promised.item("F-1").promise_date == d("2026-02-07")  # Saturday, as promised
    assert promised.actions[0].due_on == d("2026-02-09")


@pytest.mark.parametrize(
    ("status", "follow_up", "due"),
    [
        ("litigation", FollowUp.DEFAULT, "2026-03-09"),  # +30: Saturday 7 March
        ("ongoing", CALL_BACK, "2026-02-09"),  # +3: Sunday 8 February
    ],
)
def test_a_status_follow_up_is_due_on_a_business_day(
    status: str, follow_up: FollowUp, due: str
) -> None:
    rules = qualifying_policy(calendar=FRANCE)
    customer = account(invoice("F-1", "2026-01-10"))
    qualified = apply_status(customer, ["F-1"], status, rules, d("2026-02-05"), follow_up=follow_up)
    assert qualified.actions[0].due_on == d(due)


def test_a_template_delay_needs_the_calendar_and_a_given_date_is_kept() -> None:
    customer = account(invoice("F-1", "2026-01-10"))
    thursday = d("2026-02-05")
    assert create_action(customer, ["F-1"], CALL_BACK, thursday).actions[0].due_on == d(
        "2026-02-08"
    )
    moved = create_action(customer, ["F-1"], CALL_BACK, thursday, calendar=FRANCE)
    assert moved.actions[0].due_on == d("2026-02-09")
    given = create_action(
        customer, ["F-1"], CALL_BACK, thursday, due_on=d("2026-02-08"), calendar=FRANCE
    )
    assert given.actions[0].due_on == d("2026-02-08")  # a person's date: kept
    assert reschedule_action(moved, "A1", d("2026-02-15"), thursday).actions[0].due_on == d(
        "2026-02-15"
    )


def test_a_plan_keeps_its_installments_and_its_follow_ups_move() -> None:
    rules = qualifying_policy(statuses=(*STATUSES, PLAN), calendar=FRANCE)
    customer = account(invoice("F-1", "2026-01-10", 300))
    installments = schedule(300, 3, d("2026-03-07"), every=relativedelta(weeks=4))
    assert [i.due_on for i in installments] == [d("2026-03-07"), d("2026-04-04"), d("2026-05-02")]
    planned = create_plan(customer, ["F-1"], installments, rules, d("2026-03-02"))
    assert planned.plans[0].installments == installments
    assert planned.actions[0].due_on == d("2026-03-09")  # Saturday 7: Monday
    paid = sync_items(
        planned, [attrs.evolve(planned.item("F-1"), open_amount=200)], d("2026-03-09")
    )
    reviewed = review_plan(paid, "P1", rules, d("2026-03-09"))
    # Saturday 4 April, then Easter Monday: Tuesday 7.
    assert reviewed.action("A1").due_on == d("2026-04-07")
    again = review_plan(reviewed, "P1", rules, d("2026-03-10"))
    assert again.action("A1").due_on == d("2026-04-07")  # not due yet: left alone


def test_a_plan_follow_up_already_on_its_business_day_stays() -> None:
    rules = qualifying_policy(statuses=(*STATUSES, PLAN), calendar=FRANCE)
    customer = account(invoice("F-1", "2026-01-10", 300))
    installments = schedule(300, 3, d("2026-03-09"))  # a Monday
    planned = create_plan(customer, ["F-1"], installments, rules, d("2026-03-02"))
    reviewed = review_plan(planned, "P1", rules, d("2026-03-09"))  # due today, not yet late
    assert reviewed.action("A1").due_on == d("2026-03-09")
    assert reviewed.journal[-1].next_due_on == d("2026-03-09")  # type: ignore[attr-defined]
    assert len(reviewed.journal) == len(planned.journal) + 1  # PlanReviewed only


# --- the dates run out -----------------------------------------------------------------------


def test_no_business_day_before_9999_12_31_is_a_rule_violation_naming_the_account() -> None:
    last = dt.date.max
    closed = BusinessCalendar(holidays={last})
    customer = account(invoice("F-1", "9999-12-30"))
    with pytest.raises(RuleViolation, match=r"^account 'C-1': item 'F-1': no business day"):
        next_action(customer, policy(calendar=closed), d("9999-12-30"))
    disputed = attrs.evolve(invoice("F-1", "9999-12-01"), status="price-dispute", status_date=last)
    with pytest.raises(RuleViolation, match=r"^account 'C-1': no business day from 9999-12-31"):
        agenda([account(disputed)], qualifying_policy(calendar=closed), last)
    with pytest.raises(RuleViolation, match=r"^account 'C-1': a follow-up 3 days after 9999-12-31"):
        create_action(account(invoice("F-1", "9999-12-01")), ["F-1"], CALL_BACK, last)


def test_a_window_on_weekend_days_only_is_a_configuration_error() -> None:
    saturdays = SendingWindow(weekdays={5}, slots=[(dt.time(9), dt.time(12))])
    with pytest.raises(ConfigurationError, match=r"policy: sending_window: weekdays \[5\] are all"):
        Policy(sending_window=saturdays, calendar=BusinessCalendar())
    assert Policy(sending_window=saturdays, calendar=BusinessCalendar(weekend=(6,)))


# --- properties ------------------------------------------------------------------------------

NEAR = dates(dt.date(2025, 9, 1), dt.date(2026, 9, 1))
CALENDARS = business_calendars(
    holidays=dates(dt.date(2025, 9, 1), dt.date(2027, 6, 1)), max_holidays=120
)
EVERY_DAY = BusinessCalendar(weekend=(), holidays=())


@st.composite
def worked(draw: st.DrawFn, rules: Policy) -> tuple[Account, dt.date]:
    """An account of ``rules`` with some steps recorded and maybe a pause, and a day to ask."""
    customer = draw(accounts(policy=rules, issue_dates=NEAR, with_plans=True))
    day = draw(NEAR)
    for _ in range(draw(st.integers(0, 5))):
        day += dt.timedelta(days=draw(st.integers(0, 30)))
        if draw(st.integers(0, 4)) == 0:
            customer = pause(customer, day + dt.timedelta(days=draw(st.integers(1, 20))), day, "x")
            continue
        proposal = next_action(customer, rules, day)
        if proposal is not None and proposal.due_on <= day:
            customer = record_action(customer, proposal, rules, day)
    return customer, day + dt.timedelta(days=draw(st.integers(0, 60)))


@settings(max_examples=80)
@given(policies(min_steps=1, calendars=CALENDARS), st.data())
def test_every_computed_due_date_is_a_business_day(rules: Policy, data: st.DataObject) -> None:
    customer, on = data.draw(worked(rules))
    calendar = rules.calendar
    proposal = next_action(customer, rules, on)
    if calendar is None:
        return
    if proposal is not None:
        assert calendar.is_business_day(proposal.due_on)
    for row in agenda([customer], rules, on, horizon_days=90):
        if row.kind is not EntryKind.SPECIFIC:
            assert calendar.is_business_day(row.due_on), row
    review = explain(customer, rules, on).review_due
    assert review is None or calendar.is_business_day(review)


@settings(max_examples=80)
@given(policies(min_steps=1, calendars=st.none()), CALENDARS, st.data())
def test_the_calendar_moves_the_final_date_forward_and_nothing_else(
    rules: Policy, calendar: BusinessCalendar, data: st.DataObject
) -> None:
    """Same step, same leader; the date is the next business day of the one without calendar."""
    if rules.sending_window is not None and rules.sending_window.weekdays <= set(calendar.weekend):
        rules = attrs.evolve(rules, sending_window=None)
    customer, on = data.draw(worked(rules))
    moved = attrs.evolve(rules, calendar=calendar)
    plain, business = explain(customer, rules, on), explain(customer, moved, on)
    assert (plain.proposal is None) is (business.proposal is None)
    if plain.proposal is not None and business.proposal is not None:
        assert (business.proposal.step_index, business.proposal.repeat) == (
            plain.proposal.step_index,
            plain.proposal.repeat,
        )
        assert business.proposal.leader_id == plain.proposal.leader_id
        assert business.proposal.due_on == calendar.next_business_day(plain.proposal.due_on)
        assert business.proposal.due_on >= plain.proposal.due_on
        assert business.proposal.late_days <= plain.proposal.late_days
    if plain.review_due is not None:
        assert business.review_due == calendar.next_business_day(plain.review_due)
    assert business.idle_reason == plain.idle_reason


@settings(max_examples=80)
@given(policies(min_steps=1, calendars=st.none()), st.data())
def test_a_calendar_of_every_day_changes_nothing(rules: Policy, data: st.DataObject) -> None:
    customer, on = data.draw(worked(rules))
    every_day = attrs.evolve(rules, calendar=EVERY_DAY)
    assert explain(customer, every_day, on) == explain(customer, rules, on)
    assert agenda([customer], every_day, on, horizon_days=60) == agenda(
        [customer], rules, on, horizon_days=60
    )
    ids = sorted(i.id for i in customer.items if i.is_open)
    if ids:
        template = ActionTemplate(
            name="call back", channel="CALL", delay_days=data.draw(st.integers(0, 9))
        )
        assert create_action(customer, ids[:1], template, on, calendar=EVERY_DAY) == create_action(
            customer, ids[:1], template, on
        )


@settings(max_examples=60)
@given(CALENDARS, NEAR, st.integers(0, 9), st.integers(1, 5))
def test_follow_ups_fall_on_business_days_and_promises_stay_as_promised(
    calendar: BusinessCalendar, on: dt.date, delay: int, promised_in: int
) -> None:
    rules = qualifying_policy(calendar=calendar)
    debt = Item(
        id="F-1", kind=ItemKind.INVOICE, issue_date=on - dt.timedelta(days=40),
        due_date=on - dt.timedelta(days=10), amount=Decimal(100), open_amount=Decimal(100),
    )  # fmt: skip
    customer = account(debt)
    template = ActionTemplate(name="call back", channel="CALL", delay_days=delay)
    for changed in (
        create_action(customer, ["F-1"], template, on, calendar=calendar),
        apply_status(customer, ["F-1"], "ongoing", rules, on, follow_up=template),
        apply_status(customer, ["F-1"], "litigation", rules, on),
    ):
        (follow_up,) = changed.actions
        assert calendar.is_business_day(follow_up.due_on)
        assert follow_up.due_on >= on
    promise = on + dt.timedelta(days=promised_in)
    promised = apply_status(customer, ["F-1"], "promise", rules, on, promise_date=promise)
    assert promised.item("F-1").promise_date == promise
    assert promised.actions[0].due_on == calendar.next_business_day(promise)
