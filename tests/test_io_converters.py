"""collectlib.io.converters: every record to JSON-ready data and back, losslessly."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import collectlib
from collectlib import (
    Account,
    ActionTemplate,
    AgedBalance,
    AgendaEntry,
    BalancePoint,
    Behaviour,
    BusinessCalendar,
    CashForecast,
    CashIn,
    CashWeek,
    Channel,
    CollectorRule,
    Condition,
    CreditHold,
    DaysSalesOutstanding,
    DisputeResolutionTime,
    EntryKind,
    Excluded,
    Explanation,
    Exposure,
    Fallback,
    Fee,
    GroupExposure,
    Installment,
    Item,
    ItemIds,
    ItemPenalty,
    JournalEvent,
    LoadError,
    Money,
    OverdueRatio,
    PaymentFigures,
    PaymentForecast,
    PaymentPlan,
    PaymentProfile,
    Penalties,
    PenaltyRule,
    PlanProgress,
    Policy,
    Proposal,
    QualificationRate,
    QuickPromise,
    RateTimeline,
    Repeat,
    SalesPeriod,
    Scenario,
    SendingWindow,
    Settlement,
    Simulation,
    SpecificAction,
    Statement,
    StatementRow,
    Status,
    Step,
    Tally,
    Trigger,
    Workload,
    aged_balance,
    agenda,
    cash_forecast,
    dispute_resolution_time,
    dso,
    explain,
    exposure,
    next_action,
    overdue_ratio,
    payment_profile,
    penalties,
    plan_progress,
    predict_payment,
    qualification_rate,
    simulate,
)
from collectlib._frozen import FrozenMap
from collectlib.io.converters import structure, unstructure
from collectlib.strategies import (
    TIME_ZONES,
    accounts,
    action_templates,
    behaviours,
    business_calendars,
    items,
    journal_events,
    penalty_rules,
    policies,
    portfolios,
    rate_timelines,
    scenarios,
    sending_windows,
    settlements,
    statuses,
    steps,
)


def round_trip(record: object, kind: type) -> object:
    """Through JSON text, as a file would hold it."""
    return structure(json.loads(json.dumps(unstructure(record))), kind)


@given(
    st.one_of(
        items().map(lambda r: (r, Item)),
        statuses().map(lambda r: (r, Status)),
        action_templates().map(lambda r: (r, ActionTemplate)),
        steps().map(lambda r: (r, Step)),
        scenarios().map(lambda r: (r, Scenario)),
        policies().map(lambda r: (r, Policy)),
        accounts(with_plans=True).map(lambda r: (r, Account)),
        sending_windows().map(lambda r: (r, SendingWindow)),
        business_calendars().map(lambda r: (r, BusinessCalendar)),
        penalty_rules().map(lambda r: (r, PenaltyRule)),
        rate_timelines().map(lambda r: (r, RateTimeline)),
        journal_events().map(lambda r: (r, JournalEvent)),
    )
)
def test_every_record_round_trips_through_json(pair) -> None:
    record, kind = pair
    assert round_trip(record, kind) == record


@given(accounts(with_plans=True), st.lists(journal_events(), max_size=6))
def test_accounts_with_any_journal_round_trip(account, events) -> None:
    account = attrs.evolve(account, journal=tuple(events))
    back = round_trip(account, Account)
    assert back == account
    assert [type(e) for e in back.journal] == [type(e) for e in account.journal]


@given(policies(min_steps=1), st.data())
def test_agenda_rows_and_proposals_round_trip(policy, data) -> None:
    portfolio = data.draw(st.lists(accounts(policy=policy), max_size=4, unique_by=lambda a: a.id))
    on = dt.date(2026, 6, 1)
    for row in agenda(portfolio, policy, on, horizon_days=60):
        assert round_trip(row, AgendaEntry) == row
        assert type(round_trip(row, AgendaEntry).item_ids) is ItemIds
        assert round_trip(row.item_ids, ItemIds) == row.item_ids
    for account in portfolio:
        proposal = next_action(account, policy, on)
        if proposal is not None:
            assert round_trip(proposal, Proposal) == proposal
        why = explain(account, policy, on)
        assert round_trip(why, Explanation) == why


@given(
    policies(),
    st.data(),
    st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 1)),
    penalty_rules(),
    accounts(with_plans=True),
)
def test_reports_and_other_results_round_trip(policy, data, on, rule, planned) -> None:
    """The results of the rules (reports, penalties, plan progress, statements) too."""
    currencies = st.sampled_from(["EUR", "JPY", "KWD"])  # reports in several currencies too
    portfolio = data.draw(
        portfolios(policy=policy, max_size=4, with_journal=True, currency=currencies)
    )
    policy = attrs.evolve(policy, penalties=rule)
    results: list[object] = [
        aged_balance(portfolio, on),
        qualification_rate(portfolio, on),
        overdue_ratio(portfolio, on),
        dispute_resolution_time(portfolio, policy, on),
        dso("1500.00", [SalesPeriod.month(2026, 1, "900"), SalesPeriod.month(2026, 2, "700")]),
        Money(amount="-12.30", currency="JPY"),
    ]
    exposed = exposure(portfolio, on)
    results += [exposed, *(line for lines in exposed.by_group.values() for line in lines.values())]
    for account in portfolio:
        charged = penalties(
            attrs.evolve(account, penalties_enabled=True), [i.id for i in account.items], policy, on
        )
        results += [charged, *charged.by_item.values()]
        results.append(
            Statement(
                currency=account.currency,
                rows=[
                    StatementRow(item_id=i.id, issue_date=i.issue_date, due_date=i.due_date,
                                 amount=i.amount, open_amount=i.open_amount,
                                 status=i.status or "", penalties=abs(i.open_amount))
                    for i in account.items
                ],
                with_penalties=True,
            )
        )  # fmt: skip
    results += [plan_progress(planned, plan.id, on) for plan in planned.plans]
    results.append(
        CreditHold(account_id="C-1", reason="step 'formal notice' recorded on 2026-02-24",
                   since=on, amount="800.00", item_ids={"F-1"})
    )  # fmt: skip
    for result in results:
        assert round_trip(result, type(result)) == result


@given(
    st.lists(settlements(), max_size=6),
    accounts(policy=Policy(), id="C-1"),
    st.dates(dt.date(2020, 1, 1), dt.date(2031, 1, 1)),
    st.none() | st.integers(1, 365),
)
def test_settlements_profiles_and_forecasts_round_trip(history, account, on, half_life) -> None:
    profile = payment_profile(history, on, half_life)
    results: list[object] = [*history, profile, profile.undisputed, profile.disputed]
    results += [
        predict_payment(item, profile, Policy(), on) for item in account.items if item.is_debit
    ]
    forecast = cash_forecast([account], {"C-1": profile}, Policy(), on, weeks=5)
    results += [forecast, *forecast.rows]
    for result in results:
        assert round_trip(result, type(result)) == result


ROUND_TRIPPED = {
    Item, Status, ActionTemplate, Step, Trigger, Scenario, Policy, QuickPromise, Account,
    SpecificAction, PaymentPlan, Installment, SendingWindow, PenaltyRule, JournalEvent,
    AgendaEntry, Proposal, AgedBalance, QualificationRate, Tally, OverdueRatio,
    DisputeResolutionTime, DaysSalesOutstanding, SalesPeriod, Money, Penalties, ItemPenalty,
    PlanProgress, Statement, StatementRow, Repeat, Explanation, Excluded, Condition, Fee,
    Fallback, CollectorRule, CreditHold, ItemIds, RateTimeline, Exposure, GroupExposure,
    BusinessCalendar, Settlement, PaymentFigures, PaymentProfile, PaymentForecast, CashWeek,
    CashForecast, Behaviour, Simulation, Workload, CashIn, BalancePoint,
}  # fmt: skip
"""The types the round-trip tests above build (the journal events through JournalEvent)."""


@given(policies(min_steps=1), st.data())
def test_behaviours_and_simulations_round_trip(policy, data) -> None:
    portfolio = data.draw(portfolios(policy=policy, max_size=3, max_items=3))
    start = dt.date(2026, 6, 1)
    behaviour = data.draw(behaviours(account_ids=[a.id for a in portfolio], on=start))
    result = simulate(portfolio, policy, start, start + dt.timedelta(days=9), behaviour, 1)
    records: list[object] = [behaviour, result, *result.workload, *result.cash, *result.balances]
    for record in records:
        assert round_trip(record, type(record)) == record


def test_every_public_record_type_is_round_tripped() -> None:
    records = {
        kind
        for kind in (getattr(collectlib, name) for name in collectlib.__all__)
        if isinstance(kind, type) and (attrs.has(kind) or issubclass(kind, tuple))
    }
    events = {kind for kind in records if issubclass(kind, JournalEvent)}
    assert records - events - ROUND_TRIPPED == set()


def test_a_mapping_without_string_keys_is_a_list_of_pairs() -> None:
    rate = QualificationRate(
        on=dt.date(2026, 3, 16),
        currency="EUR",
        cells=FrozenMap(
            {("ana", "promise"): Tally(count=2, amount="300.00"), (None, None): Tally()}
        ),
    )
    data = unstructure(rate)
    assert data["cells"] == [
        [["ana", "promise"], {"count": 2, "amount": "300.00"}],
        [[None, None], {"count": 0, "amount": "0"}],
    ]
    assert structure(data, QualificationRate) == rate
    for cells in ({"ana": {}}, [["ana"]], [[["ana"], {}, 3]], "ana"):
        with pytest.raises(LoadError, match=r"\$\.cells: not a list of \[key, value\] pairs"):
            structure({**data, "cells": cells}, QualificationRate)


def test_shapes_are_plain_and_readable() -> None:
    plan = PaymentPlan(
        id="P1",
        item_ids={"F-2", "F-1"},
        installments=[Installment(due_on=dt.date(2026, 1, 31), amount="100.50")],
        created_on=dt.date(2026, 1, 2),
        total="100.50",
    )
    assert unstructure(plan) == {
        "id": "P1",
        "item_ids": ["F-1", "F-2"],
        "installments": [{"due_on": "2026-01-31", "amount": "100.50"}],
        "created_on": "2026-01-02",
        "total": "100.50",
        "action_id": None,
    }
    assert unstructure(Trigger.leader_due(-5)) == {"kind": "LEADER_DUE", "days": -5}
    assert unstructure(SpecificAction(
        id="A1", name="call", channel="CALL", item_ids={"F-1"}, due_on=dt.date(2026, 1, 1),
        created_on=dt.date(2026, 1, 1))
    )["state"] == "OPEN"  # fmt: skip


@given(st.datetimes(timezones=st.none()))
def test_datetimes_round_trip(moment) -> None:
    assert structure(unstructure(moment), dt.datetime) == moment


@given(
    st.datetimes(
        min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31),
        timezones=st.sampled_from(TIME_ZONES).map(ZoneInfo), allow_imaginary=False,
    )
)  # fmt: skip
def test_a_datetime_in_a_zone_round_trips_with_its_zone(moment) -> None:
    """The same moment, in the same zone: the repeated hour of a fall-back night too."""
    text = unstructure(moment)
    assert text.endswith(f"[{moment.tzinfo.key}]")
    back = structure(text, dt.datetime)
    assert back.tzinfo is moment.tzinfo
    assert back == moment
    assert back.utcoffset() == moment.utcoffset()


def test_the_repeated_hour_keeps_its_offset() -> None:
    new_york = ZoneInfo("America/New_York")
    first = dt.datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    second = dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=new_york)
    assert unstructure(first) == "2026-11-01T01:30:00-04:00[America/New_York]"
    assert unstructure(second) == "2026-11-01T01:30:00-05:00[America/New_York]"
    assert structure(unstructure(second), dt.datetime).utcoffset() == dt.timedelta(hours=-5)
    # Without the offset, the wall-clock time in that zone (its first occurrence).
    assert structure("2026-03-09T09:00[Europe/Paris]", dt.datetime) == dt.datetime(
        2026, 3, 9, 9, tzinfo=ZoneInfo("Europe/Paris")
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-03-09T09:00:00-04:00[Nowhere/Else]", "unknown time zone 'Nowhere/Else'"),
        ("2026-03-09T09:00:00-04:00[localtime]", "unknown time zone 'localtime'"),
        ("soon[Europe/Paris]", "not a date and time: 'soon'"),
    ],
)
def test_a_bad_zoned_datetime_is_a_load_error(text: str, message: str) -> None:
    with pytest.raises(LoadError, match=re.escape(message)):
        structure(text, dt.datetime)


def test_a_calendar_is_its_weekend_and_its_dates() -> None:
    calendar = BusinessCalendar(weekend=(4, 5), holidays={dt.date(2026, 12, 25)})
    assert unstructure(calendar) == {"weekend": [4, 5], "holidays": ["2026-12-25"]}
    assert structure({"holidays": ["2026-12-25"]}, BusinessCalendar) == BusinessCalendar(
        holidays={dt.date(2026, 12, 25)}
    )


def test_an_account_keeps_its_time_zone() -> None:
    customer = Account(id="C-1", timezone="America/New_York")
    assert unstructure(customer)["timezone"] == "America/New_York"
    assert round_trip(customer, Account) == customer
    with pytest.raises(
        LoadError, match=r"\$: account 'C-1': timezone: unknown time zone 'Mars/Olympus'"
    ):
        structure({"id": "C-1", "timezone": "Mars/Olympus"}, Account)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-13-01",
          "amount": "100", "open_amount": "100"}, r"\$\.due_date: not a date: '2026-13-01'"),
        ({"id": "F-1", "kind": "BILL", "issue_date": "2026-01-05", "due_date": "2026-01-05",
          "amount": "1", "open_amount": "x"},
         r"\$\.kind: unknown ItemKind 'BILL'.*\$\.open_amount: not an amount: 'x'"),
        ({"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-01-05",
          "amount": "100", "open_amount": "120"},
         r"\$: item 'F-1': open_amount 120 exceeds amount 100"),
        ({"id": "F-1"}, r"\$\.kind: required field missing"),
        ({"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-01-05",
          "amount": True, "open_amount": "1", "colour": "red"},
         r"\$\.amount: not an amount: True.*extra fields found \(colour\)"),
        ([], r"\$: not a mapping"),
    ],
)  # fmt: skip
def test_bad_data_is_a_load_error_with_the_path(data: object, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        structure(data, Item)


def test_nested_paths_name_the_account_and_item() -> None:
    data = {
        "id": "C-1",
        "items": [
            {"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-01-05",
             "amount": "10", "open_amount": "10"},
            {"id": "F-2", "kind": "INVOICE", "issue_date": "2026-01-05", "due_date": "2026-02-30",
             "amount": "10", "open_amount": "10"},
        ],
        "journal": [{"type": "Nope", "on": "2026-01-01"}],
    }  # fmt: skip
    with pytest.raises(LoadError) as caught:
        structure([data], tuple[Account, ...], where="accounts")
    assert "accounts[0].items[1].due_date: not a date: '2026-02-30'" in str(caught.value)
    assert "accounts[0].journal[0]" in str(caught.value)


def test_amounts_keep_their_exponent_and_floats_go_through_str() -> None:
    assert unstructure(Decimal("100.10")) == "100.10"
    assert structure("1E+3", Decimal) == Decimal("1E+3")
    assert structure(100.1, Decimal) == Decimal("100.1")
    with pytest.raises(LoadError, match="not an amount: 'NaN'"):
        structure("NaN", Decimal)


def test_a_record_read_with_an_unknown_currency_is_refused() -> None:
    row = AgendaEntry("C-1", None, dt.date(2026, 3, 9), 7, EntryKind.SCENARIO, Channel.CALL,
                      "call", ItemIds(["F-1"]), Decimal("120000"), False, False, None, 0,
                      currency="JPY")  # fmt: skip
    data = unstructure(row)
    assert structure(data, AgendaEntry) == row
    with pytest.raises(LoadError, match=r"^\$: currency must be an ISO 4217 code .*'XYZ'$"):
        structure({**data, "currency": "XYZ"}, AgendaEntry)
    report = unstructure(overdue_ratio([], dt.date(2026, 3, 9)))
    with pytest.raises(LoadError, match=r"^\$: overdue ratio: currency must be an ISO 4217 code"):
        structure({**report, "currency": "XYZ"}, OverdueRatio)
    with pytest.raises(LoadError, match=r"^\$\.receivables: not an amount: 'lots'"):
        structure({**report, "receivables": "lots"}, OverdueRatio)


def test_a_rate_timeline_is_a_list_of_from_and_rate_tables() -> None:
    timeline = RateTimeline(
        periods=[(dt.date(2025, 1, 1), "0.1115"), (dt.date(2025, 7, 1), "0.1015")]
    )
    rule = PenaltyRule(annual_rate=timeline, recovery_cost=40)
    assert unstructure(rule)["annual_rate"] == [
        {"from": "2025-01-01", "rate": "0.1115"},
        {"from": "2025-07-01", "rate": "0.1015"},
    ]
    assert structure(unstructure(rule), PenaltyRule) == rule
    assert unstructure(PenaltyRule(annual_rate="0.12"))["annual_rate"] == "0.12"


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ([{"from": "2025-13-01", "rate": "x"}],
         r"\$\.annual_rate\[0\]\.from: not a date: '2025-13-01'; "
         r"\$\.annual_rate\[0\]\.rate: not an amount: 'x'"),
        ([{"from": "2025-07-01", "rate": "0.1"}, {"from": "2025-01-01", "rate": "0.1"}],
         r"\$\.annual_rate: rate timeline: periods\[1\]: periods go back in time"),
        ([{"from": "2025-07-01", "rate": "0.1"}, {"from": "2025-07-01", "rate": "0.2"}],
         r"\$\.annual_rate: rate timeline: periods\[1\]: two periods start on 2025-07-01"),
        ([{"from": "2025-07-01", "rate": "0.1", "until": "2025-12-31"}],
         r"\$\.annual_rate\[0\]: extra fields found \(until\)"),
        ([], r"\$\.annual_rate: rate timeline: periods must name at least one"),
        ([{"rate": "0.1"}], r"\$\.annual_rate\[0\]\.from: required field missing"),
        ({"from": "2025-07-01"}, r"\$\.annual_rate: not a rate nor a list of \{from, rate\} periods"),
        ([{"from": "2025-07-01", "rate": "8"}],
         r"\$\.annual_rate: rate timeline: periods\[0\]: rate is a fraction"),
    ],
)  # fmt: skip
def test_a_bad_timeline_names_its_period(rate: object, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        structure({"annual_rate": rate}, PenaltyRule)


def test_a_timeline_alone_is_read_from_a_list() -> None:
    with pytest.raises(LoadError, match=r"\$: not a list of \{from, rate\} periods"):
        structure({"from": "2025-07-01", "rate": "0.1"}, RateTimeline)
