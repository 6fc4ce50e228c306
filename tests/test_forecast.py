"""Payment behaviour and the cash forecast (SPEC 12, 13.15): stories, properties, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import STATUSES, account, d, invoice, qualifying_policy
from collectlib import (
    PRIOR_SETTLEMENTS,
    Account,
    CashForecast,
    Item,
    ItemKind,
    PaymentProfile,
    Policy,
    Settlement,
    ValidationError,
    apply_status,
    cash_forecast,
    collectable_items,
    payment_profile,
    payment_profiles,
    portfolio_profile,
    predict_payment,
    settlements_from_journal,
    sync_items,
)
from collectlib import strategies as cs

ON = d("2026-06-01")
POLICY = qualifying_policy()


def paid(
    item_id: str,
    due: str,
    settled: str,
    amount: int | str = 100,
    *,
    account_id: str = "C-1",
    disputed: bool = False,
    currency: str = "EUR",
) -> Settlement:
    """A settlement issued 30 days before its due date."""
    due_date = d(due)
    return Settlement(
        account_id=account_id,
        item_id=item_id,
        issue_date=due_date - dt.timedelta(days=30),
        due_date=due_date,
        settled_on=d(settled),
        amount=amount,
        disputed=disputed,
        currency=currency,
    )


# A customer who pays 12 days late on average, later lately: 4, 8, 12, 16, 20 days late
# on five invoices of 1,000 due on the 1st of January to May.
LATER_LATELY = [
    paid(f"F-{month}", f"2026-0{month}-01", f"2026-0{month}-{1 + 4 * month:02d}", 1000)
    for month in range(1, 6)
]


# --- Settlement ----------------------------------------------------------------------------


def test_a_settlement_counts_its_days_late_and_to_pay() -> None:
    settlement = paid("F-1", "2026-01-31", "2026-02-12")
    assert (settlement.days_late, settlement.days_to_pay) == (12, 42)
    assert paid("F-2", "2026-01-31", "2026-01-25").days_late == -6


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": 0}, "settlement 'F-1' of account 'C-1': amount must be positive"),
        ({"amount": -5}, "settlement 'F-1' of account 'C-1': amount must be positive"),
        ({"amount": "lots"}, "settlement 'F-1' of account 'C-1': amount: not an amount"),
        ({"settled_on": d("2025-12-01")}, "settled_on 2025-12-01 is before the issue_date"),
        ({"currency": "XYZ"}, "currency must be an ISO 4217 code"),
        ({"item_id": ""}, "settlement: item_id must be a non-empty string"),
        ({"account_id": None}, "settlement: account_id must be a non-empty string"),
        ({"due_date": "2026-01-31"}, "due_date must be a date"),
        ({"disputed": "yes"}, "disputed must be True or False"),
    ],
)
def test_a_bad_settlement_names_the_record_and_the_field(
    changes: dict[str, object], message: str
) -> None:
    fields = attrs.asdict(paid("F-1", "2026-01-31", "2026-02-12"))
    fields.update(changes)
    with pytest.raises(ValidationError, match=message):
        Settlement(**fields)


# --- settlements_from_journal --------------------------------------------------------------


def test_the_items_a_sync_closes_are_settled_on_the_sync_date() -> None:
    customer = account(
        invoice("F-1", "2026-01-31", 500),
        invoice("F-2", "2026-02-28", 300),
        invoice("F-3", "2026-03-31", 200),
        Item(
            id="AV-1", kind=ItemKind.CREDIT_NOTE, issue_date=d("2026-01-10"),
            due_date=d("2026-01-10"), amount=-50, open_amount=-50,
        ),
    )  # fmt: skip
    customer = apply_status(customer, ["F-2"], "price-dispute", POLICY, d("2026-03-01"))
    # F-1 and the credit note leave the extract on 12 February; F-2 on 20 March.
    customer = sync_items(customer, customer.items[1:3], d("2026-02-12"))
    customer = sync_items(customer, customer.items[2:3], d("2026-03-20"))
    found = settlements_from_journal(customer, POLICY)
    assert [(s.item_id, s.settled_on, s.days_late, s.amount, s.disputed) for s in found] == [
        ("F-1", d("2026-02-12"), 12, Decimal(500), False),
        ("F-2", d("2026-03-20"), 20, Decimal(300), True),
    ]
    assert found[0].issue_date == d("2026-01-01")
    # Without a policy the statuses cannot be read: nothing is disputed.
    assert not any(s.disputed for s in settlements_from_journal(customer))


def test_an_item_closed_twice_is_settled_twice_and_a_closure_before_issue_is_not() -> None:
    customer = account(invoice("F-1", "2026-01-31", 500), invoice("F-2", "2026-05-31", 80))
    customer = sync_items(customer, [customer.items[0]], d("2026-02-05"))  # F-2 closed early
    customer = sync_items(customer, [], d("2026-02-10"))
    customer = sync_items(customer, [invoice("F-1", "2026-01-31", 500)], d("2026-02-11"))
    customer = sync_items(customer, [], d("2026-02-15"))
    found = settlements_from_journal(customer)
    assert [(s.item_id, s.settled_on) for s in found] == [
        ("F-1", d("2026-02-10")),
        ("F-1", d("2026-02-15")),
    ]
    assert found[0].currency == "EUR"


# --- payment_profile -----------------------------------------------------------------------


def test_a_customer_twelve_days_late_on_average_and_later_lately() -> None:
    profile = payment_profile(LATER_LATELY, ON, half_life_days=30)
    figures = profile.undisputed
    assert (profile.account_id, profile.currency, profile.count) == ("C-1", "EUR", 5)
    assert figures.amount == Decimal(5000)
    assert figures.average_days_late == 12.0
    assert figures.late_share == 1.0
    assert figures.average_days_to_pay == 42.0
    # The median weighs the last settlement (20 days late) more than the four others.
    assert figures.typical_delay == 20
    assert figures.recent_days_late is not None
    assert figures.recent_days_late > 14
    assert figures.trend is not None
    assert figures.trend > 2
    assert figures.late_probability == 1.0
    # Paid 11 to 147 days before ON, with a half-life of 30 days: 1.4 settlements' worth.
    assert 1.3 < figures.weight < 1.5
    assert profile.disputed.count == 0
    assert profile.disputed.typical_delay is None
    flat = payment_profile(LATER_LATELY, ON).undisputed
    assert (flat.recent_days_late, flat.trend, flat.weight) == (12.0, 0.0, 5.0)
    assert flat.typical_delay == 12


def test_the_average_days_late_is_weighted_by_the_amounts_and_counts_early_as_on_time() -> None:
    profile = payment_profile(
        [
            paid("F-1", "2026-01-31", "2026-01-21", 300),  # 10 days early: 0 late
            paid("F-2", "2026-01-31", "2026-03-02", 100),  # 30 days late
        ],
        ON,
    ).undisputed
    assert profile.average_days_late == 7.5
    assert profile.late_share == 0.5
    assert profile.typical_delay == -10  # the median: each settlement one vote


def test_disputed_settlements_are_profiled_apart() -> None:
    profile = payment_profile(
        [*LATER_LATELY, paid("F-9", "2026-02-01", "2026-04-02", 700, disputed=True)], ON
    )
    assert profile.undisputed.count == 5
    assert profile.undisputed.average_days_late == 12.0
    assert profile.disputed.count == 1
    assert profile.disputed.typical_delay == 60


def test_only_settlements_paid_before_the_date_count() -> None:
    early = payment_profile(LATER_LATELY, d("2026-03-10"))
    assert early.count == 2
    assert early.undisputed.average_days_late == 6.0
    nothing = payment_profile(LATER_LATELY, d("2026-01-05"))
    assert (nothing.account_id, nothing.currency, nothing.count) == (None, None, 0)
    assert nothing.undisputed.average_days_late is None
    assert nothing.undisputed.weight == 0


def test_several_accounts_or_currencies_in_one_profile_are_refused() -> None:
    other = paid("F-7", "2026-01-31", "2026-02-02", account_id="C-2")
    with pytest.raises(ValidationError, match=r"payment_profile: settlements: settlement 'F-7' is of account 'C-2', not 'C-1'"):  # fmt: skip
        payment_profile([*LATER_LATELY, other], ON)
    dollars = paid("F-8", "2026-01-31", "2026-02-02", currency="USD")
    with pytest.raises(ValidationError, match=r"settlement 'F-8' of account 'C-1' is in USD, not EUR"):  # fmt: skip
        payment_profile([*LATER_LATELY, dollars], ON)
    with pytest.raises(ValidationError, match=r"portfolio_profile: settlements: settlement 'F-8'"):
        portfolio_profile([*LATER_LATELY, other, dollars], ON)


def test_profiles_by_account_and_the_portfolios() -> None:
    other = [paid("G-1", "2026-01-31", "2026-01-31", 50, account_id="C-2")]
    profiles = payment_profiles([*other, *LATER_LATELY], ON, half_life_days=90)
    assert list(profiles) == ["C-1", "C-2"]
    assert profiles["C-1"] == payment_profile(LATER_LATELY, ON, half_life_days=90)
    assert profiles["C-2"].undisputed.late_share == 0.0
    portfolio = portfolio_profile([*other, *LATER_LATELY], ON)
    assert portfolio.account_id is None
    assert portfolio.count == 6
    late = paid("G-2", "2026-01-31", "2026-08-01", account_id="C-3")
    assert payment_profiles([late], ON)["C-3"].count == 0


@pytest.mark.parametrize("half_life_days", [0, -3, 1.5, True])
def test_a_half_life_is_a_whole_number_of_days_at_least_one(half_life_days: object) -> None:
    with pytest.raises(ValidationError, match="payment_profile: half_life_days must be"):
        payment_profile(LATER_LATELY, ON, half_life_days)  # type: ignore[arg-type]


def test_a_tiny_half_life_over_old_history_weighs_nothing_but_still_profiles() -> None:
    old = [paid("F-1", "2000-01-31", "2000-02-10"), paid("F-2", "2000-02-29", "2000-03-01")]
    figures = payment_profile(old, ON, half_life_days=1).undisputed
    assert figures.weight == 0.0
    assert figures.typical_delay == 1
    assert figures.late_probability == 1.0


@given(st.lists(cs.settlements(), max_size=8), cs.dates(), cs.settlements(), st.randoms())
def test_a_profile_ignores_later_settlements_and_the_order(
    given_settlements: list[Settlement], on: dt.date, extra: Settlement, random: object
) -> None:
    profile = payment_profile(given_settlements, on, half_life_days=45)
    later = attrs.evolve(extra, settled_on=max(on, extra.issue_date))
    assert payment_profile([*given_settlements, later], on, half_life_days=45) == profile
    shuffled = list(given_settlements)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert payment_profile(shuffled, on, half_life_days=45) == profile


@given(st.lists(cs.settlements(disputed=False), min_size=1, max_size=8))
def test_the_figures_stay_within_the_settlements(given_settlements: list[Settlement]) -> None:
    on = max(s.settled_on for s in given_settlements) + dt.timedelta(days=1)
    figures = payment_profile(given_settlements, on, half_life_days=30).undisputed
    lates = [max(s.days_late, 0) for s in given_settlements]
    assert figures.count == len(given_settlements)
    assert figures.average_days_late is not None
    assert figures.recent_days_late is not None
    assert min(lates) - 1e-6 <= figures.average_days_late <= max(lates) + 1e-6
    assert min(lates) - 1e-6 <= figures.recent_days_late <= max(lates) + 1e-6
    assert figures.typical_delay in {s.days_late for s in given_settlements}
    assert figures.late_probability is not None
    assert 0 <= figures.late_probability <= 1
    assert 0 < figures.weight <= len(given_settlements) + 1e-9


# --- predict_payment -----------------------------------------------------------------------

OPEN = invoice("F-10", "2026-06-15", 800)


def test_a_late_customer_is_expected_after_the_due_date() -> None:
    profile = payment_profile(LATER_LATELY, ON, half_life_days=60)
    forecast = predict_payment(OPEN, profile, POLICY, ON)
    # The recency-weighted median of 4, 8, 12, 16, 20 days late with a 60-day half-life
    # (weights 0.21, 0.31, 0.46, 0.68, 1 from the oldest: half of 2.66 is reached at 16).
    assert (forecast.expected_on, forecast.days_late) == (d("2026-07-01"), 16)
    assert (forecast.late_probability, forecast.basis, forecast.disputed) == (
        1.0,
        "customer",
        False,
    )


def test_a_new_customer_reads_the_portfolio_and_with_neither_the_due_date() -> None:
    portfolio = portfolio_profile(LATER_LATELY, ON)
    forecast = predict_payment(OPEN, None, POLICY, ON, fallback=portfolio)
    assert (forecast.days_late, forecast.basis) == (12, "portfolio")
    empty = payment_profile([], ON)
    assert predict_payment(OPEN, empty, POLICY, ON, fallback=portfolio).basis == "portfolio"
    unknown = predict_payment(OPEN, None, POLICY, ON)
    assert (unknown.expected_on, unknown.days_late, unknown.late_probability) == (
        d("2026-06-15"),
        0,
        0.5,
    )
    assert unknown.basis == "default"


def test_a_customer_with_few_settlements_is_shrunk_toward_the_portfolio() -> None:
    portfolio = portfolio_profile(LATER_LATELY, ON)  # typical 12 days, always late
    one = payment_profile([paid("G-1", "2026-04-30", "2026-04-30", account_id="C-2")], ON)
    forecast = predict_payment(OPEN, one, POLICY, ON, fallback=portfolio)
    # (1 x 0 + 2 x 12) / (1 + 2) = 8 days; (1 x 0 + 2 x 1) / 3 = 0.67.
    assert PRIOR_SETTLEMENTS == 2
    assert (forecast.days_late, forecast.late_probability, forecast.basis) == (
        8,
        2 / 3,
        "blended",
    )


def test_the_shrinkage_counts_the_settlements_not_their_recency_weights() -> None:
    # Eight punctual payments, a year old: with a 30-day half-life they weigh almost
    # nothing on ``ON``, but they are eight: (8 x 0 + 2 x 12) / 10 = 2.4 days.
    portfolio = portfolio_profile(LATER_LATELY, ON)
    old = [
        paid(f"G-{n}", f"2025-05-{n + 10:02d}", f"2025-05-{n + 10:02d}", account_id="C-2")
        for n in range(8)
    ]
    profile = payment_profile(old, ON, half_life_days=30)
    assert profile.undisputed.weight < 0.01
    forecast = predict_payment(OPEN, profile, POLICY, ON, fallback=portfolio)
    assert (forecast.days_late, forecast.late_probability) == (2, 0.2)


def test_a_disputed_item_reads_the_disputed_figures() -> None:
    history = [*LATER_LATELY, paid("F-9", "2026-02-01", "2026-04-02", 700, disputed=True)]
    profile = payment_profile(history, ON)
    disputed = attrs.evolve(OPEN, status="price-dispute", status_date=d("2026-05-20"))
    forecast = predict_payment(disputed, profile, POLICY, ON)
    assert (forecast.days_late, forecast.expected_on, forecast.disputed) == (
        60,
        d("2026-08-14"),
        True,
    )
    # No disputed history: the undisputed figures.
    plain = predict_payment(disputed, payment_profile(LATER_LATELY, ON), POLICY, ON)
    assert plain.days_late == 12
    assert plain.disputed


def test_an_early_payer_is_expected_before_the_due_date() -> None:
    early = payment_profile([paid("F-1", "2026-03-31", "2026-03-26")], ON)
    forecast = predict_payment(OPEN, early, POLICY, ON)
    assert (forecast.expected_on, forecast.days_late) == (d("2026-06-10"), 0)


def test_a_prediction_past_the_last_date_stops_there() -> None:
    late = payment_profile([paid("F-1", "2026-01-31", "2026-05-01")], ON)
    last = invoice("F-11", "9999-12-30", 10)
    assert predict_payment(last, late, POLICY, ON).expected_on == dt.date.max


def test_an_overdue_item_reads_only_the_settlements_as_late_as_it_already_is() -> None:
    profile = payment_profile(LATER_LATELY, ON)  # 4, 8, 12, 16 and 20 days late
    overdue = invoice("F-12", "2026-05-20", 300)  # 12 days late on ON, still unpaid
    forecast = predict_payment(overdue, profile, POLICY, ON)
    # The median of 12, 16 and 20 (not of all five): paid on 5 June, late for sure.
    assert (forecast.expected_on, forecast.days_late) == (d("2026-06-05"), 16)
    assert (forecast.late_probability, forecast.basis) == (1.0, "customer")
    # Later than any settlement: expected on the day, from the fallback or the default.
    older = invoice("F-13", "2026-03-01", 300)
    beyond = predict_payment(older, profile, POLICY, ON)
    assert (beyond.expected_on, beyond.days_late) == (ON, 92)
    assert (beyond.late_probability, beyond.basis) == (1.0, "default")
    blended = predict_payment(overdue, profile, POLICY, ON, fallback=profile)
    assert (blended.days_late, blended.basis) == (16, "blended")


def test_an_early_payer_not_paid_yet_is_expected_from_the_later_settlements() -> None:
    early = payment_profile(
        [paid("F-1", "2026-03-31", "2026-03-11"), paid("F-2", "2026-04-30", "2026-04-28")], ON
    )  # 20 and 2 days early
    soon = invoice("F-14", "2026-06-11", 100)  # due in 10 days: the first is too early
    forecast = predict_payment(soon, early, POLICY, ON)
    assert (forecast.expected_on, forecast.late_probability) == (d("2026-06-09"), 0.0)
    tomorrow = invoice("F-15", "2026-06-02", 100)  # none so late: the default, due date
    assert predict_payment(tomorrow, early, POLICY, ON).basis == "default"


@given(
    st.lists(cs.settlements(), max_size=8),
    st.lists(cs.settlements(account_ids="C-2"), max_size=8),
    cs.items(open_states=("open",)),
    cs.dates(),
    st.booleans(),
)
def test_an_unpaid_item_is_expected_on_the_day_at_the_earliest(
    history: list[Settlement], others: list[Settlement], item: Item, on: dt.date, held: bool
) -> None:
    if not item.is_debit:
        item = invoice("F-1", item.due_date.isoformat(), 100)
    if held:
        item = attrs.evolve(item, status="price-dispute", status_date=on)
    profile = payment_profile(history, on, 30)
    fallback = portfolio_profile([*history, *others], on)
    forecast = predict_payment(item, profile, POLICY, on, fallback=fallback)
    assert forecast.expected_on >= on
    assert 0 <= forecast.late_probability <= 1
    assert forecast.days_late == max((forecast.expected_on - item.due_date).days, 0)
    if item.due_date < on:
        assert forecast.late_probability == 1.0


def test_a_closed_or_credit_item_is_not_predicted() -> None:
    with pytest.raises(ValidationError, match=r"predict_payment: item: item 'F-10' is not an open debit"):  # fmt: skip
        predict_payment(attrs.evolve(OPEN, open_amount=0), None, POLICY, ON)


@given(st.lists(cs.settlements(delays=st.integers(1, 90)), min_size=1, max_size=8), cs.items())
def test_a_customer_who_always_pays_late_is_expected_after_the_due_date(
    history: list[Settlement], item: Item
) -> None:
    on = max(s.settled_on for s in history) + dt.timedelta(days=1)
    if not item.is_debit:
        item = invoice("F-1", item.due_date.isoformat(), 100)
    forecast = predict_payment(item, payment_profile(history, on, 60), POLICY, on)
    assert forecast.expected_on > item.due_date
    assert forecast.days_late == (forecast.expected_on - item.due_date).days
    assert forecast.late_probability == 1.0


# --- cash_forecast -------------------------------------------------------------------------


def test_cash_lands_in_the_iso_week_of_its_expected_date() -> None:
    customer = account(
        invoice("F-1", "2026-05-10", 400),  # overdue: expected 22 May, in the first week
        invoice("F-2", "2026-06-15", 800),  # expected 27 June: week 26
        invoice("F-3", "2026-12-01", 900),  # expected after the 13 weeks
        invoice("F-4", "2026-06-05", 50, open_amount=0),  # closed
    )
    dollars = account(invoice("U-1", "2026-06-03", 250), id="C-2", currency="USD", name="Acme Inc")
    profiles = {"C-1": payment_profile(LATER_LATELY, ON)}
    forecast = cash_forecast([customer, dollars], profiles, POLICY, ON)
    assert isinstance(forecast, CashForecast)
    assert forecast.weeks == 13
    assert [(r.week, r.start, r.currency, r.amount, r.items) for r in forecast.rows] == [
        ("2026-W23", d("2026-06-01"), "EUR", Decimal(400), 1),
        ("2026-W23", d("2026-06-01"), "USD", Decimal(250), 1),  # due Wednesday, default
        ("2026-W26", d("2026-06-22"), "EUR", Decimal(800), 1),
    ]
    assert forecast.later == {"EUR": Decimal(900)}
    assert forecast.totals == {"EUR": Decimal(2100), "USD": Decimal(250)}


def test_a_disputed_item_is_left_out_of_the_cash_forecast() -> None:
    customer = apply_status(
        account(invoice("F-1", "2026-06-10", 400), invoice("F-2", "2026-06-12", 90)),
        ["F-2"], "price-dispute", POLICY, ON,
    )  # fmt: skip
    forecast = cash_forecast(iter([customer]), {}, POLICY, ON, weeks=1)
    assert forecast.totals == {"EUR": Decimal(400)}


@pytest.mark.parametrize("weeks", [0, -1])
def test_a_forecast_needs_a_week(weeks: int) -> None:
    with pytest.raises(ValidationError, match="cash_forecast: weeks must be at least 1"):
        cash_forecast([], {}, POLICY, ON, weeks=weeks)


def test_profiles_must_map_account_ids_to_profiles() -> None:
    with pytest.raises(ValidationError, match=r"cash_forecast: profiles: 'C-1' must be an account id mapped to a PaymentProfile"):  # fmt: skip
        cash_forecast([], {"C-1": None}, POLICY, ON)  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match=r"cash_forecast: profiles must be a mapping"):
        cash_forecast([], [], POLICY, ON)  # type: ignore[arg-type]


@given(
    cs.portfolios(policy=Policy(statuses=STATUSES)),
    st.lists(cs.settlements(), max_size=6),
    cs.dates(),
    st.integers(1, 20),
)
def test_the_forecast_counts_every_collectable_open_debit_once(
    portfolio: tuple[Account, ...], history: list[Settlement], on: dt.date, weeks: int
) -> None:
    policy = Policy(statuses=STATUSES)
    fallback = portfolio_profile(history, on)
    profiles: dict[str, PaymentProfile] = {}
    if portfolio:
        profiles[portfolio[0].id] = fallback
    forecast = cash_forecast(portfolio, profiles, policy, on, weeks, fallback)
    expected: dict[str, Decimal] = {}
    for customer in portfolio:
        for item in collectable_items(customer, policy):
            if item.is_debit:
                expected[customer.currency] = (
                    expected.get(customer.currency, Decimal(0)) + item.open_amount
                )
    assert forecast.totals == expected
    monday = on - dt.timedelta(days=on.weekday())
    for row in forecast.rows:
        assert row.start.weekday() == 0
        assert monday <= row.start < monday + dt.timedelta(weeks=weeks)
        assert row.amount > 0
        assert row.items >= 1
    # Each item in the week of its own prediction (predict_payment, the reference).
    weekly: dict[tuple[dt.date, str], list[Decimal]] = {}
    later: dict[str, Decimal] = {}
    for customer in portfolio:
        for item in collectable_items(customer, policy):
            if not item.is_debit:
                continue
            guess = predict_payment(item, profiles.get(customer.id), policy, on, fallback)
            start = guess.expected_on - dt.timedelta(days=guess.expected_on.weekday())
            if start < monday + dt.timedelta(weeks=weeks):
                weekly.setdefault((start, customer.currency), []).append(item.open_amount)
            else:
                later[customer.currency] = later.get(customer.currency, Decimal(0)) + (
                    item.open_amount
                )
    assert {(row.start, row.currency): (row.amount, row.items) for row in forecast.rows} == {
        key: (sum(amounts, Decimal(0)), len(amounts)) for key, amounts in weekly.items()
    }
    assert dict(forecast.later) == later


_SETTLEMENT = "settlement 'F-1' of account 'C-1': "


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issue_date": "x"}, "issue_date must be a date, not 'x'"),
        ({"due_date": None}, "due_date must be a date, not None"),
        ({"settled_on": "x"}, "settled_on must be a date, not 'x'"),
        ({"disputed": "yes"}, "disputed must be True or False, not 'yes'"),
        ({"currency": "XYZ"}, "currency must be an ISO 4217 code like 'EUR', not 'XYZ'"),
        ({"settled_on": d("2025-12-01")},
         "settled_on 2025-12-01 is before the issue_date 2026-01-01"),
    ],
)  # fmt: skip
def test_a_bad_settlement_field_is_named_in_a_whole_message(
    changes: dict[str, object], message: str
) -> None:
    fields = attrs.asdict(paid("F-1", "2026-01-31", "2026-02-12"))
    fields.update(changes)
    with pytest.raises(ValidationError) as raised:
        Settlement(**fields)
    assert str(raised.value) == _SETTLEMENT + message


def test_an_item_paid_the_day_it_is_issued_is_settled_in_the_account_s_currency() -> None:
    customer = account(invoice("F-1", "2026-02-28", 500, issued="2026-02-10"), currency="JPY")
    customer = sync_items(customer, [], d("2026-02-10"))
    (settled,) = settlements_from_journal(customer)
    assert (settled.item_id, settled.settled_on, settled.days_to_pay) == ("F-1", d("2026-02-10"), 0)
    assert settled.currency == "JPY"


def test_an_item_due_today_is_late_only_as_often_as_the_customer_is() -> None:
    # Paid on the due date once, 4 days late once: due today, half a chance of lateness.
    profile = payment_profile(
        [paid("F-1", "2026-04-30", "2026-04-30"), paid("F-2", "2026-05-10", "2026-05-14")], ON
    )
    forecast = predict_payment(invoice("F-20", "2026-06-01", 100), profile, POLICY, ON)
    assert (forecast.item_id, forecast.late_probability, forecast.expected_on) == (
        "F-20",
        0.5,
        ON,
    )


def test_a_single_day_late_is_late() -> None:
    one = payment_profile([paid("F-1", "2026-04-30", "2026-05-01")], ON)
    forecast = predict_payment(OPEN, one, POLICY, ON)
    assert (forecast.late_probability, forecast.days_late) == (1.0, 1)


def test_a_settlement_exactly_as_late_as_the_item_already_is_still_counts() -> None:
    # 12 days late in April (the more recent, weighing more) and 20 days late in March.
    profile = payment_profile(
        [paid("F-1", "2026-04-01", "2026-04-13"), paid("F-2", "2026-03-01", "2026-03-21")], ON
    )
    overdue = invoice("F-12", "2026-05-20", 300)  # 12 days late on ON
    assert predict_payment(overdue, profile, POLICY, ON).days_late == 12


def test_a_profile_keeps_its_date_and_half_life_and_counts_a_day_late_as_late() -> None:
    on_time, a_day_late = (
        paid("F-1", "2026-04-30", "2026-04-30"),
        paid("F-2", "2026-05-10", "2026-05-11"),
    )
    profile = payment_profile([on_time, a_day_late], ON, half_life_days=30)
    assert (profile.on, profile.half_life_days) == (ON, 30)
    figures = profile.undisputed
    assert (figures.late_share, figures.typical_delay) == (0.5, 1)
    weights = dict(figures.delays)
    assert figures.late_probability == pytest.approx(weights[1] / (weights[0] + weights[1]))


def test_disputed_settlements_weigh_the_recent_ones_more_too() -> None:
    history = [
        paid("F-1", "2026-01-30", "2026-02-10", disputed=True),
        paid("F-2", "2026-05-10", "2026-05-21", disputed=True),
    ]
    (older, recent) = payment_profile(history, ON, half_life_days=30).disputed.delays
    assert older[1] < recent[1] == 1.0


def test_settlements_of_another_account_are_named() -> None:
    mixed = [
        paid("F-1", "2026-04-30", "2026-04-30"),
        paid("F-2", "2026-05-10", "2026-05-11", account_id="C-2"),
    ]
    with pytest.raises(ValidationError) as raised:
        payment_profile(mixed, ON)
    assert str(raised.value) == (
        "payment_profile: settlements: settlement 'F-2' is of account 'C-2', not 'C-1' "
        "(one account's settlements; payment_profiles profiles several)"
    )


def test_each_kind_of_item_reads_its_own_figures_from_the_customer_and_the_portfolio() -> None:
    history = [*LATER_LATELY, paid("F-9", "2026-02-01", "2026-04-02", 700, disputed=True)]
    profile = payment_profile(history, ON)
    disputed = attrs.evolve(OPEN, status="price-dispute", status_date=d("2026-05-20"))
    assert predict_payment(OPEN, profile, POLICY, ON).days_late == 12  # not the dispute's 60
    from_portfolio = predict_payment(disputed, None, POLICY, ON, fallback=profile)
    assert (from_portfolio.days_late, from_portfolio.basis) == (60, "portfolio")


def test_two_settlements_weigh_twice_against_the_portfolio() -> None:
    portfolio = portfolio_profile(LATER_LATELY, ON)  # typical 12 days, always late
    two = payment_profile(
        [
            paid("G-1", "2026-04-30", "2026-04-30", account_id="C-2"),
            paid("G-2", "2026-05-15", "2026-05-15", account_id="C-2"),
        ],
        ON,
    )
    forecast = predict_payment(OPEN, two, POLICY, ON, fallback=portfolio)
    # PRIOR_SETTLEMENTS is 2: (2 x 0 + 2 x 12) / (2 + 2) = 6 days; (2 x 0 + 2 x 1) / 4 = 0.5.
    assert PRIOR_SETTLEMENTS == 2
    assert (forecast.days_late, forecast.late_probability, forecast.basis) == (6, 0.5, "blended")
