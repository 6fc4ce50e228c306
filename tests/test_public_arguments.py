"""Every public function checks its arguments (SPEC 0: bad input gets a clear error).

One row per public function of ``collectlib.__all__``, discovered with ``inspect``: a
function without its row, or an argument without its valid value, fails the table, so a
new function cannot skip its checks.  Each argument in turn gets values of the wrong
type; the call raises a ``CollectError`` whose message names the function and the
argument (``"next_action: on must be a date, not None"``), never a ``TypeError`` or an
``AttributeError``, and the inputs are unchanged.  A value of the right type but a bad
value (an unknown id, an amount out of range) may be refused with the more precise
error (``UnknownItemError``...).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import inspect
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import collectlib
from builders import CALL_BACK, STATUSES, account, d, invoice, qualifying_policy
from collectlib import (
    Account,
    ActionTemplate,
    Behaviour,
    BusinessCalendar,
    CollectError,
    FollowUp,
    Money,
    PenaltyRule,
    SalesPeriod,
    ScenarioActionRecorded,
    SendingWindow,
    Settlement,
    Status,
    StatusCategory,
    TemplateError,
    ValidationError,
    agenda,
    apply_status,
    create_action,
    create_plan,
    exposure,
    next_action,
    pause,
    payment_profile,
    portfolio_profile,
    schedule,
    sync_items,
)

ON = d("2026-03-02")
PLAN = Status(
    code="plan",
    category=StatusCategory.PAYMENT_PLAN,
    action=ActionTemplate(name="check", channel="CALL"),
)
POLICY = qualifying_policy(
    statuses=(*STATUSES, PLAN), penalties=PenaltyRule(annual_rate="0.10", recovery_cost=40)
)
WINDOW = SendingWindow(weekdays={0, 1, 2, 3, 4}, slots=[(dt.time(9), dt.time(12))])
CALENDAR = BusinessCalendar(holidays={d("2026-05-01")})


def customer() -> Account:
    return account(
        invoice("F-1", "2026-01-10", 500),
        invoice("F-2", "2026-02-10", 300),
        invoice("F-3", "2026-02-20", 90),
        penalties_enabled=True,
    )


def with_action() -> Account:
    return create_action(customer(), ["F-1"], CALL_BACK, ON)


def paused() -> Account:
    return pause(customer(), d("2026-03-20"), ON, "holiday")


def held() -> Account:
    notice = ScenarioActionRecorded(
        on=d("2026-02-20"), scenario="standard", step_index=3, step_name="formal notice",
        channel="REGISTERED_LETTER", leader_id="F-1", item_ids={"F-1"}, amount=500,
        credit_hold=True,
    )  # fmt: skip
    return attrs.evolve(customer(), journal=(notice,))


def over_limit() -> Account:
    """C-1, on hold by a step, and its group (itself) over its credit limit."""
    return attrs.evolve(held(), credit_limit=100)


def history() -> list[Settlement]:
    """Two invoices of C-1 paid 5 and 20 days late, one of them disputed."""
    return [
        Settlement(
            account_id="C-1", item_id=f"P-{n}", issue_date=d("2025-12-01"),
            due_date=d("2025-12-31"), settled_on=d("2025-12-31") + dt.timedelta(days=late),
            amount=200, disputed=n == 2,
        )
        for n, late in ((1, 5), (2, 20))
    ]  # fmt: skip


def with_plan() -> Account:
    return create_plan(customer(), ["F-2"], schedule(300, 3, d("2026-03-10")), POLICY, ON)


# Every argument of every public function, with a valid value (built afresh for each call).
VALID: dict[str, Callable[[], dict[str, Any]]] = {
    "aged_balance": lambda: {"accounts": [customer()], "on": ON, "buckets": (30, 60, 90)},
    "agenda": lambda: {
        "accounts": [customer()], "policy": POLICY, "on": ON, "horizon_days": 3,
        "exposure": exposure([over_limit()], ON), "order": "risk",
        "profiles": {"C-1": payment_profile(history(), ON)},
        "fallback": portfolio_profile(history(), ON),
    },
    "apply_status": lambda: {
        "account": customer(), "item_ids": ["F-1"], "status": "promise", "policy": POLICY,
        "on": ON, "comment": "will pay", "owner": "anna", "follow_up": FollowUp.FROM_STATUS,
        "promise_date": d("2026-03-05"), "by": "marie", "action_id": "A7",
    },
    "assign_owner": lambda: {
        "account": customer(), "item_ids": ["F-1"], "owner": "anna", "on": ON, "by": "marie"
    },
    "balance": lambda: {"account": customer(), "policy": POLICY},
    "cash_forecast": lambda: {
        "accounts": [customer()], "profiles": {"C-1": payment_profile(history(), ON)},
        "policy": POLICY, "on": ON, "weeks": 4, "fallback": portfolio_profile(history(), ON),
    },
    "cancel_action": lambda: {
        "account": with_action(), "action_id": "A1", "policy": POLICY, "on": ON,
        "reason": "wrong", "by": "marie",
    },
    "cancel_plan": lambda: {
        "account": with_plan(), "plan_id": "P1", "on": ON, "reason": "broken", "by": "marie"
    },
    "check_template": lambda: {"template": "Dear #customer_name, ##1"},
    "collectable_items": lambda: {"account": customer(), "policy": POLICY},
    "complete_action": lambda: {
        "account": with_action(), "action_id": "A1", "policy": POLICY, "on": ON,
        "note": "done", "by": "marie",
    },
    "create_action": lambda: {
        "account": customer(), "item_ids": ["F-1"], "template": CALL_BACK, "on": ON,
        "due_on": d("2026-03-09"), "action_id": "A7", "by": "marie", "calendar": CALENDAR,
    },
    "create_plan": lambda: {
        "account": customer(), "item_ids": ["F-2"],
        "installments": schedule(300, 3, d("2026-03-10")), "policy": POLICY, "on": ON,
        "status": "plan", "comment": "3 x 100", "plan_id": "P7", "by": "marie",
    },
    "credit_hold": lambda: {
        "account": held(), "policy": POLICY, "on": ON, "exposure": exposure([over_limit()], ON)
    },
    "end_pause": lambda: {"account": paused(), "on": d("2026-03-05"), "by": "marie"},
    "holds": lambda: {"accounts": [held()], "policy": POLICY, "on": ON},
    "pause": lambda: {
        "account": customer(), "until": d("2026-03-20"), "on": ON, "reason": "holiday",
        "by": "marie",
    },
    "release_hold": lambda: {"account": held(), "on": ON, "reason": "guarantee", "by": "cfo"},
    "dispute_resolution_time": lambda: {"accounts": [customer()], "policy": POLICY, "on": ON},
    "dso": lambda: {
        "receivables": Decimal(1000), "sales": [SalesPeriod(days=30, sales=3000)],
        "overdue_receivables": Decimal(100),
    },
    "due_actions": lambda: {"account": customer(), "policy": POLICY, "on": ON},
    "excluded_item_ids": lambda: {"account": with_action(), "policy": POLICY},
    "exposure": lambda: {
        "accounts": [customer(), attrs.evolve(over_limit(), id="C-2", group="C-1")], "on": ON
    },
    "explain": lambda: {"account": customer(), "policy": POLICY, "on": ON},
    "format_amount": lambda: {"amount": Decimal("1234.565"), "currency": "EUR", "locale": "fr_FR"},
    "format_date": lambda: {"day": ON, "locale": "fr_FR"},
    "idle_reason": lambda: {"account": customer(), "policy": POLICY, "on": ON},
    "leader_invoice": lambda: {"account": customer(), "policy": POLICY},
    "minor_unit_digits": lambda: {"currency": "JPY"},
    "next_action": lambda: {"account": customer(), "policy": POLICY, "on": ON},
    "overdue_ratio": lambda: {"accounts": [customer()], "on": ON, "beyond": 30},
    "payment_profile": lambda: {"settlements": history(), "on": ON, "half_life_days": 30},
    "payment_profiles": lambda: {"settlements": history(), "on": ON, "half_life_days": 30},
    "penalties": lambda: {"account": customer(), "item_ids": ["F-1"], "policy": POLICY, "on": ON},
    "plan_progress": lambda: {"account": with_plan(), "plan_id": "P1", "on": ON},
    "portfolio_profile": lambda: {"settlements": history(), "on": ON, "half_life_days": 30},
    "predict_payment": lambda: {
        "item": customer().items[0], "profile": payment_profile(history(), ON), "policy": POLICY,
        "on": ON, "fallback": portfolio_profile(history(), ON),
    },
    "qualification_rate": lambda: {"accounts": [customer()], "on": ON},
    "quantize": lambda: {"amount": Decimal("2.345"), "currency": "EUR"},
    "quick_promise": lambda: {
        "account": customer(), "item_ids": ["F-1"], "policy": POLICY, "on": ON,
        "comment": "Friday", "by": "marie",
    },
    "record_action": lambda: {
        "account": customer(), "proposal": next_action(customer(), POLICY, ON),
        "policy": POLICY, "on": ON, "note": "sent", "by": "marie",
    },
    "render": lambda: {
        "template": "Total: #total_due", "context": {"total_due": Money(amount=5)},
        "html": True, "locale": "fr_FR",
    },
    "reschedule_action": lambda: {
        "account": with_action(), "action_id": "A1", "due_on": d("2026-03-09"), "on": ON,
        "by": "marie",
    },
    "review_plan": lambda: {
        "account": with_plan(), "plan_id": "P1", "policy": POLICY, "on": d("2026-03-12"),
        "by": "marie",
    },
    "scenario_for": lambda: {"account": customer(), "policy": POLICY},
    "schedule": lambda: {
        "total": Decimal(300), "count": 3, "first_due": d("2026-03-10"),
        "every": relativedelta(weeks=2), "currency": "EUR",
    },
    "send_at": lambda: {
        "window": WINDOW, "due_on": ON, "now": dt.datetime(2026, 3, 2, 13, 5),
        "calendar": CALENDAR, "timezone": "Europe/Paris",
    },
    "simulate": lambda: {
        "accounts": [customer()], "policy": POLICY, "start": ON,
        "end": ON + dt.timedelta(days=10),
        "behaviour": Behaviour(profiles={"C-1": payment_profile(history(), ON)},
                               fallback=portfolio_profile(history(), ON), seed=3),
        "capacity": {"marie": 2},
    },
    "settlements_from_journal": lambda: {
        "account": sync_items(customer(), customer().items[1:], ON), "policy": POLICY
    },
    "sort_agenda": lambda: {"entries": agenda([customer()], POLICY, ON, 30)},
    "sync_items": lambda: {"account": customer(), "items": customer().items[1:], "on": ON, "by": "erp"},
    "template_context": lambda: {
        "account": customer(), "item_ids": ["F-1"], "policy": POLICY, "on": ON,
        "names": ("total_due", "customer_name"),
    },
    "template_for": lambda: {
        "template": {"default": "Dear #customer_name", "de": "Guten Tag #customer_name"},
        "language": "de_CH",
    },
    "to_amount": lambda: {"value": "12.50", "what": "amount", "total": True},
}  # fmt: skip

# Values of the wrong type for most arguments, by kind.
JUNK: dict[str, object] = {
    "none": None,
    "text": "junk",
    "int": 7,
    "bool": True,
    "float": 1.5,
    "list": [None],
    "dict": {"junk": None},
    "date": dt.date(2026, 3, 2),
    "datetime": dt.datetime(2026, 3, 2, 9, 30),
    "record": invoice("F-9", "2026-01-10"),
    "object": object(),
}

AMOUNT = {"text", "int", "float"}  # SPEC 0: an amount may be a Decimal, an int, a str, a float
IDS = {"text", "list", "dict"}  # a collection of ids (a string is one id): unknown ids
# The kinds of ``JUNK`` each argument accepts as its type: the call may succeed, or be
# refused for the value with any ``CollectError`` (an unknown id, say).
ACCEPTS: dict[str, set[str]] = {
    "on": {"date"},
    "until": {"date"},
    "by": {"none", "text"},
    "owner": {"none", "text"},
    "comment": {"text"},
    "note": {"text"},
    "reason": {"text"},
    "item_ids": IDS,
    "action_id": {"text"},
    "plan_id": {"text"},
    "status": {"none", "text"},
    "follow_up": {"text"},  # an enum's value: FollowUp("junk") is refused
    "promise_date": {"none", "date"},
    "due_on": {"date"},
    "template": {"text"},
    "horizon_days": {"int"},
    "beyond": {"int"},
    "count": {"int"},
    "receivables": AMOUNT,
    "overdue_receivables": AMOUNT,
    "total": AMOUNT,
    "amount": AMOUNT,
    "value": AMOUNT,
    "currency": {"text"},
    "locale": {"none", "text"},
    "language": {"none"},  # a text must be a language: "junk" is refused
    "day": {"date"},
    "first_due": {"date"},
    "now": {"datetime"},
    "context": {"dict"},
    "html": {"bool"},
    "names": {"none", *IDS},
    "exposure": {"none"},
    "what": {"text"},
    "calendar": {"none"},
    "timezone": {"none", "text"},  # a name: "junk" is refused as an unknown time zone
    "half_life_days": {"none", "int"},
    "weeks": {"int"},
    "profile": {"none"},
    "fallback": {"none"},
    "item": {"record"},
}
ACCEPTS_IN: dict[tuple[str, str], set[str]] = {
    ("apply_status", "action_id"): {"none", "text"},
    ("create_action", "action_id"): {"none", "text"},
    ("create_action", "due_on"): {"none", "date"},
    ("create_plan", "plan_id"): {"none", "text"},
    ("settlements_from_journal", "policy"): {"none"},
    ("simulate", "start"): {"date"},
    ("simulate", "end"): {"date"},
    ("simulate", "capacity"): {"none", "int", "dict"},  # {"junk": None}: a collector's capacity
    ("to_amount", "total"): {"bool"},
}
# Where the message names the argument otherwise than "<function>: <argument>".
NAMED_AS: dict[tuple[str, str], str] = {("to_amount", "value"): "amount"}  # by ``what``
# Where a wrong type is refused with a more precise error than ``ValidationError``.
ERROR: dict[tuple[str, str], type[CollectError]] = {
    ("check_template", "template"): TemplateError,
    ("render", "template"): TemplateError,
}


def public_functions() -> dict[str, Callable[..., Any]]:
    return {
        name: value
        for name in collectlib.__all__
        if inspect.isfunction(value := getattr(collectlib, name))
    }


def parameters(name: str) -> list[str]:
    return list(inspect.signature(public_functions()[name]).parameters)


CASES = [
    (name, argument, kind)
    for name in sorted(VALID)
    for argument in parameters(name)
    for kind in JUNK
    if kind not in ACCEPTS_IN.get((name, argument), ACCEPTS.get(argument, set()))
]


def snapshot(arguments: dict[str, Any]) -> list[tuple[str, Any, int | None]]:
    """What the arguments are: a deep copy, and the hash of those that have one.

    A value not equal to its copy (``object()``, a NaN) is kept itself: a list compares
    an element to itself by identity.
    """
    return [(key, equal_copy(value), hash_of(value)) for key, value in arguments.items()]


def hash_of(value: object) -> int | None:
    try:
        return hash(value)
    except TypeError:  # a list, a dict, a signalling NaN
        return None


def equal_copy(value: object) -> object:
    duplicate = copy.deepcopy(value)
    try:
        return duplicate if duplicate == value else value
    except ArithmeticError:  # a signalling NaN refuses to be compared
        return value


def of_type(value: object, hint: Any) -> bool:
    """Whether ``value`` is of the type ``hint`` (a class, a generic alias, a union)."""
    if isinstance(hint, types.UnionType):
        return any(of_type(value, part) for part in typing.get_args(hint))
    return isinstance(value, typing.get_origin(hint) or hint)


def test_every_public_function_and_argument_has_a_row() -> None:
    assert sorted(VALID) == sorted(public_functions())
    for name, make in VALID.items():
        assert list(make()) == parameters(name), name


@pytest.mark.parametrize("name", sorted(VALID))
def test_every_public_function_works_with_its_valid_arguments(name: str) -> None:
    arguments = VALID[name]()
    before = snapshot(arguments)
    function = public_functions()[name]
    result = function(**arguments)
    assert of_type(result, typing.get_type_hints(function)["return"]), result
    assert snapshot(arguments) == before


@pytest.mark.parametrize(
    ("name", "argument", "kind"), CASES, ids=[f"{n}-{a}-{k}" for n, a, k in CASES]
)
def test_a_wrong_type_names_the_function_and_the_argument(
    name: str, argument: str, kind: str
) -> None:
    arguments = VALID[name]()
    arguments[argument] = JUNK[kind]
    before = snapshot(arguments)
    expected = ERROR.get((name, argument), ValidationError)
    with pytest.raises(CollectError) as raised:
        public_functions()[name](**arguments)
    assert type(raised.value) is expected, raised.value
    # "<function>: <argument> must be ...", "...: items[0] must be ..." (an element of a
    # collection), "dso: receivables: not an amount ..."; the ids of an account's items
    # are checked against the account, which the message names first.
    named = re.escape(NAMED_AS.get((name, argument), f"{name}: {argument}"))
    account = "account 'C-1': " if argument == "item_ids" else ""
    assert re.match(rf"^{account}{named}(\[\d+\])?( must be |: )", str(raised.value))
    assert snapshot(arguments) == before


def test_the_table_tries_every_argument_with_wrong_types() -> None:
    tried = {(name, argument) for name, argument, _kind in CASES}
    assert tried == {(name, argument) for name in VALID for argument in parameters(name)}
    assert len(CASES) > 1000


JUNK_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.dates(),
    st.datetimes(),
    st.lists(st.none() | st.integers() | st.text(max_size=4), max_size=3),
    st.dictionaries(
        st.text(max_size=4), st.none() | st.integers() | st.text(max_size=4), max_size=3
    ),
    st.sampled_from(list(JUNK.values())),
)
CALLS = [(name, argument) for name in sorted(VALID) for argument in parameters(name)]


@given(st.sampled_from(CALLS), JUNK_VALUES)
def test_any_junk_argument_is_a_collect_error_or_accepted(
    call: tuple[str, str], junk: object
) -> None:
    name, argument = call
    arguments = VALID[name]()
    arguments[argument] = junk
    before = snapshot(arguments)
    with contextlib.suppress(CollectError):  # anything else fails the test
        public_functions()[name](**arguments)
    assert snapshot(arguments) == before


@pytest.mark.parametrize("follow_up", list(FollowUp))
def test_an_enum_argument_may_be_given_as_its_value(follow_up: FollowUp) -> None:
    arguments = {**VALID["apply_status"](), "status": "ongoing", "promise_date": None}
    if follow_up is FollowUp.FROM_STATUS:  # "ongoing" has no action: the call is refused
        arguments["status"] = "promise"
        arguments["promise_date"] = d("2026-03-05")
    by_member = apply_status(**{**arguments, "follow_up": follow_up})
    assert apply_status(**{**arguments, "follow_up": follow_up.value}) == by_member
