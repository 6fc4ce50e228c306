"""Late-payment penalties (SPEC section 7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    ActionTemplate,
    Item,
    ItemKind,
    Penalties,
    PenaltyRule,
    Policy,
    RateTimeline,
    ScenarioActionRecorded,
    Status,
    UnknownItemError,
    UnknownStatusError,
    ValidationError,
    penalties,
)
from collectlib.strategies import accounts, dates, penalty_rules, rate_timelines

# The French commercial code (art. L441-10 and D441-5): the ECB's main refinancing
# rate plus 10 points, and a fixed 40 EUR recovery indemnity per late invoice.  In
# the first half of 2024 the ECB rate was 4.50 %, so the rate is 14.50 %.
FRENCH_RULE = PenaltyRule(annual_rate="0.145", recovery_cost=40)
LITIGE = Status(
    code="litige", category="DISPUTE", action=ActionTemplate(name="Suivi litige", channel="CALL")
)
CONTENTIEUX = Status(
    code="contentieux",
    category="LITIGATION",
    action=ActionTemplate(name="Avocat", channel="LITIGATION"),
)
PROMESSE = Status(code="promesse", category="PROMISE")
POLICY = Policy(statuses=[LITIGE, CONTENTIEUX, PROMESSE], penalties=FRENCH_RULE)
ON = dt.date(2024, 5, 15)


def invoice(
    item_id: str, open_amount: str, due: dt.date, *, amount: str | None = None, **more: object
) -> Item:
    return Item(
        id=item_id,
        kind=ItemKind.INVOICE,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        amount=amount or open_amount,
        open_amount=open_amount,
        **more,  # type: ignore[arg-type]
    )


DUPONT = Account(
    id="C-DUPONT",
    name="Dupont SARL",
    penalties_enabled=True,
    items=[
        # 45 days late on 15 May 2024.
        invoice("F-1", "12000.00", dt.date(2024, 3, 31)),
        # Partly paid (2,000.00 - 500.00), 10 days late.
        invoice("F-2", "1500.00", dt.date(2024, 5, 5), amount="2000.00", status="promesse"),
        # Disputed, litigation: never any penalty.
        invoice("F-3", "3000.00", dt.date(2024, 1, 31), status="litige"),
        invoice("F-4", "900.00", dt.date(2024, 1, 31), status="contentieux"),
        # Due on the day itself: not late.
        invoice("F-5", "700.00", ON),
        # Not an invoice: never any penalty.
        Item(
            id="AV-1",
            kind="CREDIT_NOTE",
            issue_date=dt.date(2024, 3, 1),
            due_date=dt.date(2024, 3, 1),
            amount=-250,
            open_amount=-250,
        ),
        Item(
            id="OD-1",
            kind="OTHER",
            issue_date=dt.date(2024, 3, 1),
            due_date=dt.date(2024, 3, 1),
            amount=80,
            open_amount=80,
        ),
    ],
)
EVERY_ITEM = [item.id for item in DUPONT.items]


def test_french_worked_example() -> None:
    # F-1: 12,000.00 x 0.145 x 45 / 365 = 78,300 / 365 = 214.5205... -> 214.52, + 40.00
    # F-2:  1,500.00 x 0.145 x 10 / 365 =  2,175 / 365 =   5.9589... ->   5.96, + 40.00
    result = penalties(DUPONT, EVERY_ITEM, POLICY, ON)
    assert list(result.by_item) == ["F-1", "F-2"]
    f1, f2 = result.by_item["F-1"], result.by_item["F-2"]
    assert (f1.days_late, f1.interest, f1.recovery_cost, f1.total) == (
        45,
        Decimal("214.52"),
        Decimal("40.00"),
        Decimal("254.52"),
    )
    assert (f2.days_late, f2.interest, f2.recovery_cost, f2.total) == (
        10,
        Decimal("5.96"),
        Decimal("40.00"),
        Decimal("45.96"),
    )
    assert (result.interest, result.recovery_cost, result.total) == (
        Decimal("220.48"),
        Decimal("80.00"),
        Decimal("300.48"),
    )


def test_interest_counts_the_rule_s_days_in_a_year() -> None:
    # 12,000.00 x 0.145 x 45 / 360 = 78,300 / 360 = 217.50
    rule = attrs.evolve(FRENCH_RULE, year_days=360)
    result = penalties(DUPONT, ["F-1"], attrs.evolve(POLICY, penalties=rule), ON)
    assert result.interest == Decimal("217.50")


def test_only_the_selected_items_bear_penalties() -> None:
    result = penalties(DUPONT, ["F-2", "F-5"], POLICY, ON)
    assert list(result.by_item) == ["F-2"]
    assert result.total == Decimal("45.96")


def test_interest_is_on_the_open_amount_of_a_partly_paid_invoice() -> None:
    assert penalties(DUPONT, ["F-2"], POLICY, ON).interest == Decimal("5.96")


def test_no_penalty_on_a_disputed_or_litigation_item() -> None:
    assert penalties(DUPONT, ["F-3", "F-4"], POLICY, ON) == Penalties.none()


def test_no_penalty_on_anything_but_an_invoice() -> None:
    assert penalties(DUPONT, ["AV-1", "OD-1"], POLICY, ON) == Penalties.none()


def test_an_invoice_due_today_is_not_late_and_one_day_later_it_is() -> None:
    assert penalties(DUPONT, ["F-5"], POLICY, ON).total == 0
    next_day = penalties(DUPONT, ["F-5"], POLICY, ON + dt.timedelta(days=1))
    # 700.00 x 0.145 x 1 / 365 = 0.2780... -> 0.28, + 40.00
    assert next_day.by_item["F-5"].days_late == 1
    assert next_day.total == Decimal("40.28")


def test_nothing_when_the_account_has_penalties_disabled() -> None:
    account = attrs.evolve(DUPONT, penalties_enabled=False)
    assert penalties(account, EVERY_ITEM, POLICY, ON) == Penalties.none()


def test_nothing_when_the_policy_has_no_rule() -> None:
    assert penalties(DUPONT, EVERY_ITEM, attrs.evolve(POLICY, penalties=None), ON).total == 0


def test_a_closed_invoice_bears_nothing() -> None:
    paid = invoice("F-9", "0", dt.date(2024, 1, 1), amount="100.00")
    account = attrs.evolve(DUPONT, items=[*DUPONT.items, paid])
    assert penalties(account, ["F-9"], POLICY, ON) == Penalties.none()


def test_interest_is_rounded_half_up_per_item() -> None:
    # 182.50 x 0.01 x 1 / 365 = 0.005 exactly -> 0.01 (half up, not half even)
    account = Account(
        id="C-1",
        penalties_enabled=True,
        items=[invoice("F-1", "182.50", ON - dt.timedelta(days=1))],
    )
    rule = PenaltyRule(annual_rate="0.01")
    result = penalties(account, ["F-1"], Policy(penalties=rule), ON)
    assert result.interest == Decimal("0.01")
    assert result.recovery_cost == Decimal("0.00")


def test_interest_is_quantized_to_the_currency_s_minor_unit() -> None:
    # 1,000,000 JPY x 0.145 x 45 / 365 = 17,876.71... -> 17,877 (no minor unit)
    account = Account(
        id="C-JP",
        currency="JPY",
        penalties_enabled=True,
        items=[invoice("F-1", "1000000", dt.date(2024, 3, 31))],
    )
    result = penalties(account, ["F-1"], POLICY, ON)
    assert result.by_item["F-1"].interest == Decimal("17877")
    assert result.by_item["F-1"].recovery_cost == Decimal("40")


def test_an_unknown_item_is_an_error_even_when_penalties_are_disabled() -> None:
    account = attrs.evolve(DUPONT, penalties_enabled=False)
    with pytest.raises(UnknownItemError, match="no item 'F-404'"):
        penalties(account, ["F-1", "F-404"], POLICY, ON)


def test_a_status_the_policy_does_not_know_is_an_error_not_a_guess() -> None:
    account = attrs.evolve(
        DUPONT, items=[invoice("F-1", "100.00", dt.date(2024, 1, 1), status="mystery")]
    )
    with pytest.raises(UnknownStatusError, match="item 'F-1': status 'mystery'"):
        penalties(account, ["F-1"], POLICY, ON)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"annual_rate": "-0.01"}, "annual_rate must be at least 0"),
        ({"annual_rate": "14.5"}, "annual_rate is a fraction"),
        ({"annual_rate": "NaN"}, "annual_rate: not an amount"),
        ({"annual_rate": "0.1", "recovery_cost": -40}, "recovery_cost must be at least 0"),
        ({"annual_rate": "0.1", "year_days": 0}, "year_days must be at least 1"),
    ],
)
def test_a_bad_penalty_rule_is_refused_at_construction(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        PenaltyRule(**changes)  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------

BASE = dt.date(2026, 1, 1)
NEAR_BASE = dates(BASE - dt.timedelta(days=400), BASE + dt.timedelta(days=400))
"""The dates drawn: within 400 days of ``BASE``."""
ACCOUNTS = accounts(issue_dates=NEAR_BASE, payment_terms=st.integers(-10, 90))
"""Accounts whose items are issued near ``BASE``, due up to 10 days before their issue
and up to 90 days after it."""


def _enabled(account: Account) -> Account:
    return attrs.evolve(account, penalties_enabled=True)


@given(account=ACCOUNTS, rule=penalty_rules(), on=NEAR_BASE)
def test_penalties_are_zero_when_disabled(account: Account, rule: PenaltyRule, on: dt.date) -> None:
    ids = [item.id for item in account.items]
    disabled = attrs.evolve(account, penalties_enabled=False)
    assert penalties(disabled, ids, Policy(penalties=rule), on) == Penalties.none()
    assert penalties(_enabled(account), ids, Policy(), on) == Penalties.none()


@given(account=ACCOUNTS, rule=penalty_rules(), on=NEAR_BASE)
def test_penalties_are_non_negative_and_by_item_sums_to_the_totals(
    account: Account, rule: PenaltyRule, on: dt.date
) -> None:
    account = _enabled(account)
    result = penalties(account, [item.id for item in account.items], Policy(penalties=rule), on)
    entries = list(result.by_item.values())
    assert result.interest == sum(entry.interest for entry in entries)
    assert result.recovery_cost == sum(entry.recovery_cost for entry in entries)
    assert result.total == result.interest + result.recovery_cost
    for entry in entries:
        assert entry.interest >= 0
        assert entry.recovery_cost >= 0
        assert entry.total == entry.interest + entry.recovery_cost
        item = account.item(entry.item_id)
        assert item.kind is ItemKind.INVOICE
        assert item.is_overdue(on)
        assert entry.days_late == item.days_late(on) > 0


@given(
    account=ACCOUNTS,
    rule=penalty_rules(),
    on=NEAR_BASE,
    later=st.integers(min_value=0, max_value=400),
)
def test_penalties_never_decrease_as_days_go_by(
    account: Account, rule: PenaltyRule, on: dt.date, later: int
) -> None:
    account = _enabled(account)
    ids = [item.id for item in account.items]
    policy = Policy(penalties=rule)
    before = penalties(account, ids, policy, on)
    after = penalties(account, ids, policy, on + dt.timedelta(days=later))
    assert after.total >= before.total
    for item_id, entry in before.by_item.items():
        assert after.by_item[item_id].interest >= entry.interest


@given(account=ACCOUNTS, rule=penalty_rules(), on=NEAR_BASE, data=st.data())
def test_penalties_of_disjoint_selections_add_up(
    account: Account, rule: PenaltyRule, on: dt.date, data: st.DataObject
) -> None:
    account = _enabled(account)
    ids = [item.id for item in account.items]
    chosen = data.draw(st.sets(st.sampled_from(ids)) if ids else st.just(set()))
    rest = [item_id for item_id in ids if item_id not in chosen]
    policy = Policy(penalties=rule)
    whole = penalties(account, ids, policy, on)
    part, other = penalties(account, chosen, policy, on), penalties(account, rest, policy, on)
    assert whole.total == part.total + other.total
    assert dict(whole.by_item) == {**part.by_item, **other.by_item}


# --- Statutory interest that follows a reference rate (SPEC §11) ----------------------------

# The ECB's main refinancing rate, 2022-2025 (its changes, each from its effective date).
ECB_MAIN_REFINANCING = [
    (dt.date(2022, 12, 21), "0.0250"),
    (dt.date(2023, 2, 8), "0.0300"),
    (dt.date(2023, 3, 22), "0.0350"),
    (dt.date(2023, 5, 10), "0.0375"),
    (dt.date(2023, 6, 21), "0.0400"),
    (dt.date(2023, 8, 2), "0.0425"),
    (dt.date(2023, 9, 20), "0.0450"),
    (dt.date(2024, 6, 12), "0.0425"),
    (dt.date(2024, 9, 18), "0.0365"),
    (dt.date(2024, 10, 23), "0.0340"),
    (dt.date(2024, 12, 18), "0.0315"),
    (dt.date(2025, 2, 5), "0.0290"),
    (dt.date(2025, 3, 12), "0.0265"),
    (dt.date(2025, 4, 23), "0.0240"),
    (dt.date(2025, 6, 11), "0.0215"),
]


def test_the_eu_rate_is_the_reference_rate_of_1_january_and_1_july_plus_8_points() -> None:
    statutory = RateTimeline.reference_plus(ECB_MAIN_REFINANCING, Decimal("0.08"))
    assert statutory.periods == (
        (dt.date(2023, 1, 1), Decimal("0.1050")),  # 2.50 % in force on 1 January 2023
        (dt.date(2023, 7, 1), Decimal("0.1200")),  # 4.00 % since 21 June
        (dt.date(2024, 1, 1), Decimal("0.1250")),  # 4.50 % since 20 September 2023
        (dt.date(2024, 7, 1), Decimal("0.1225")),  # 4.25 % since 12 June
        (dt.date(2025, 1, 1), Decimal("0.1115")),  # 3.15 % since 18 December 2024
        (dt.date(2025, 7, 1), Decimal("0.1015")),  # 2.15 % since 11 June: it stays in force
    )
    assert statutory.rate_on(dt.date(2023, 3, 30)) == Decimal("0.1050")  # ECB at 3.50 % then
    assert statutory.rate_on(dt.date(2026, 2, 1)) == Decimal("0.1015")
    assert (
        RateTimeline.reference_plus(RateTimeline(periods=ECB_MAIN_REFINANCING), "0.08") == statutory
    )


def test_statutory_interest_worked_by_hand() -> None:
    """10,000.00 EUR due 15 May 2024, asked about on 1 March 2025: 290 days late.

    16 May - 30 June 2024:  46 days at 12.50 %  ->  46 x 0.1250 =  5.7500
    1 July - 31 Dec. 2024: 184 days at 12.25 %  -> 184 x 0.1225 = 22.5400
    1 Jan. - 1 March 2025:  60 days at 11.15 %  ->  60 x 0.1115 =  6.6900
                                                    rate x days = 34.9800
    interest = 10,000.00 x 34.98 / 365 = 958.356... -> 958.36 EUR (and 40.00 recovery cost)
    """
    rule = PenaltyRule(
        annual_rate=RateTimeline.reference_plus(ECB_MAIN_REFINANCING, "0.08"), recovery_cost=40
    )
    account = Account(
        id="C-1", penalties_enabled=True,
        items=[invoice("F-1", "10000.00", dt.date(2024, 5, 15))],
    )  # fmt: skip
    result = penalties(account, ["F-1"], Policy(penalties=rule), dt.date(2025, 3, 1))
    entry = result.by_item["F-1"]
    assert entry.days_late == 290
    assert rule.annual_rate.rate_days(dt.date(2024, 5, 15), dt.date(2025, 3, 1)) == Decimal("34.98")
    assert (entry.interest, entry.recovery_cost, result.total) == (
        Decimal("958.36"), Decimal("40.00"), Decimal("998.36")
    )  # fmt: skip


def test_a_day_before_the_first_period_bears_no_interest() -> None:
    timeline = RateTimeline(periods=[(dt.date(2024, 4, 1), "0.365")])
    account = Account(
        id="C-1", penalties_enabled=True,
        items=[invoice("F-1", "1000.00", dt.date(2024, 3, 21))],
    )  # fmt: skip
    policy = Policy(penalties=PenaltyRule(annual_rate=timeline))
    # 21 days late on 11 April, of which 10 before 1 April: 11 days at 36.5 % = 11.00
    assert penalties(account, ["F-1"], policy, dt.date(2024, 4, 11)).interest == Decimal("11.00")
    assert penalties(account, ["F-1"], policy, dt.date(2024, 3, 31)).interest == Decimal("0.00")


@given(
    account=ACCOUNTS,
    rule=penalty_rules(timelines=False),
    on=NEAR_BASE,
    start=st.dates(max_value=dt.date(2019, 12, 31)),
)
def test_a_timeline_of_one_period_is_the_plain_rate(
    account: Account, rule: PenaltyRule, on: dt.date, start: dt.date
) -> None:
    account = _enabled(account)
    ids = [item.id for item in account.items]
    timeline = attrs.evolve(rule, annual_rate=RateTimeline(periods=[(start, rule.annual_rate)]))
    assert penalties(account, ids, Policy(penalties=timeline), on) == penalties(
        account, ids, Policy(penalties=rule), on
    )


@given(
    timeline=rate_timelines(),
    days=st.lists(st.dates(dt.date(2018, 1, 1), dt.date(2032, 12, 31)), min_size=3, max_size=3),
)
def test_interest_adds_up_over_a_split_of_the_days(
    timeline: RateTimeline, days: list[dt.date]
) -> None:
    first, middle, last = sorted(days)
    whole = timeline.rate_days(first, last)
    assert whole == timeline.rate_days(first, middle) + timeline.rate_days(middle, last)
    assert timeline.rate_days(last, first) == (0 if first < last else whole)
    # each day at the rate in force that day
    assert whole == sum(
        (
            timeline.rate_on(first + dt.timedelta(days=n)) or Decimal(0)
            for n in range(1, (last - first).days + 1)
        ),
        Decimal(0),
    )


def test_an_unknown_status_says_why_penalties_need_it() -> None:
    account = attrs.evolve(
        DUPONT, items=[invoice("F-1", "100.00", dt.date(2024, 1, 1), status="mystery")]
    )
    with pytest.raises(UnknownStatusError) as raised:
        penalties(account, ["F-1"], POLICY, ON)
    assert raised.value.args[0] == (
        "item 'F-1': status 'mystery' is not in the policy "
        "(penalties need to know whether it is a dispute)"
    )


def _fee(leader: str, on: dt.date, fee: str) -> ScenarioActionRecorded:
    return ScenarioActionRecorded(
        on=on, scenario="standard", step_index=1, step_name="second reminder", channel="LETTER",
        leader_id=leader, item_ids={leader}, amount="12000.00", fee=fee,
    )  # fmt: skip


def test_fees_add_up_per_leader_up_to_the_day_asked_beside_the_penalties() -> None:
    # F-1 bears penalties and two fees, the second one charged on the day asked; F-2,
    # promised (not a dispute), bears a fee and its penalties; F-5, not late, bears none.
    account = attrs.evolve(
        DUPONT,
        journal=(
            _fee("F-1", dt.date(2024, 4, 15), "15.00"),
            _fee("F-1", ON, "10.00"),
            _fee("F-2", dt.date(2024, 5, 10), "5.00"),
            _fee("F-1", ON + dt.timedelta(days=1), "99.00"),  # after the day asked
        ),
    )
    result = penalties(account, ["F-1", "F-2", "F-5"], POLICY, ON)
    alone = penalties(DUPONT, ["F-1", "F-2", "F-5"], POLICY, ON)
    assert result.by_item["F-1"].fees == Decimal("25.00")
    assert result.by_item["F-2"].fees == Decimal("5.00")
    assert "F-5" not in result.by_item
    for item_id in ("F-1", "F-2"):
        line = result.by_item[item_id]
        assert line.interest == alone.by_item[item_id].interest
        assert line.total == line.interest + line.recovery_cost + line.fees
    assert result.fees == Decimal("30.00")
    assert result.total == alone.total + Decimal("30.00")


def test_a_recovery_cost_is_rounded_to_the_account_s_currency() -> None:
    account = attrs.evolve(DUPONT, currency="JPY")
    policy = attrs.evolve(POLICY, penalties=PenaltyRule(annual_rate="0.145", recovery_cost="40.5"))
    assert penalties(account, ["F-1"], policy, ON).recovery_cost == Decimal(41)


def test_an_item_without_fee_bears_its_penalties_beside_one_with_fees() -> None:
    account = attrs.evolve(DUPONT, journal=(_fee("F-1", dt.date(2024, 4, 15), "15.00"),))
    result = penalties(account, ["F-1", "F-2"], POLICY, ON)
    alone = penalties(DUPONT, ["F-1", "F-2"], POLICY, ON)
    assert result.by_item["F-2"] == alone.by_item["F-2"]
    assert result.by_item["F-2"].fees == 0
    assert result.total == alone.total + Decimal("15.00")
