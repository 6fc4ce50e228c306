"""Automatic sending: ``send_at`` and the sending times of proposals and agenda rows."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    BusinessCalendar,
    Channel,
    EntryKind,
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
    record_action,
    send_at,
)
from collectlib.rules.sending import timing
from collectlib.strategies import (
    TIME_ZONES,
    accounts,
    business_calendars,
    dates,
    policies,
    sending_windows,
)

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
    calendar = policy.calendar
    if window is not None and calendar is not None and window.weekdays <= set(calendar.weekend):
        calendar = None
    policy = Policy(
        scenarios=policy.scenarios,
        default_scenario=policy.default_scenario,
        sending_window=window,
        calendar=calendar,
    )
    zone = account.timezone
    start_of_day = dt.datetime.combine(on, dt.time())
    if zone is not None:  # the start of the day in the customer's time zone
        start_of_day = start_of_day.replace(tzinfo=ZoneInfo(zone))
    proposal = next_action(account, policy, on)
    if proposal is not None:
        # On its fallback channel (no e-mail address), a step is never automatic.
        automatic = proposal.automatic
        assert automatic is (proposal.step.automatic and proposal.channel is proposal.step.channel)
        limit = policy.automatic_max_late_days
        too_late = limit is not None and proposal.late_days > limit
        assert proposal.needs_confirmation is (
            automatic and (proposal.step.to_be_confirmed or too_late)
        )
        if window is not None and automatic and not proposal.needs_confirmation:
            assert proposal.send_at == send_at(
                window, proposal.due_on, start_of_day, calendar=calendar, timezone=zone
            )
        else:
            assert proposal.send_at is None
    for row in agenda([account], policy, on, horizon_days=30):
        if row.kind is EntryKind.SCENARIO:  # the agenda times its row as the proposal (timing)
            assert proposal is not None
            assert (row.due_on, row.late_days, row.automatic, row.needs_confirmation,
                    row.send_at) == (proposal.due_on, proposal.late_days, proposal.automatic,
                                     proposal.needs_confirmation, proposal.send_at)  # fmt: skip
        if window is not None and row.automatic and not row.needs_confirmation:
            assert row.send_at == send_at(
                window, row.due_on, start_of_day, calendar=calendar, timezone=zone
            )
            assert row.send_at >= start_of_day
        else:
            assert row.send_at is None


# --- business days ------------------------------------------------------------------------

MAY_DAY = BusinessCalendar(holidays={dt.date(2026, 5, 1)})  # a Friday


def test_no_message_goes_out_on_a_holiday_or_a_weekend_day() -> None:
    thursday = dt.date(2026, 4, 30)
    every_day = SendingWindow(weekdays=range(7), slots=[(dt.time(9), dt.time(12))])
    assert send_at(every_day, thursday, at(thursday, 12)) == at(dt.date(2026, 5, 1), 9)
    assert send_at(every_day, thursday, at(thursday, 12), calendar=MAY_DAY) == at(
        dt.date(2026, 5, 4), 9
    )


def test_the_policys_calendar_times_proposals_and_rows() -> None:
    policy = attrs.evolve(
        _policy(automatic=True, to_be_confirmed=False, window=OFFICE), calendar=MAY_DAY
    )
    customer = Account(
        id="C-1", items=[attrs.evolve(_invoice("F-1", 1000), due_date=dt.date(2026, 4, 28))]
    )
    proposal = next_action(customer, policy, dt.date(2026, 5, 1))
    assert proposal is not None
    assert (proposal.due_on, proposal.send_at) == (
        dt.date(2026, 5, 1) + dt.timedelta(days=3),
        at(dt.date(2026, 5, 4), 9),
    )
    (row,) = due_actions(customer, policy, dt.date(2026, 5, 4))
    assert row.send_at == at(dt.date(2026, 5, 4), 9)


def test_a_window_on_weekend_days_only_never_qualifies() -> None:
    saturdays = SendingWindow(weekdays={SAT}, slots=[(dt.time(9), dt.time(12))])
    with pytest.raises(ValidationError, match=r"^send_at: calendar: the window's weekdays are all"):
        send_at(saturdays, FRIDAY, at(FRIDAY, 9), calendar=BusinessCalendar())
    with pytest.raises(ValidationError, match=r"^send_at: calendar must be a BusinessCalendar"):
        send_at(OFFICE, FRIDAY, at(FRIDAY, 9), calendar="FR")  # type: ignore[arg-type]


def test_no_moment_before_the_dates_run_out_is_a_validation_error() -> None:
    last = dt.date.max  # a Friday
    mondays = SendingWindow(weekdays={MON}, slots=[(dt.time(9), dt.time(12))])
    with pytest.raises(ValidationError, match=r"^send_at: no moment of the sending window"):
        send_at(mondays, last, at(last, 9))
    with pytest.raises(ValidationError, match=r"^send_at: no moment of the sending window"):
        send_at(mondays, last, at(last, 9), timezone="UTC")


# --- time zones ---------------------------------------------------------------------------

NEW_YORK, PARIS = ZoneInfo("America/New_York"), ZoneInfo("Europe/Paris")
# The daylight-saving changes of 2026: clocks forward, then back.
CHANGES = {
    "America/New_York": (dt.date(2026, 3, 8), dt.date(2026, 11, 1)),
    "Europe/Paris": (dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
}
EVERY_DAY = SendingWindow(weekdays=range(7), slots=[(dt.time(9), dt.time(12))])


def local(zone: ZoneInfo, day: dt.date, hour: int, minute: int = 0, fold: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=zone)


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc)


def test_with_a_time_zone_the_window_is_the_customers_local_time() -> None:
    moment = send_at(OFFICE, MONDAY, at(MONDAY, 8), timezone="America/New_York")
    assert moment == local(NEW_YORK, MONDAY, 9)
    assert moment.tzinfo is NEW_YORK
    # The same Monday 9:00 is 15:00 in Paris: one window, two customers, two moments.
    assert send_at(OFFICE, MONDAY, at(MONDAY, 8), timezone="Europe/Paris") == local(
        PARIS, MONDAY, 9
    )
    # An aware now is converted to the customer's time: on 9 March New York has changed
    # its clocks and Paris not yet, so 13:30 in Paris is 8:30 in New York.
    assert send_at(OFFICE, MONDAY, local(PARIS, MONDAY, 13, 30), timezone="America/New_York") == (
        local(NEW_YORK, MONDAY, 9)
    )
    assert send_at(OFFICE, MONDAY, local(PARIS, MONDAY, 14, 30), timezone="America/New_York") == (
        local(NEW_YORK, MONDAY, 9, 30)
    )


@pytest.mark.parametrize("zone", sorted(CHANGES))
@pytest.mark.parametrize("change", [0, 1])
def test_nine_in_the_morning_stays_nine_across_the_change(zone: str, change: int) -> None:
    """No message an hour off: 9:00 local the day before, the day of and the day after."""
    day = CHANGES[zone][change]
    moments = [
        send_at(
            EVERY_DAY, day + dt.timedelta(days=n), at(day + dt.timedelta(days=n), 0), timezone=zone
        )
        for n in (-1, 0, 1)
    ]
    assert [m.replace(tzinfo=None).time() for m in moments] == [dt.time(9)] * 3
    offsets = [m.utcoffset() for m in moments]
    assert offsets[0] != offsets[1] == offsets[2]  # the offset changed overnight
    hours = [(utc(b) - utc(a)) / dt.timedelta(hours=1) for a, b in itertools.pairwise(moments)]
    assert hours == [23, 24] if change == 0 else [25, 24]


@pytest.mark.parametrize("zone", sorted(CHANGES))
def test_a_slot_time_the_clocks_skip_goes_out_when_they_land(zone: str) -> None:
    """02:30 on the spring-forward night does not exist: the message goes at 03:00."""
    spring = CHANGES[zone][0]
    night = SendingWindow(weekdays=range(7), slots=[(dt.time(2, 30), dt.time(4))])
    moment = send_at(night, spring, at(spring, 0), timezone=zone)
    assert moment.replace(tzinfo=None) == at(spring, 3)
    assert utc(moment) == utc(local(ZoneInfo(zone), spring, 3))
    # A slot wholly inside the gap does not exist that night: the next one it does.
    gap = SendingWindow(weekdays=range(7), slots=[(dt.time(2), dt.time(2, 45))])
    assert send_at(gap, spring, at(spring, 0), timezone=zone).replace(tzinfo=None) == at(
        spring + dt.timedelta(days=1), 2
    )


def test_a_slot_time_that_comes_twice_is_its_first_occurrence() -> None:
    fall = CHANGES["America/New_York"][1]
    night = SendingWindow(weekdays=range(7), slots=[(dt.time(1), dt.time(2))])
    first = send_at(night, fall, at(fall, 0), timezone="America/New_York")
    assert (first.replace(tzinfo=None), first.utcoffset()) == (at(fall, 1), dt.timedelta(hours=-4))
    # Half past one the second time (standard time) is still inside the slot.
    again = local(NEW_YORK, fall, 1, 30, fold=1)
    moment = send_at(night, fall, again, timezone="America/New_York")
    assert utc(moment) == utc(again)
    assert moment.utcoffset() == dt.timedelta(hours=-5)
    # Past the repeated hour: the next night.
    after = local(NEW_YORK, fall, 2, 0)
    assert send_at(night, fall, after, timezone="America/New_York") == local(
        NEW_YORK, fall + dt.timedelta(days=1), 1
    )


def test_a_naive_now_with_a_time_zone_is_the_customers_wall_clock() -> None:
    assert send_at(OFFICE, MONDAY, at(MONDAY, 10, 15), timezone="Europe/Paris") == local(
        PARIS, MONDAY, 10, 15
    )


@pytest.mark.parametrize(
    ("timezone", "message"),
    [
        ("Mars/Olympus", r"^send_at: timezone: unknown time zone 'Mars/Olympus'"),
        ("localtime", r"^send_at: timezone: unknown time zone 'localtime'"),
        (7, r"^send_at: timezone must be a non-empty string"),
    ],
)
def test_an_unknown_time_zone_is_refused(timezone: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        send_at(OFFICE, MONDAY, at(MONDAY, 9), timezone=timezone)  # type: ignore[arg-type]


@pytest.mark.parametrize("zone", sorted(CHANGES))
@pytest.mark.parametrize("change", [0, 1])
def test_a_daily_run_sends_every_message_once_across_the_change(zone: str, change: int) -> None:
    """An automatic action due each day around the change, the agenda run every day at
    midnight local time, each row sent when its moment comes: none skipped, none doubled,
    each at 9:00 local time on its due day."""
    middle = CHANGES[zone][change]
    days = [middle + dt.timedelta(days=n) for n in range(-3, 4)]
    policy = _policy(automatic=True, to_be_confirmed=False, window=EVERY_DAY)  # at +3
    customers = [
        Account(
            id=f"C-{n}",
            timezone=zone,
            items=[attrs.evolve(_invoice("F-1", 100), due_date=day - dt.timedelta(days=3))],
        )
        for n, day in enumerate(days)
    ]
    sent: dict[str, dt.datetime] = {}
    for on in days:
        for row in agenda(customers, policy, on):
            if row.send_at is not None and row.send_at.date() == on and row.account_id not in sent:
                sent[row.account_id] = row.send_at
        customers = [
            record_action(c, p, policy, on)
            if c.id in sent and (p := next_action(c, policy, on))
            else c
            for c in customers
        ]
    assert sorted(sent) == sorted(c.id for c in customers)
    assert [sent[f"C-{n}"] for n in range(len(days))] == [
        local(ZoneInfo(zone), day, 9) for day in days
    ]


def in_local_window(
    window: SendingWindow, calendar: BusinessCalendar | None, zone: ZoneInfo, moment: dt.datetime
) -> bool:
    wall = moment.astimezone(zone)
    return (
        wall.weekday() in window.weekdays
        and (calendar is None or calendar.is_business_day(wall.date()))
        and any(start <= wall.time() < end for start, end in window.slots)
    )


ZONED_NOW = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31),
    timezones=st.sampled_from(TIME_ZONES).map(ZoneInfo),
)  # fmt: skip
NEAR_2026 = dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
HOLIDAYS_2026 = business_calendars(holidays=NEAR_2026, max_holidays=40)


@given(
    window=sending_windows(),
    calendar=st.none() | HOLIDAYS_2026,
    zone=st.sampled_from(TIME_ZONES),
    due_on=NEAR_2026,
    now=ZONED_NOW,
    fraction=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_in_the_customers_zone_send_at_is_in_the_local_window_never_early_and_minimal(
    window: SendingWindow,
    calendar: BusinessCalendar | None,
    zone: str,
    due_on: dt.date,
    now: dt.datetime,
    fraction: float,
) -> None:
    if calendar is not None and window.weekdays <= set(calendar.weekend):
        calendar = None
    result = send_at(window, due_on, now, calendar=calendar, timezone=zone)
    tz = ZoneInfo(zone)
    assert result.tzinfo is tz
    assert in_local_window(window, calendar, tz, result)
    assert utc(result) >= utc(now)
    assert result.date() >= due_on
    # Nothing earlier qualifies: from the later of now and the start of the due day.
    start = max(utc(now), utc(dt.datetime.combine(due_on, dt.time(), tzinfo=tz)))
    probe = start + (utc(result) - start) * fraction
    if probe < utc(result) and probe.astimezone(tz).date() >= due_on:
        assert not in_local_window(window, calendar, tz, probe)
    # A fixed point: asked again at its own moment, the same moment.
    assert utc(send_at(window, due_on, result, calendar=calendar, timezone=zone)) == utc(result)


@given(window=sending_windows(), zone=st.sampled_from(TIME_ZONES), day=NEAR_2026)
def test_every_minute_of_a_day_is_in_the_window_exactly_when_send_at_says_so(
    window: SendingWindow, zone: str, day: dt.date
) -> None:
    """Brute force over the day: every minute, in UTC, against the first moment found."""
    tz = ZoneInfo(zone)
    result = send_at(window, day, dt.datetime.combine(day, dt.time(), tzinfo=tz), timezone=zone)
    moment = utc(dt.datetime.combine(day, dt.time(), tzinfo=tz))
    while moment < utc(result):
        if moment.astimezone(tz).date() == day:
            assert not in_local_window(window, None, tz, moment), moment
        moment += dt.timedelta(minutes=1)


@given(window=sending_windows(), calendar=HOLIDAYS_2026, due_on=NEAR_2026, now=LOCAL_DATETIMES)
def test_without_a_zone_the_calendar_skips_to_the_next_business_day(
    window: SendingWindow, calendar: BusinessCalendar, due_on: dt.date, now: dt.datetime
) -> None:
    if window.weekdays <= set(calendar.weekend):
        return
    result = send_at(window, due_on, now, calendar=calendar)
    assert in_window(window, result)
    assert calendar.is_business_day(result.date())
    start = max(dt.datetime.combine(due_on, dt.time()), now)
    assert result >= start
    plain = send_at(window, due_on, now)
    assert result >= plain
    if calendar.is_business_day(plain.date()):
        assert result == plain


def test_a_slot_inside_the_repeated_hour_opens_again_in_standard_time() -> None:
    fall = CHANGES["America/New_York"][1]
    night = SendingWindow(weekdays=range(7), slots=[(dt.time(1, 10), dt.time(1, 50))])
    # Past the slot the first time (daylight time): it opens again an hour later.
    past_first = local(NEW_YORK, fall, 1, 55)
    moment = send_at(night, fall, past_first, timezone="America/New_York")
    assert utc(moment) == utc(local(NEW_YORK, fall, 1, 10, fold=1))
    assert moment.utcoffset() == dt.timedelta(hours=-5)


def test_no_moment_before_the_dates_run_out_is_named_with_the_first_day() -> None:
    mondays = SendingWindow(weekdays={0}, slots=[(dt.time(9), dt.time(17))])
    last = dt.datetime(9999, 12, 31, tzinfo=ZoneInfo("Europe/Paris"))  # a Friday
    with pytest.raises(ValidationError) as raised:
        send_at(mondays, last.date(), last, timezone="Europe/Paris")
    assert str(raised.value) == (
        "send_at: no moment of the sending window from 9999-12-31 to 9999-12-31"
    )


def test_a_window_on_exactly_the_calendar_s_weekend_is_refused() -> None:
    weekend = SendingWindow(weekdays={5, 6}, slots=[(dt.time(9), dt.time(17))])
    with pytest.raises(ValidationError) as raised:
        send_at(
            weekend, MONDAY, dt.datetime.combine(MONDAY, dt.time()), calendar=BusinessCalendar()
        )
    assert str(raised.value) == (
        "send_at: calendar: the window's weekdays are all weekend days: no moment qualifies"
    )


_EVERY_DAY = SendingWindow(weekdays=range(7), slots=[(dt.time(9), dt.time(17))])


@pytest.mark.parametrize(("late", "confirm"), [(-3, False), (0, False), (30, False), (31, True)])
def test_an_automatic_action_waits_for_a_person_past_the_late_days_allowed(
    late: int, confirm: bool
) -> None:
    policy = Policy(sending_window=_EVERY_DAY)  # automatic_max_late_days: 30
    due_on = MONDAY - dt.timedelta(days=late)
    days, needs_person, moment = timing(policy, True, False, due_on, MONDAY)
    assert (days, needs_person) == (max(late, 0), confirm)
    first_day = max(due_on, MONDAY)  # not before it is due
    assert moment == (None if confirm else dt.datetime.combine(first_day, dt.time(9)))
    zoned = timing(policy, True, False, due_on, MONDAY, "Europe/Paris")
    assert zoned[:2] == (max(late, 0), confirm)


def test_an_automatic_action_goes_out_on_the_next_business_day() -> None:
    holiday = BusinessCalendar(holidays={MONDAY})
    policy = Policy(sending_window=_EVERY_DAY, calendar=holiday)
    tuesday = dt.datetime.combine(MONDAY + dt.timedelta(days=1), dt.time(9))
    assert timing(policy, True, False, MONDAY, MONDAY)[2] == tuesday
    zoned = timing(policy, True, False, MONDAY, MONDAY, "Europe/Paris")[2]
    assert zoned == tuesday.replace(tzinfo=ZoneInfo("Europe/Paris"))


def test_an_aware_now_without_time_zone_says_what_to_give() -> None:
    now = dt.datetime(2026, 3, 9, 8, tzinfo=dt.timezone.utc)
    with pytest.raises(ValidationError) as raised:
        send_at(_EVERY_DAY, MONDAY, now)
    assert str(raised.value) == (
        f"send_at: now must be a local datetime without time zone, not {now!r} "
        "(or give the customer's timezone)"
    )


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="the machine's zone is set by tzset")
def test_the_sending_time_does_not_depend_on_the_machine_s_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = dt.datetime(2026, 3, 9, 8, 30, tzinfo=ZoneInfo("America/New_York"))
    expected = send_at(_EVERY_DAY, MONDAY, now, timezone="America/New_York")
    try:
        monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: another day than UTC
        time.tzset()
        moment = send_at(_EVERY_DAY, MONDAY, now, timezone="America/New_York")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert moment == expected == dt.datetime(2026, 3, 9, 9, tzinfo=ZoneInfo("America/New_York"))
