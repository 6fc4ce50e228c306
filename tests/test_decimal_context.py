"""SPEC §0 "Money is Decimal": the rules compute in the library's decimal context, never the
caller's.  Every case runs under contexts drawn to be hostile (1 to 5 digits of precision,
any rounding, any traps, lower-case exponents) and must give what it gives under the
default context, digit for digit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import (
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Clamped,
    Context,
    Decimal,
    DivisionByZero,
    FloatOperation,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Subnormal,
    Underflow,
    getcontext,
    localcontext,
)
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

from builders import d, invoice
from collectlib import (
    Account,
    Item,
    Money,
    PenaltyRule,
    Policy,
    SalesPeriod,
    Status,
    Tally,
    aged_balance,
    agenda,
    balance,
    cancel_plan,
    create_plan,
    demo,
    dispute_resolution_time,
    dso,
    due_actions,
    explain,
    next_action,
    overdue_ratio,
    penalties,
    plan_progress,
    qualification_rate,
    quantize,
    render,
    review_plan,
    schedule,
    sort_agenda,
    sync_items,
    template_context,
    to_amount,
)
from collectlib._frozen import FrozenMap
from collectlib.money import quantize_ratio

SIGNALS = [
    Clamped,
    DivisionByZero,
    FloatOperation,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Subnormal,
    Underflow,
]
ROUNDINGS = [
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
]

hostile_contexts = st.builds(
    lambda prec, rounding, traps, capitals: Context(
        prec=prec, rounding=rounding, traps=traps, capitals=capitals, flags=[]
    ),
    prec=st.integers(1, 5),
    rounding=st.sampled_from(ROUNDINGS),
    traps=st.one_of(st.just(SIGNALS), st.lists(st.sampled_from(SIGNALS), unique=True)),
    capitals=st.sampled_from([0, 1]),
)
EVERY_TRAP = Context(prec=2, rounding=ROUND_FLOOR, traps=SIGNALS, flags=[])

# --- The data: the demo portfolio, and accounts whose sums need many digits ------------

ON = demo.AS_OF
POLICY = demo.policy()
ACCOUNTS = demo.portfolio().accounts
PLANNED = next(account for account in ACCOUNTS if account.plans)
PENALISED = next(account for account in ACCOUNTS if account.penalties_enabled)
BIG = (  # in range, and exact sums of them need 36 digits and more
    "999999999999999999.99",
    "123456789012345678.123456789012345678",
    "0.000000000000000001",
    "777777777777777777.77",
)
HUGE = Account(
    id="C-HUGE",
    penalties_enabled=True,
    items=[invoice(f"F-{n}", "2026-01-15", amount) for n, amount in enumerate(BIG)],
)
CENTS = Account(
    id="C-CENTS",
    collector="ana",
    items=[
        invoice("F-1", "2026-01-15", "1234.56"),
        invoice("F-2", "2025-11-30", "0.07"),
        attrs.evolve(invoice("F-3", "2025-10-01", "98765.43"), status="promise"),
        Item(
            id="AV-1",
            kind="CREDIT_NOTE",
            issue_date=d("2026-02-01"),
            due_date=d("2026-02-01"),
            amount="-10.01",
            open_amount="-10.01",
        ),
    ],
)
RATE_POLICY = Policy(
    statuses=[Status(code="promise", category="PROMISE")],
    penalties=PenaltyRule(annual_rate="0.123456789", recovery_cost="40.005", year_days=360),
)
MONTHS = [SalesPeriod.month(2026, m, sales) for m, sales in ((1, "70000.01"), (2, "80000.02"))]


PLAN_TOTAL = Decimal("1234.63")  # F-1 and F-2 of CENTS


def _split_plan() -> Account:
    installments = schedule(PLAN_TOTAL, 7, ON, relativedelta(weeks=2))
    return create_plan(
        attrs.evolve(CENTS, id="C-PLAN"), ["F-1", "F-2"], installments, RATE_POLICY_PLANS, ON
    )


RATE_POLICY_PLANS = attrs.evolve(
    RATE_POLICY,
    statuses=[*RATE_POLICY.statuses, Status(code="plan", category="PAYMENT_PLAN")],
)


def _reports() -> list[Any]:
    first = aged_balance([CENTS, HUGE], ON)
    second = aged_balance(ACCOUNTS, ON, buckets=(15, 45))
    rate = qualification_rate([CENTS, *ACCOUNTS], ON)
    ratio = overdue_ratio([HUGE, CENTS], ON, beyond=30)
    return [
        first,
        first.balance,
        first.rows(),
        second + aged_balance([HUGE], ON, buckets=(15, 45)),
        rate,
        (rate.overdue_amount, rate.qualified_amount, rate.rate_by_amount, rate.rate_by_count),
        rate.by_status,
        rate.by_collector,
        rate + qualification_rate([HUGE], ON),
        ratio,
        ratio.ratio,
        ratio + overdue_ratio([CENTS], ON, beyond=30),
        dispute_resolution_time(ACCOUNTS, POLICY, ON),
    ]


# The cases: what the library computes, each a call that must not read the caller's context.
EXACT: dict[str, Callable[[], object]] = {
    "schedule 100.00 in 3": lambda: schedule("100.00", 3, ON),
    "schedule 4995.00 in 1000": lambda: schedule("4995.00", 1000, ON, relativedelta(days=1)),
    "schedule 1500 JPY in 1000": lambda: schedule(
        "1500", 1000, ON, relativedelta(days=1), currency="JPY"
    ),
    "schedule 1.000 KWD in 7": lambda: schedule("1.000", 7, ON, currency="KWD"),
    "schedule of a big total": lambda: schedule("999999999999999999.99", 12, ON),
    "penalties of the demo": lambda: penalties(
        PENALISED, [i.id for i in PENALISED.items], POLICY, ON
    ),
    "penalties of big amounts": lambda: penalties(
        HUGE, [i.id for i in HUGE.items], RATE_POLICY, ON
    ),
    "penalties at an odd rate": lambda: penalties(
        attrs.evolve(CENTS, penalties_enabled=True), ["F-1", "F-2", "F-3"], RATE_POLICY, ON
    ),
    "plan progress": lambda: [
        plan_progress(PLANNED, plan.id, day)
        for plan in PLANNED.plans
        for day in (ON, ON + dt.timedelta(days=90))
    ],
    "create, review and cancel a plan": lambda: (
        (planned := _split_plan()),
        plan_progress(planned, "P1", ON + dt.timedelta(days=30)),
        review_plan(planned, "P1", RATE_POLICY_PLANS, ON + dt.timedelta(days=30)),
        cancel_plan(planned, "P1", ON + dt.timedelta(days=31), "broken"),
    ),
    "sync": lambda: sync_items(CENTS, [invoice("F-1", "2026-01-15", "1234.56", "34.56")], ON),
    "reports": _reports,
    "dso": lambda: dso("150000.03", MONTHS, overdue_receivables="80000.019"),
    "tally sum": lambda: (
        Tally(count=1, amount="999999999999999999.99")
        + Tally(count=2, amount="0.000000000000000001")
    ),
    "money": lambda: [
        str(Money(amount=amount, currency=currency))
        for amount in ("-1234.565", "999999999999999999.995", "0.0049", *BIG)
        for currency in ("EUR", "JPY", "KWD")
    ],
    "quantize": lambda: [
        quantize(Decimal(amount), currency)
        for amount in ("2.345", "-2.345", "12345678901234567.5", *BIG)
        for currency in ("EUR", "JPY", "KWD")
    ],
    "quantize_ratio": lambda: [
        quantize_ratio(Decimal(amount), 7, "EUR") for amount in ("100.00", *BIG)
    ],
    "to_amount": lambda: [to_amount(v) for v in ("12.50", 100.1, 10**17, " 1E+3 ", *BIG)],
    "balance": lambda: [balance(a, RATE_POLICY) for a in (HUGE, CENTS)],
    "next_action": lambda: [next_action(a, POLICY, ON) for a in ACCOUNTS],
    "due_actions": lambda: [due_actions(a, POLICY, ON) for a in ACCOUNTS],
    "agenda": lambda: agenda(ACCOUNTS, POLICY, ON, horizon_days=30),
    "template_context": lambda: template_context(
        attrs.evolve(HUGE, penalties_enabled=True), [i.id for i in HUGE.items], RATE_POLICY, ON
    ),
    "explain": lambda: [explain(a, POLICY, ON) for a in ACCOUNTS],
    "render": lambda: render(
        "#items_list #total_due #overdue_amount",
        template_context(HUGE, [i.id for i in HUGE.items], RATE_POLICY, ON),
    ),
    "sort_agenda": lambda: sort_agenda(agenda(ACCOUNTS, POLICY, ON, horizon_days=30)),
}


def _shown(result: object) -> str:
    """The result written out in full: every Decimal with its digits and exponent."""
    with localcontext(Context()):  # repr of a Decimal reads the context's capitals
        return repr(result)


def _outcome(case: Callable[[], object]) -> str:
    try:
        return _shown(case())
    except Exception as error:  # the same error is the same outcome
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("name", list(EXACT))
@given(context=hostile_contexts)
@example(context=EVERY_TRAP)
def test_a_rule_gives_the_same_result_whatever_the_callers_decimal_context(
    name: str, context: Context
) -> None:
    case = EXACT[name]
    expected = _outcome(case)
    with localcontext(context) as caller:
        result = _outcome(case)
        assert getcontext() is caller  # given back as it was
        assert caller.prec == context.prec
    assert result == expected


def test_the_cases_are_not_errors() -> None:
    for name, case in EXACT.items():
        outcome = _outcome(case)
        assert not outcome.startswith(("ValidationError", "RuleViolation")), (name, outcome)


# --- The issue's examples ---------------------------------------------------------------


def test_a_balance_of_30_digits_is_exact() -> None:
    accounts = [
        Account(id=f"C-{n}", items=[invoice("F-1", "2026-01-15", "999999999999999999.99")])
        for n in range(1000)
    ]
    with localcontext(prec=28):
        report = aged_balance(accounts, ON)
    assert report.balance == Decimal("999999999999999999990.00")
    assert str(report.total["31-60"]) == "999999999999999999990.00"


def test_a_schedule_under_two_digits_of_precision_is_the_same() -> None:
    with localcontext(prec=2):
        plan = schedule("100.00", 3, ON)
    assert [str(i.amount) for i in plan] == ["33.33", "33.33", "33.34"]


def test_a_schedule_with_the_inexact_trap_set_does_not_raise() -> None:
    with localcontext() as context:
        context.traps[Inexact] = True
        context.traps[Rounded] = True
        plan = schedule("100.00", 3, ON)
    assert sum(i.amount for i in plan) == Decimal("100.00")


def test_report_rows_of_big_amounts_under_low_precision() -> None:
    with localcontext(prec=3):
        rows = aged_balance([HUGE], ON).rows()
    debits = sum((row["debits"] for row in rows), Decimal(0))
    assert debits == sum((Decimal(a) for a in BIG), Decimal(0))


def test_a_frozen_map_of_results_keeps_its_digits() -> None:
    with localcontext(prec=1):
        result = penalties(HUGE, [i.id for i in HUGE.items], RATE_POLICY, ON)
    assert isinstance(result.by_item, FrozenMap)
    assert result.total == result.interest + result.recovery_cost
    assert result.interest == sum((p.interest for p in result.by_item.values()), Decimal(0))
