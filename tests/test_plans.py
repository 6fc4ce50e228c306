"""SPEC §5: payment plan schedules and progress."""

from __future__ import annotations

import datetime as dt
from collections import Counter
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
        (("9.99", 1000), r"schedule: total 9.99 EUR is too small to split into 1000 "),
        (("1e18", 3), r"schedule: total: out of range: at most 18 digits before the decimal "),
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


def test_schedule_refuses_installments_past_the_last_date() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^schedule: 100000 installments from 2026-01-15 run past 9999-12-31$",
    ):
        schedule(100000, 100000, d("2026-01-15"))
    with pytest.raises(ValidationError, match="run past 9999-12-31"):
        schedule(1000, 2, dt.date(9999, 12, 1), every=relativedelta(days=31))


def test_schedule_refuses_a_period_that_moves_a_later_installment_back() -> None:
    # One month less 29 days moves forward from Jan 1 (Jan 3), two of them move back (Jan 2).
    with pytest.raises(
        ValidationError,
        match=r"^schedule: every must move each installment forward: 2026-01-03 then 2026-01-02$",
    ):
        schedule(300, 3, d("2026-01-01"), every=relativedelta(months=1, days=-29))
    # One month less 28 days: Jan 4, then Jan 4 again (Mar 1 less 56 days).
    with pytest.raises(ValidationError) as raised:
        schedule(300, 3, d("2026-01-01"), every=relativedelta(months=1, days=-28))
    assert str(raised.value) == (
        "schedule: every must move each installment forward: 2026-01-04 then 2026-01-04"
    )
    # A period that stays put is refused as such, even for a single installment.
    for count in (1, 2):
        with pytest.raises(ValidationError) as raised:
            schedule(300, count, d("2026-01-01"), every=relativedelta(months=1, days=-31))
        assert str(raised.value) == (
            "schedule: every must be a relativedelta that moves forward, not "
            "relativedelta(months=+1, days=-31)"
        )


@pytest.mark.parametrize(
    ("total", "count", "currency", "expected"),
    [
        # The equal share (5.00) would leave 0.00 for the last one: cents are shared out.
        ("4995.00", 1000, "EUR", {"4.99": 500, "5.00": 500}),
        ("1.00", 60, "EUR", {"0.01": 20, "0.02": 40}),
        ("1500", 1000, "JPY", {"1": 500, "2": 500}),
        ("0.03", 3, "EUR", {"0.01": 3}),
        ("1.000", 1000, "KWD", {"0.001": 1000}),
    ],
)
def test_a_total_splits_into_any_count_it_holds_minor_units_for(
    total: str, count: int, currency: str, expected: dict[str, int]
) -> None:
    plan = schedule(total, count, d("2026-01-15"), relativedelta(days=1), currency)
    assert Counter(amounts(plan)) == expected
    assert sum(i.amount for i in plan) == Decimal(total)
    assert amounts(plan) == sorted(amounts(plan), key=Decimal)  # the larger ones last


def test_the_remainder_stays_on_the_last_installment_when_it_is_positive() -> None:
    plan = schedule("4994.00", 1000, d("2026-01-15"), relativedelta(days=1))
    assert Counter(amounts(plan)) == {"4.99": 999, "8.99": 1}
    assert plan[-1].amount == Decimal("8.99")


@given(
    st.integers(1, 10**9),
    st.integers(1, 2000),
    st.sampled_from(["EUR", "JPY", "KWD"]),
    st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)),
    st.sampled_from([relativedelta(days=1), relativedelta(weeks=1), relativedelta(days=3)]),
)
def test_any_schedule_sums_exactly_in_positive_installments(
    minor: int, count: int, currency: str, first: dt.date, every: relativedelta
) -> None:
    unit = Decimal(1).scaleb(-minor_unit_digits(currency))
    total = minor * unit
    if minor < count:  # fewer minor units than installments: impossible
        with pytest.raises(ValidationError, match="too small to split"):
            schedule(total, count, first, every, currency)
        return
    plan = schedule(total, count, first, every, currency)
    assert len(plan) == count
    assert sum(i.amount for i in plan) == total
    assert all(i.amount > 0 for i in plan)
    assert all(quantize(i.amount, currency) == i.amount for i in plan)
    assert all(a.due_on < b.due_on for a, b in pairwise(plan))
    share = quantize(total / count, currency)
    if total - share * (count - 1) > 0:  # the documented rule: the remainder on the last
        assert {i.amount for i in plan[:-1]} <= {share}
        assert plan[-1].amount == total - share * (count - 1)
    else:  # minor units shared out: two sizes one unit apart, the larger ones last
        assert len({i.amount for i in plan}) <= 2
        assert plan[-1].amount - plan[0].amount in {0, unit}
        assert [i.amount for i in plan] == sorted(i.amount for i in plan)


@given(
    st.integers(1, 10**9),
    st.integers(1, 48),
    st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)),
    st.sampled_from([relativedelta(months=1), relativedelta(months=3)]),
)
def test_monthly_schedules_keep_their_dates_increasing(
    minor: int, count: int, first: dt.date, every: relativedelta
) -> None:
    plan = schedule(Decimal(minor + count).scaleb(-2), count, first, every)
    assert [i.due_on for i in plan] == [first + every * n for n in range(count)]
    assert all(a.due_on < b.due_on for a, b in pairwise(plan))


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


def test_progress_counts_in_the_minor_unit_of_the_account_currency() -> None:
    installments = schedule("1.000", 3, d("2026-02-01"), currency="KWD")  # 0.333 0.333 0.334
    plan = PaymentPlan(
        id="P1",
        item_ids={"F-1"},
        installments=installments,
        created_on=d("2026-01-20"),
        total="1.000",
    )
    acc = account(
        invoice("F-1", "2025-11-10", "1.000", open_amount="0.667"), plans=(plan,), currency="KWD"
    )
    progress = plan_progress(acc, "P1", d("2026-03-02"))
    assert (progress.paid, progress.due_to_date, progress.arrears) == (
        Decimal("0.333"),
        Decimal("0.666"),
        Decimal("0.333"),
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


# --- create, review, cancel -------------------------------------------------------------

from builders import qualifying_policy  # noqa: E402
from collectlib import (  # noqa: E402
    ActionCreated,
    ActionState,
    ActionTemplate,
    ConfigurationError,
    PlanCancelled,
    PlanCreated,
    PlanReviewed,
    RuleViolation,
    Status,
    StatusCategory,
    agenda,
    cancel_plan,
    create_plan,
    excluded_item_ids,
    review_plan,
)

PLAN_STATUS = Status(
    code="plan",
    category=StatusCategory.PAYMENT_PLAN,
    action=ActionTemplate(name="check the installment", channel="CALL"),
)


def plan_policy(**changes):
    from builders import STATUSES

    return qualifying_policy(statuses=(*STATUSES, PLAN_STATUS), **changes)


def customer():
    return account(
        invoice("F-1", "2025-11-10", 600),
        invoice("F-2", "2025-12-10", 300),
        invoice("F-3", "2026-01-10", 50),
    )


AGREED = d("2026-01-20")


def agreed():
    return create_plan(
        customer(),
        ["F-1", "F-2"],
        schedule(900, 3, d("2026-02-01")),
        plan_policy(),
        AGREED,
        comment="3 x 300 EUR, 1st of the month",
        by="marie",
    )


def test_a_plan_qualifies_its_items_and_takes_them_out_of_the_scenario() -> None:
    acc = agreed()
    (plan,) = acc.plans
    assert (plan.id, plan.total, plan.created_on, plan.action_id) == ("P1", 900, AGREED, "A1")
    assert [(i.status, i.comment) for i in acc.items[:2]] == [
        ("plan", "3 x 300 EUR, 1st of the month")
    ] * 2
    (follow_up,) = acc.actions
    assert (follow_up.name, follow_up.due_on, follow_up.plan_id) == (
        "check the installment",
        d("2026-02-01"),
        "P1",
    )
    assert excluded_item_ids(acc, plan_policy()) == {"F-1", "F-2"}
    assert acc.journal[-2] == ActionCreated(
        on=AGREED,
        by="marie",
        action_id="A1",
        name="check the installment",
        item_ids={"F-1", "F-2"},
        due_on=d("2026-02-01"),
        plan_id="P1",
    )
    assert acc.journal[-1] == PlanCreated(
        on=AGREED,
        by="marie",
        plan_id="P1",
        item_ids={"F-1", "F-2"},
        total=900,
        comment="3 x 300 EUR, 1st of the month",
    )


def test_review_moves_the_follow_up_to_the_next_installment_when_on_track() -> None:
    acc = agreed()
    paid = attrs.evolve(acc, items=(attrs.evolve(acc.items[0], open_amount=300), *acc.items[1:]))
    reviewed = review_plan(paid, "P1", plan_policy(), d("2026-02-03"))
    assert reviewed.actions[0].due_on == d("2026-03-01")
    assert reviewed.journal[-1] == PlanReviewed(
        on=d("2026-02-03"), plan_id="P1", state=PlanState.ON_TRACK, next_due_on=d("2026-03-01")
    )


def test_review_leaves_a_late_plan_due_and_the_agenda_shows_the_arrears() -> None:
    acc = agreed()
    reviewed = review_plan(acc, "P1", plan_policy(), d("2026-02-03"))
    assert reviewed.actions[0].due_on == d("2026-02-01")
    assert reviewed.journal[-1].state is PlanState.LATE
    (row,) = [r for r in agenda([reviewed], plan_policy(), d("2026-02-03")) if r.action_id == "A1"]
    assert (row.arrears, row.amount, row.late_days) == (Decimal(300), Decimal(900), 2)


def test_review_completes_a_paid_plan() -> None:
    acc = agreed()
    paid = attrs.evolve(
        acc, items=tuple(attrs.evolve(i, open_amount=0) for i in acc.items[:2]) + acc.items[2:]
    )
    reviewed = review_plan(paid, "P1", plan_policy(), d("2026-03-05"))
    assert reviewed.actions[0].state is ActionState.DONE
    again = review_plan(reviewed, "P1", plan_policy(), d("2026-03-06"))
    assert again.journal[-1].state is PlanState.COMPLETED
    with pytest.raises(RuleViolation, match="cancel_plan: plan 'P1' is not running"):
        cancel_plan(reviewed, "P1", d("2026-03-06"))


def test_cancelling_a_broken_plan_returns_the_items_to_the_scenario() -> None:
    acc = cancel_plan(
        agreed(), "P1", d("2026-02-10"), reason="missed the first installment", by="marie"
    )
    assert acc.actions[0].state is ActionState.CANCELLED
    assert excluded_item_ids(acc, plan_policy()) == frozenset()
    assert acc.journal[-1] == PlanCancelled(
        on=d("2026-02-10"), by="marie", plan_id="P1", reason="missed the first installment"
    )
    with pytest.raises(RuleViolation, match="cancel_plan: plan 'P1' is not running"):
        cancel_plan(acc, "P1", d("2026-02-11"))
    again = create_plan(
        acc, ["F-1"], schedule(600, 2, d("2026-03-01")), plan_policy(), d("2026-02-11")
    )
    assert [p.id for p in again.plans] == ["P1", "P2"]


@pytest.mark.parametrize(
    ("items", "installments", "message"),
    [
        (
            ["F-1", "F-2"],
            schedule(800, 2, d("2026-02-01")),
            "the installments sum to 800.00, the items' open total is 900",
        ),
        (
            ["F-1"],
            schedule(600, 2, d("2026-01-19")),
            r"the first installment \(2026-01-19\) is before 2026-01-20",
        ),
        (["F-1", "AV"], schedule(600, 2, d("2026-02-01")), "item 'AV' is a credit"),
        (["F-9"], schedule(600, 2, d("2026-02-01")), "no item 'F-9'"),
    ],
)
def test_bad_plans_are_refused(items, installments, message) -> None:
    from builders import credit

    acc = attrs.evolve(customer(), items=(*customer().items, credit("AV", "2026-01-01")))
    with pytest.raises((RuleViolation, UnknownPlanError, KeyError), match=message):
        create_plan(acc, items, installments, plan_policy(), AGREED)


def test_an_item_in_a_running_plan_cannot_join_another() -> None:
    with pytest.raises(RuleViolation, match="item 'F-2' is in the running plan 'P1'"):
        create_plan(
            agreed(), ["F-2", "F-3"], schedule(350, 2, d("2026-02-01")), plan_policy(), AGREED
        )


def test_plan_status_must_be_configured_and_of_the_plan_category() -> None:
    with pytest.raises(ConfigurationError, match="the policy has no PAYMENT_PLAN status"):
        create_plan(customer(), ["F-3"], schedule(50, 1, AGREED), qualifying_policy(), AGREED)
    with pytest.raises(
        RuleViolation, match="status 'ongoing' has the category ONGOING, not PAYMENT_PLAN"
    ):
        create_plan(
            customer(), ["F-3"], schedule(50, 1, AGREED), plan_policy(), AGREED, status="ongoing"
        )


def test_a_plan_id_can_be_given_once_and_a_status_object_used() -> None:
    pol = plan_policy()
    acc = create_plan(
        customer(),
        "F-3",
        schedule(50, 1, AGREED),
        pol,
        AGREED,
        status=PLAN_STATUS,
        plan_id="PLAN-9",
    )
    assert [p.id for p in acc.plans] == ["PLAN-9"]
    with pytest.raises(RuleViolation, match="a plan 'PLAN-9' exists already"):
        create_plan(
            cancel_plan(acc, "PLAN-9", AGREED),
            ["F-3"],
            schedule(50, 1, AGREED),
            pol,
            AGREED,
            plan_id="PLAN-9",
        )


def test_a_plan_without_follow_up_action_is_not_running() -> None:
    from collectlib import PaymentPlan

    plan = PaymentPlan(
        id="OLD",
        item_ids={"F-1"},
        installments=schedule(600, 1, AGREED),
        created_on=AGREED,
        total=600,
    )
    acc = attrs.evolve(customer(), plans=(plan,))
    with pytest.raises(RuleViolation, match="plan 'OLD' is not running"):
        review_plan(acc, "OLD", plan_policy(), AGREED)
    assert (
        create_plan(acc, ["F-1"], schedule(600, 1, AGREED), plan_policy(), AGREED).plans[-1].id
        == "P2"
    )
