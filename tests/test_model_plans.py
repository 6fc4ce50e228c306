"""Payment plans and installments (SPEC §1 "PaymentPlan and Installment")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from collectlib import Installment, PaymentPlan, ValidationError

DAY = dt.date(2026, 3, 31)
MIDNIGHT = dt.datetime(2026, 3, 31)


def installments(*pairs: tuple[str, object]) -> list[Installment]:
    """Installments from (ISO date, amount) pairs."""
    return [Installment(due_on=dt.date.fromisoformat(d), amount=a) for d, a in pairs]  # type: ignore[arg-type]


def plan(**changes: Any) -> PaymentPlan:
    """A valid plan 'P1' of 300 in two installments on F-1, changed as asked."""
    fields: dict[str, Any] = {
        "id": "P1",
        "item_ids": frozenset({"F-1"}),
        "installments": installments(("2026-03-31", 150), ("2026-04-30", 150)),
        "created_on": dt.date(2026, 3, 1),
        "total": Decimal(300),
        "action_id": "A1",
    }
    return PaymentPlan(**{**fields, **changes})


# --- Installment -------------------------------------------------------------------------


def test_an_installment_reads_its_amount_as_a_decimal() -> None:
    assert Installment(due_on=DAY, amount=100.1).amount == Decimal("100.1")


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"amount": 0}, r"^installment of 2026-03-31: amount must be positive, not 0$"),
        (
            {"amount": "-10.00"},
            r"^installment of 2026-03-31: amount must be positive, not -10\.00$",
        ),
        ({"amount": True}, r"^installment of 2026-03-31: amount: not an amount: True$"),
        ({"amount": "abc"}, r"^installment of 2026-03-31: amount: not an amount: 'abc'$"),
        (
            {"amount": float("nan")},
            r"^installment of 2026-03-31: amount: not an amount: Decimal\('NaN'\)$",
        ),
        (
            {"amount": float("inf")},
            r"^installment of 2026-03-31: amount: not an amount: Decimal\('Infinity'\)$",
        ),
        ({"due_on": MIDNIGHT}, r"^installment: due_on must be a date, not datetime\.datetime"),
        ({"due_on": "2026-03-31"}, r"^installment: due_on must be a date, not '2026-03-31'$"),
    ],
)
def test_a_bad_installment_field_names_the_installment_and_field(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        Installment(**{"due_on": DAY, "amount": 100, **changes})


# --- PaymentPlan -------------------------------------------------------------------------


def test_a_valid_plan_keeps_its_fields() -> None:
    built = plan(item_ids=["F-1", "F-2"], installments=tuple(plan().installments))
    assert built.item_ids == frozenset({"F-1", "F-2"})
    assert built.total == Decimal(300)
    assert isinstance(built.installments, tuple)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"id": ""}, r"^plan: id must be a non-empty string"),
        ({"id": None}, r"^plan: id must be .*, not None$"),
        ({"item_ids": []}, r"^plan 'P1': item_ids must name at least one item$"),
        ({"item_ids": 4}, r"^plan 'P1': item_ids must be a collection of str, not 4$"),
        ({"item_ids": [4]}, r"^plan 'P1': item_ids\[0\] must be a str, not 4$"),
        ({"installments": []}, r"^plan 'P1': installments must hold at least one installment$"),
        (
            {"installments": 150},
            r"^plan 'P1': installments must be a collection of Installment, not 150$",
        ),
        (
            {"installments": [("2026-03-31", 150)]},
            r"^plan 'P1': installments\[0\] must be a Installment, not \('2026-03-31', 150\)$",
        ),
        ({"created_on": MIDNIGHT}, r"^plan 'P1': created_on must be a date, not datetime"),
        ({"total": True}, r"^plan 'P1': total: not an amount: True$"),
        ({"total": "abc"}, r"^plan 'P1': total: not an amount: 'abc'$"),
        ({"total": float("-inf")}, r"^plan 'P1': total: not an amount: Decimal\('-Infinity'\)$"),
        ({"action_id": ""}, r"^plan 'P1': action_id must be a non-empty string"),
        (
            {"total": 299},
            r"^plan 'P1': installments sum to 300, not the total 299$",
        ),
        (
            {"installments": installments(("2026-04-30", 150), ("2026-03-31", 150))},
            r"^plan 'P1': installment dates must increase: 2026-03-31 after 2026-04-30$",
        ),
        (
            {"installments": installments(("2026-04-30", 150), ("2026-04-30", 150))},
            r"^plan 'P1': installment dates must increase: 2026-04-30 after 2026-04-30$",
        ),
    ],
)
def test_a_bad_plan_field_names_the_plan_and_field(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        plan(**changes)


def test_the_total_is_read_as_a_decimal_and_compared_by_value() -> None:
    assert plan(total="300.00").total == Decimal("300.00")


def test_a_plan_may_have_no_follow_up_action() -> None:
    assert plan(action_id=None).action_id is None


_SCHEDULES = st.lists(
    st.tuples(st.integers(0, 720), st.integers(1, 10**8)),
    min_size=1,
    max_size=12,
    unique_by=lambda pair: pair[0],
)


@given(_SCHEDULES)
def test_installments_in_date_order_summing_to_the_total_make_a_plan(
    schedule: list[tuple[int, int]],
) -> None:
    parts = [
        Installment(due_on=DAY + dt.timedelta(days=offset), amount=Decimal(cents).scaleb(-2))
        for offset, cents in sorted(schedule)
    ]
    total = sum((part.amount for part in parts), Decimal(0))
    built = plan(installments=parts, total=total)
    assert built.installments == tuple(parts)
    copy = PaymentPlan(**attrs.asdict(built, recurse=False))
    assert copy == built
    assert hash(copy) == hash(built)


@given(_SCHEDULES, st.data())
def test_installments_out_of_date_order_are_refused(
    schedule: list[tuple[int, int]], data: st.DataObject
) -> None:
    parts = [
        Installment(due_on=DAY + dt.timedelta(days=offset), amount=cents)
        for offset, cents in sorted(schedule)
    ]
    assume(len(parts) > 1)
    shuffled = data.draw(st.permutations(parts).filter(lambda p: p != parts))
    total = sum((part.amount for part in parts), Decimal(0))
    with pytest.raises(ValidationError, match=r"^plan 'P1': installment dates must increase: "):
        plan(installments=shuffled, total=total)


@given(_SCHEDULES, st.integers(1, 100).flatmap(lambda n: st.sampled_from([n, -n])))
def test_installments_that_miss_the_total_are_refused(
    schedule: list[tuple[int, int]], gap: int
) -> None:
    parts = [
        Installment(due_on=DAY + dt.timedelta(days=offset), amount=cents)
        for offset, cents in sorted(schedule)
    ]
    total = sum((part.amount for part in parts), Decimal(0)) + gap
    with pytest.raises(
        ValidationError, match=rf"^plan 'P1': installments sum to .*, not the total {total}$"
    ):
        plan(installments=parts, total=total)


def test_a_plan_s_total_may_exceed_what_one_installment_may_be() -> None:
    largest = "999999999999999999.99"  # the largest amount of one installment
    built = plan(
        installments=installments(("2026-03-31", largest), ("2026-04-30", largest)),
        total=Decimal(largest) * 2,
    )
    assert built.total == Decimal("1999999999999999999.98")
