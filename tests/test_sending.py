"""Automatic sending: ``send_at`` and the sending times of proposals and agenda rows."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    Channel,
    Item,
    Policy,
    Scenario,
    SendingWindow,
    SpecificAction,
    Step,
    Trigger,
    ValidationError,
    agenda,
    due_actions,
    next_action,
    send_at,
)
from collectlib.strategies import accounts, dates, policies, sending_windows

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
OFFICE = SendingWindow(
    weekdays={MON, TUE, WED, THU, FRI},
    slots=[(dt.time(14), dt.time(17)), (dt.time(9), dt.time(12))],
)
FRIDAY = dt.date(2026, 3, 6)
MONDAY = dt.date(2026, 3, 9)
assert (FRIDAY.weekday(), MONDAY.weekday()) == (FRI, MON)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def in_window(window: SendingWindow, instant: dt.datetime) -> bool:
    return instant.weekday() in window.weekdays and any(
        start <= instant.time() < end for start, end in window.slots
    )


def first_in_window(window: SendingWindow, start: dt.datetime) -> dt.datetime:
    """The oracle: every slot of the days around ``start``, the earliest one not over."""
    candidates = []
    for offset in range(-1, 9):
        day = start.date() + dt.timedelta(days=offset)
        if day.weekday() in window.weekdays:
            for slot_start, slot_end in window.slots:
                if dt.datetime.combine(day, slot_end) > start:
                    candidates.append(max(dt.datetime.combine(day, slot_start), start))
    return min(candidates)


# --- examples ---------------------------------------------------------------------------


def test_sent_now_when_now_is_inside_a_slot_and_the_action_is_due() -> None:
    assert send_at(OFFICE, FRIDAY, at(FRIDAY, 10, 15)) == at(FRIDAY, 10, 15)


def test_waits_for_the_slot_to_open() -> None:
    assert send_at(OFFICE, FRIDAY, at(FRIDAY, 7)) == at(FRIDAY, 9)


def test_waits_for_the_next_slot_of_the_day() -> None:
    assert send_at(OFFICE, FRIDAY, at(FRIDAY, 12, 30)) == at(FRIDAY, 14)


def test_slot_end_is_excluded() -> None:
    assert send_at(OFFICE, FRIDAY, at(FRIDAY, 12)) == at(FRIDAY, 14)
    assert send_at(OFFICE, FRIDAY, at(FRIDAY, 17)) == at(MONDAY, 9)


def test_slot_start_is_included() -> None:
    assert send_at(OFFICE, FRIDAY, at(FRIDAY, 14)) == at(FRIDAY, 14)


def test_weekend_waits_for_monday() -> None:
    saturday = FRIDAY + dt.timedelta(days=1)
    assert send_at(OFFICE, saturday, at(saturday, 10)) == at(MONDAY, 9)


def test_never_before_the_due_date() -> None:
    assert send_at(OFFICE, MONDAY, at(FRIDAY, 10)) == at(MONDAY, 9)


def test_an_overdue_action_goes_out_at_the_next_moment_allowed() -> None:
    assert send_at(OFFICE, dt.date(2026, 1, 1), at(FRIDAY, 15, 45)) == at(FRIDAY, 15, 45)


def test_a_one_day_window_past_its_slot_waits_a_week() -> None:
    fridays = SendingWindow(weekdays={FRI}, slots=[(dt.time(9), dt.time(10))])
    assert send_at(fridays, FRIDAY, at(FRIDAY, 11)) == at(FRIDAY + dt.timedelta(days=7), 9)


def test_now_with_a_time_zone_is_refused() -> None:
    aware = dt.datetime(2026, 3, 6, 10, tzinfo=dt.timezone.utc)
    with pytest.raises(ValidationError, match="without time zone"):
        send_at(OFFICE, FRIDAY, aware)


@pytest.mark.parametrize(
    ("window", "due_on", "now", "message"),
    [
        ("Mon-Fri", FRIDAY, at(FRIDAY, 9), "window must be a SendingWindow"),
        (OFFICE, at(FRIDAY, 9), at(FRIDAY, 9), "due_on must be a date"),
        (OFFICE, FRIDAY, FRIDAY, "now must be a datetime"),
    ],
)
def test_bad_arguments_are_refused(
    window: object, due_on: object, now: object, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        send_at(window, due_on, now)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("weekdays", "slots", "message"),
    [
        (set(), [(dt.time(9), dt.time(12))], "at least one day"),
        ({7}, [(dt.time(9), dt.time(12))], "0 \\(Monday\\) to 6"),
        ({0}, [], "at least one"),
        ({0}, [(dt.time(12), dt.time(9))], "ends before it starts"),
        ({0}, [(dt.time(9), dt.time(9))], "ends before it starts"),
        ({0}, [(dt.time(9), dt.time(12)), (dt.time(11), dt.time(14))], "overlap"),
        ({0}, [(dt.time(9, tzinfo=dt.timezone.utc), dt.time(12))], "without a time zone"),
    ],
)
def test_a_bad_sending_window_is_refused_at_construction(
    weekdays: set[int], slots: list[tuple[dt.time, dt.time]], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        SendingWindow(weekdays=weekdays, slots=slots)


# --- proposals and agenda rows ------------------------------------------------------------

DUE = dt.date(2026, 2, 4)  # a Wednesday


def _invoice(item_id: str, amount: int) -> Item:
    return Item(
        id=item_id,
        kind="INVOICE",
        issue_date=dt.date(2026, 1, 5),
        due_date=DUE,
        amount=amount,
        open_amount=amount,
    )


def _account(*, actions: tuple[SpecificAction, ...] = ()) -> Account:
    items = [_invoice("F-1", 1000), _invoice("F-2", 50)] if actions else [_invoice("F-1", 1000)]
    return Account(id="C-1", items=items, actions=actions)


def _policy(*, automatic: bool, to_be_confirmed: bool, window: SendingWindow | None) -> Policy:
    step = Step(
        name="reminder",
        channel="EMAIL",
        template="Dear #customer_name, #items_list_overdue",
        trigger=Trigger.leader_due(3),
        automatic=automatic,
        to_be_confirmed=to_be_confirmed,
    )
    return Policy(
        scenarios=[Scenario(name="standard", steps=[step])],
        default_scenario="standard",
        sending_window=window,
    )


def test_an_automatic_proposal_carries_its_sending_time() -> None:
    policy = _policy(automatic=True, to_be_confirmed=False, window=OFFICE)
    proposal = next_action(_account(), policy, dt.date(2026, 2, 1))
    assert proposal is not None
    assert proposal.due_on == dt.date(2026, 2, 7)  # a Saturday
    assert proposal.send_at == at(dt.date(2026, 2, 9), 9)  # Monday morning


def test_an_overdue_automatic_proposal_goes_out_from_the_day_asked_about() -> None:
    policy = _policy(automatic=True, to_be_confirmed=False, window=OFFICE)
    proposal = next_action(_account(), policy, dt.date(2026, 2, 10))
    assert proposal is not None
    assert proposal.send_at == at(dt.date(2026, 2, 10), 9)


def test_an_action_to_be_confirmed_is_never_reported_as_sendable() -> None:
    policy = _policy(automatic=True, to_be_confirmed=True, window=OFFICE)
    proposal = next_action(_account(), policy, dt.date(2026, 2, 10))
    assert proposal is not None
    assert proposal.needs_confirmation
    assert proposal.send_at is None
    (row,) = due_actions(_account(), policy, dt.date(2026, 2, 10))
    assert row.needs_confirmation
    assert row.send_at is None


def test_no_sending_time_without_a_window_or_for_a_manual_step() -> None:
    on = dt.date(2026, 2, 10)
    no_window = _policy(automatic=True, to_be_confirmed=False, window=None)
    manual = _policy(automatic=False, to_be_confirmed=False, window=OFFICE)
    for policy in (no_window, manual):
        proposal = next_action(_account(), policy, on)
        assert proposal is not None
        assert proposal.send_at is None
        assert due_actions(_account(), policy, on)[0].send_at is None


def test_agenda_rows_carry_the_sending_time_of_scenario_and_specific_actions() -> None:
    action = SpecificAction(
        id="A1",
        name="promise reminder",
        channel=Channel.SMS,
        item_ids={"F-2"},
        due_on=dt.date(2026, 2, 8),  # a Sunday
        created_on=dt.date(2026, 2, 1),
        automatic=True,
        template="#items_amount_selected due today",
    )
    account = _account(actions=(action,))
    policy = _policy(automatic=True, to_be_confirmed=False, window=OFFICE)
    on = dt.date(2026, 2, 8)
    rows = agenda([account], policy, on)
    assert [(row.name, row.send_at) for row in rows] == [
        ("reminder", at(dt.date(2026, 2, 9), 9)),
        ("promise reminder", at(dt.date(2026, 2, 9), 9)),
    ]
    assert rows[0].send_at == rows[0]._asdict()["send_at"]


def test_agenda_entry_ends_with_the_optional_fields() -> None:
    from collectlib import AgendaEntry

    assert AgendaEntry._fields[-5:] == ("send_at", "arrears", "currency", "on_hold", "repeat")
    assert AgendaEntry._field_defaults == {
        "send_at": None,
        "arrears": None,
        "currency": "EUR",
        "on_hold": False,
        "repeat": 0,
    }


# --- properties ---------------------------------------------------------------------------

BASE = dt.date(2026, 1, 1)
NEAR_BASE = dates(BASE - dt.timedelta(days=400), BASE + dt.timedelta(days=400))
"""The dates drawn: within 400 days of ``BASE``."""
ACCOUNTS = accounts(issue_dates=NEAR_BASE, payment_terms=st.integers(-10, 90))
"""Accounts whose items are issued near ``BASE``, due up to 10 days before their issue
and up to 90 days after it."""
LOCAL_DATETIMES = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.none()
)
"""Naive datetimes around ``BASE``, down to the microsecond."""


@given(window=sending_windows(), due_on=NEAR_BASE, now=LOCAL_DATETIMES)
def test_send_at_is_in_the_window_never_early_and_minimal(
    window: SendingWindow, due_on: dt.date, now: dt.datetime
) -> None:
    result = send_at(window, due_on, now)
    start = max(dt.datetime.combine(due_on, dt.time()), now)
    assert in_window(window, result)
    assert result >= now
    assert result.date() >= due_on
    assert result == first_in_window(window, start)
    assert (result == start) is in_window(window, start)


@given(
    window=sending_windows(),
    due_on=NEAR_BASE,
    now=LOCAL_DATETIMES,
    fraction=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_no_moment_between_the_start_and_the_result_is_in_the_window(
    window: SendingWindow, due_on: dt.date, now: dt.datetime, fraction: float
) -> None:
    result = send_at(window, due_on, now)
    start = max(dt.datetime.combine(due_on, dt.time()), now)
    probe = start + (result - start) * fraction
    if probe < result:
        assert not in_window(window, probe)


@given(window=sending_windows(), due_on=NEAR_BASE, now=LOCAL_DATETIMES)
def test_send_at_is_a_fixed_point(window: SendingWindow, due_on: dt.date, now: dt.datetime) -> None:
    result = send_at(window, due_on, now)
    assert send_at(window, due_on, result) == result


@given(
    account=ACCOUNTS,
    policy=policies(with_default=True),
    window=sending_windows() | st.none(),
    on=NEAR_BASE,
)
def test_proposals_and_agenda_rows_follow_the_one_sending_rule(
    account: Account, policy: Policy, window: SendingWindow | None, on: dt.date
) -> None:
    policy = Policy(
        scenarios=policy.scenarios, default_scenario=policy.default_scenario, sending_window=window
    )
    start_of_day = dt.datetime.combine(on, dt.time())
    proposal = next_action(account, policy, on)
    if proposal is not None:
        step = proposal.step
        limit = policy.automatic_max_late_days
        too_late = limit is not None and proposal.late_days > limit
        assert proposal.needs_confirmation is (
            step.automatic and (step.to_be_confirmed or too_late)
        )
        if window is not None and step.automatic and not proposal.needs_confirmation:
            assert proposal.send_at == send_at(window, proposal.due_on, start_of_day)
        else:
            assert proposal.send_at is None
    for row in agenda([account], policy, on, horizon_days=30):
        if window is not None and row.automatic and not row.needs_confirmation:
            assert row.send_at == send_at(window, row.due_on, start_of_day)
            assert row.send_at >= start_of_day
        else:
            assert row.send_at is None
