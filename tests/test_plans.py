"""SPEC §5: payment plan schedules and progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from builders import account, d, invoice
from collectlib import (
    Installment,
    PaymentPlan,
    PlanState,
    UnknownPlanError,
    ValidationError,
    minor_unit_digits,
    quantize,
)
from collectlib.rules.plans import plan_progress, schedule


def amounts(plan: tuple[Installment, ...]) -> list[str]:
    return [str(i.amount) for i in plan]


def test_equal_installments_with_the_remainder_on_the_last() -> None:
    assert amounts(schedule("100.00", 3, d("2026-01-15"))) == ["33.33", "33.33", "33.34"]
    assert amounts(schedule("200.00", 3, d("2026-01-15"))) == ["66.67", "66.67", "66.66"]
    assert amounts(schedule(1000, 4, d("2026-01-15"))) == ["250.00", "250.00", "250.00", "250.00"]


def test_installments_are_quantized_to_the_currency() -> None:
    assert amounts(schedule(1000, 3, d("2026-01-15"), currency="JPY")) == ["333", "333", "334"]
    assert amounts(schedule("1.000", 3, d("2026-01-15"), currency="KWD")) == [
        "0.333",
        "0.333",
        "0.334",
    ]


def test_monthly_dates_count_from_the_first_date_without_month_end_drift() -> None:
    dates = [i.due_on.isoformat() for i in schedule(500, 5, d("2024-01-31"))]
    assert dates == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]


def test_other_periods() -> None:
    dates = [i.due_on for i in schedule(300, 3, d("2026-01-05"), every=relativedelta(weeks=2))]
    assert dates == [d("2026-01-05"), d("2026-01-19"), d("2026-02-02")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 3), "schedule: total must be positive, not 0"),
        (("-5", 3), "schedule: total must be positive"),
        (("10.005", 3), "schedule: total 10.005 has more decimals than EUR allows"),
        (("abc", 3), "schedule: total: not an amount: 'abc'"),
        ((100, 0), "schedule: count must be at least 1, not 0"),
        ((100, 2.0), "schedule: count must be a whole number"),
        (("0.02", 3), r"schedule: total 0.02 EUR is too small to split into 3 installments"),
    ],
)
def test_bad_schedules_are_refused(args: tuple[object, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        schedule(args[0], args[1], d("2026-01-15"))  # type: ignore[arg-type]


def test_schedule_needs_a_forward_period_and_a_date() -> None:
    with pytest.raises(ValidationError, match="every must be a relativedelta that moves forward"):
        schedule(100, 2, d("2026-01-15"), every=relativedelta(months=-1))
    with pytest.raises(ValidationError, match="every must be a relativedelta"):
        schedule(100, 2, d("2026-01-15"), every=dt.timedelta(days=30))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="schedule: first_due must be a date"):
        schedule(100, 2, "2026-01-15")  # type: ignore[arg-type]


@given(
    st.integers(1, 10**9),
    st.integers(1, 48),
    st.sampled_from(["EUR", "JPY", "KWD"]),
    st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)),
    st.sampled_from([relativedelta(months=1), relativedelta(weeks=1), relativedelta(months=3)]),
)
def test_any_schedule_sums_exactly_with_increasing_dates(
    minor, count, currency, first, every
) -> None:
    total = Decimal(minor).scaleb(-minor_unit_digits(currency))
    share = quantize(total / count, currency)
    if share <= 0 or total - share * (count - 1) <= 0:
        with pytest.raises(ValidationError, match="too small to split"):
            schedule(total, count, first, every, currency)
        return
    plan = schedule(total, count, first, every, currency)
    assert sum(i.amount for i in plan) == total
    assert len(plan) == count
    assert all(a.due_on < b.due_on for a, b in pairwise(plan))
    assert len({i.amount for i in plan[:-1]}) <= 1
    remainder = total - plan[0].amount * count
    assert plan[-1].amount - plan[0].amount == remainder
    assert abs(remainder) <= Decimal(count) * Decimal(1).scaleb(-minor_unit_digits(currency))
    assert all(i.amount > 0 for i in plan)


# --- progress ---------------------------------------------------------------------------


def plan_account(open_1: int | str = 600, open_2: int | str = 300):
    installments = schedule(900, 3, d("2026-02-01"))
    plan = PaymentPlan(
        id="P1",
        item_ids={"F-1", "F-2"},
        installments=installments,
        created_on=d("2026-01-20"),
        total=900,
    )
    return account(
        invoice("F-1", "2025-11-10", 600, open_amount=open_1),
        invoice("F-2", "2025-12-10", 300, open_amount=open_2),
        invoice("F-3", "2026-01-10", 50),
        plans=(plan,),
    )


def test_nothing_due_before_the_first_installment_date() -> None:
    progress = plan_progress(plan_account(), "P1", d("2026-02-01"))
    assert (progress.paid, progress.due_to_date, progress.arrears) == (0, 0, 0)
    assert progress.state is PlanState.ON_TRACK
    assert progress.next_installment == Installment(due_on=d("2026-02-01"), amount="300.00")


def test_late_when_an_installment_date_passes_unpaid() -> None:
    progress = plan_progress(plan_account(), "P1", d("2026-02-02"))
    assert (progress.due_to_date, progress.arrears, progress.state) == (300, 300, PlanState.LATE)


def test_on_track_once_the_installment_is_paid() -> None:
    progress = plan_progress(plan_account(open_1=300), "P1", d("2026-02-02"))
    assert (progress.paid, progress.arrears, progress.state) == (300, 0, PlanState.ON_TRACK)
    assert progress.next_installment.due_on == d("2026-03-01")  # type: ignore[union-attr]


def test_partial_payment_leaves_arrears_and_the_same_next_installment() -> None:
    progress = plan_progress(plan_account(open_1=500), "P1", d("2026-03-02"))
    assert (progress.paid, progress.due_to_date, progress.arrears) == (100, 600, 500)
    assert progress.next_installment.due_on == d("2026-02-01")  # type: ignore[union-attr]


def test_completed_when_every_item_is_closed() -> None:
    progress = plan_progress(plan_account(open_1=0, open_2=0), "P1", d("2026-02-15"))
    assert (progress.paid, progress.next_installment, progress.state) == (
        900,
        None,
        PlanState.COMPLETED,
    )


def test_unknown_plan() -> None:
    with pytest.raises(UnknownPlanError, match="account 'C-1': no plan 'P9'"):
        plan_progress(plan_account(), "P9", d("2026-02-15"))


@given(
    st.integers(0, 600),
    st.integers(0, 300),
    st.integers(0, 600),
    st.integers(0, 300),
    st.dates(dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
)
def test_progress_is_monotone_in_payments(open_1, open_2, more_1, more_2, on) -> None:
    less_paid = plan_account(open_1, open_2)
    more_paid = plan_account(max(0, open_1 - more_1), max(0, open_2 - more_2))
    before = plan_progress(less_paid, "P1", on)
    after = plan_progress(more_paid, "P1", on)
    assert after.paid >= before.paid
    assert after.arrears <= before.arrears
    assert after.due_to_date == before.due_to_date
    assert 0 <= before.arrears <= before.due_to_date <= 900
    assert (before.state is PlanState.LATE) == (
        before.arrears > 0 and before.state is not PlanState.COMPLETED
    )
    if after.next_installment and before.next_installment:
        assert after.next_installment.due_on >= before.next_installment.due_on


def test_progress_leaves_the_account_unchanged() -> None:
    acc = plan_account()
    snapshot = (acc, hash(acc))
    plan_progress(acc, "P1", d("2026-03-01"))
    assert snapshot == (acc, hash(acc))
    assert attrs.evolve(acc) == acc
