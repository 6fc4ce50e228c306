"""Scenarios, steps and triggers (SPEC §1 "Scenario and Step").

The channel rules of steps are tested with those of action templates, in
``test_model_actions.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Channel,
    Condition,
    Fallback,
    Fee,
    Repeat,
    Restart,
    Scenario,
    Step,
    Trigger,
    TriggerKind,
    ValidationError,
)
from collectlib.strategies import scenarios


def call(name: str, trigger: Trigger) -> Step:
    """A call step."""
    return Step(name=name, channel=Channel.CALL, trigger=trigger)


def letter(name: str, trigger: Trigger) -> Step:
    """A letter step."""
    return Step(name=name, channel=Channel.LETTER, trigger=trigger, template="Please pay")


# --- Trigger -----------------------------------------------------------------------------


@pytest.mark.parametrize("days", [-30, -5, 0, 1, 45])
def test_a_leader_due_trigger_may_count_back_from_the_due_date(days: int) -> None:
    trigger = Trigger.leader_due(days)
    assert (trigger.kind, trigger.days) == (TriggerKind.LEADER_DUE, days)
    assert trigger.delta == dt.timedelta(days=days)


@pytest.mark.parametrize("days", [-1, -30])
def test_after_last_action_days_are_never_negative(days: int) -> None:
    with pytest.raises(ValidationError, match=rf"^trigger: days must be at least 0, not {days}$"):
        Trigger.after_last_action(days)


def test_after_last_action_may_be_zero_days() -> None:
    assert Trigger.after_last_action(0).delta == dt.timedelta(0)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"kind": "WEEKLY"}, r"^trigger: kind: unknown TriggerKind 'WEEKLY' \(one of LEADER_DUE, "),
        ({"kind": None}, r"^trigger: kind: unknown TriggerKind None"),
        ({"days": True}, r"^trigger: days must be a whole number, not True$"),
        ({"days": 1.5}, r"^trigger: days must be a whole number, not 1\.5$"),
        ({"days": "5"}, r"^trigger: days must be a whole number, not '5'$"),
        ({"days": None}, r"^trigger: days must be a whole number, not None$"),
        ({"days": 10**12}, r"^trigger: days 1000000000000 is out of range$"),
        ({"days": -(10**9)}, r"^trigger: days -1000000000 is out of range$"),
    ],
)
def test_a_bad_trigger_field_is_a_validation_error(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        Trigger(**{"kind": TriggerKind.LEADER_DUE, "days": 3, **changes})


def test_the_trigger_kind_is_read_from_its_value() -> None:
    assert Trigger(kind="AFTER_LAST_ACTION", days=2) == Trigger.after_last_action(2)


@pytest.mark.parametrize(
    ("trigger", "text"),
    [
        (Trigger.leader_due(-5), "leader due -5"),
        (Trigger.leader_due(0), "leader due +0"),
        (Trigger.leader_due(15), "leader due +15"),
        (Trigger.after_last_action(7), "last action +7"),
    ],
)
def test_a_trigger_prints_what_it_counts_from(trigger: Trigger, text: str) -> None:
    assert str(trigger) == text


def test_triggers_are_equal_by_kind_and_days() -> None:
    assert Trigger.leader_due(3) == Trigger(kind="LEADER_DUE", days=3)
    assert Trigger.leader_due(3) != Trigger.after_last_action(3)
    assert len({Trigger.leader_due(3), Trigger(kind="LEADER_DUE", days=3)}) == 1


# --- Step --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"name": ""}, r"^step: name must be a non-empty string"),
        ({"name": 2}, r"^step: name must be .*, not 2$"),
        ({"trigger": 10}, r"^step 'call': trigger must be a Trigger, not 10$"),
        ({"trigger": None}, r"^step 'call': trigger must be a Trigger, not None$"),
        ({"trigger": "leader due +10"}, r"^step 'call': trigger must be a Trigger, not 'leader"),
    ],
)
def test_a_bad_step_field_names_the_step_and_field(changes: dict[str, Any], match: str) -> None:
    fields: dict[str, Any] = {
        "name": "call",
        "channel": Channel.CALL,
        "trigger": Trigger.leader_due(10),
    }
    with pytest.raises(ValidationError, match=match):
        Step(**{**fields, **changes})


def test_a_step_needs_confirmation_when_automatic_and_to_be_confirmed() -> None:
    mail = Step(
        name="mail",
        channel="EMAIL",
        trigger=Trigger.leader_due(1),
        template="Hello",
        automatic=True,
        to_be_confirmed=True,
    )
    assert mail.needs_confirmation
    assert not attrs.evolve(mail, to_be_confirmed=False).needs_confirmation


# --- Scenario ----------------------------------------------------------------------------


def test_a_scenario_may_have_no_step() -> None:
    assert Scenario(name="by hand").steps == ()


def test_steps_are_stored_as_a_tuple() -> None:
    steps = [call("a", Trigger.leader_due(1)), call("b", Trigger.leader_due(2))]
    assert Scenario(name="s", steps=steps).steps == tuple(steps)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"name": ""}, r"^scenario: name must be a non-empty string"),
        ({"name": None}, r"^scenario: name must be .*, not None$"),
        ({"steps": 5}, r"^scenario 'standard': steps must be a collection of Step, not 5$"),
        ({"steps": ["call"]}, r"^scenario 'standard': steps\[0\] must be a Step, not 'call'$"),
        (
            {"steps": [call("a", Trigger.leader_due(1)), Trigger.leader_due(2)]},
            r"^scenario 'standard': steps\[1\] must be a Step, not Trigger\(",
        ),
        (
            {"restart": "RESTART"},
            r"^scenario 'standard': restart: unknown Restart 'RESTART' \(one of FIRST_STEP, "
            r"CATCH_UP, RESUME\)$",
        ),
        ({"restart": True}, r"^scenario 'standard': restart: unknown Restart True"),
        ({"repeat": 3}, r"^scenario 'standard': repeat must be a Repeat, not 3$"),
        (
            {"review_after_days": -1},
            r"^scenario 'standard': review_after_days must be at least 0, not -1$",
        ),
        (
            {"review_after_days": 1.5},
            r"^scenario 'standard': review_after_days must be a whole number, not 1.5$",
        ),
        (
            {"review_after_days": 10**10},
            r"^scenario 'standard': review_after_days 10000000000 is out of range$",
        ),
    ],
)
def test_a_bad_scenario_field_names_the_scenario_and_field(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        Scenario(**{"name": "standard", **changes})


@pytest.mark.parametrize(
    "steps",
    [
        [call("call", Trigger.leader_due(1)), call("call", Trigger.leader_due(5))],
        [call("call", Trigger.leader_due(1)), call("call", Trigger.after_last_action(5))],
        [
            call("call", Trigger.leader_due(1)),
            letter("letter", Trigger.leader_due(5)),
            letter("call", Trigger.after_last_action(2)),
        ],
    ],
)
def test_step_names_are_unique_in_a_scenario(steps: list[Step]) -> None:
    with pytest.raises(ValidationError, match=r"^scenario 'standard': two steps are named 'call'$"):
        Scenario(name="standard", steps=steps)


def test_a_step_going_back_in_time_is_an_error_naming_both_steps() -> None:
    steps = [
        call("reminder", Trigger.leader_due(1)),
        letter("letter", Trigger.leader_due(15)),
        call("call", Trigger.leader_due(10)),
    ]
    with pytest.raises(
        ValidationError,
        match=r"^scenario 'standard': step 'call' \(leader due \+10\) goes back in time "
        r"after step 'letter' \(leader due \+15\)$",
    ):
        Scenario(name="standard", steps=steps)


def test_going_back_in_time_compares_leader_due_steps_across_other_steps() -> None:
    steps = [
        letter("letter", Trigger.leader_due(15)),
        call("call", Trigger.after_last_action(30)),
        letter("final", Trigger.leader_due(-5)),
    ]
    with pytest.raises(
        ValidationError,
        match=r"^scenario 'standard': step 'final' \(leader due -5\) goes back in time "
        r"after step 'letter' \(leader due \+15\)$",
    ):
        Scenario(name="standard", steps=steps)


def test_leader_due_steps_may_share_a_day_and_after_last_action_steps_are_free() -> None:
    steps = [
        letter("courtesy", Trigger.leader_due(-5)),
        call("call", Trigger.leader_due(-5)),
        call("again", Trigger.after_last_action(0)),
        letter("letter", Trigger.leader_due(20)),
        call("last", Trigger.after_last_action(3)),
    ]
    assert len(Scenario(name="standard", steps=steps).steps) == 5


_STEP_KINDS = st.lists(
    st.tuples(st.sampled_from(TriggerKind), st.integers(-20, 60)), min_size=0, max_size=8
)


@given(_STEP_KINDS)
def test_a_scenario_is_valid_exactly_when_its_leader_due_offsets_never_decrease(
    triggers: list[tuple[TriggerKind, int]],
) -> None:
    steps = [
        call(
            f"step {n}",
            Trigger.leader_due(days)
            if kind is TriggerKind.LEADER_DUE
            else Trigger.after_last_action(abs(days)),
        )
        for n, (kind, days) in enumerate(triggers)
    ]
    offsets = [days for kind, days in triggers if kind is TriggerKind.LEADER_DUE]
    in_order = all(a <= b for a, b in itertools.pairwise(offsets))
    if in_order:
        assert Scenario(name="s", steps=steps).steps == tuple(steps)
    else:
        with pytest.raises(ValidationError, match=r"goes back in time after step"):
            Scenario(name="s", steps=steps)


@given(scenarios())
def test_a_scenario_rebuilt_from_its_fields_is_equal_and_hashes_alike(drawn: Scenario) -> None:
    copy = Scenario(**attrs.asdict(drawn, recurse=False))
    assert copy == drawn
    assert hash(copy) == hash(drawn)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"every_days": 0}, r"^repeat: every_days must be at least 1, not 0$"),
        ({"max_times": 0}, r"^repeat: max_times must be at least 1, not 0$"),
        ({"max_times": "2"}, r"^repeat: max_times must be a whole number, not '2'$"),
        (
            {"every_days": 10**6, "max_times": 10**6},
            r"^repeat: every_days 1000000 times .* out of range$",
        ),
    ],
)
def test_a_bad_repeat_names_the_field(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        Repeat(**{"every_days": 7, "max_times": 2, **changes})


def test_the_restart_rule_is_read_from_its_name() -> None:
    assert Scenario(name="s", restart="RESUME").restart is Restart.RESUME
    assert Scenario(name="s").restart is Restart.FIRST_STEP


# --- Conditions and fees (mutation testing, 2026-12-05) -----------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_balance": "x"}, "condition: min_balance: not an amount: 'x'"),
        ({"min_balance": {"EUR": -1}}, "condition: min_balance: must be at least 0 (EUR), not -1"),
        ({"min_overdue_items": 0}, "condition: min_overdue_items must be at least 1, not 0"),
        ({"min_overdue_items": "2"},
         "condition: min_overdue_items must be a whole number, not '2'"),
        ({"min_days_late": -1}, "condition: min_days_late must be at least 0, not -1"),
        ({"min_days_late": "3"}, "condition: min_days_late must be a whole number, not '3'"),
    ],
)  # fmt: skip
def test_a_bad_condition_names_its_threshold(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Condition(**changes)
    assert str(raised.value) == message


def test_the_lowest_thresholds_are_conditions() -> None:
    condition = Condition(min_balance=0, min_overdue_items=1, min_days_late=0)
    assert (condition.min_balance, condition.min_overdue_items, condition.min_days_late) == (
        0,
        1,
        0,
    )


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (Condition(), "always"),
        (Condition(min_balance="50.00"), "balance >= 50.00"),
        (
            Condition(
                min_balance={"EUR": 1000, "JPY": 150_000}, min_overdue_items=2, min_days_late=0
            ),
            "balance >= 1,000.00 EUR, 150,000 JPY, overdue items >= 2, days late >= 0",
        ),
        (Condition(min_days_late=30), "days late >= 30"),
    ],
)
def test_a_condition_reads_as_its_thresholds(condition: Condition, text: str) -> None:
    assert str(condition) == text


@pytest.mark.parametrize(
    ("fee", "text"),
    [
        (Fee(), "no fee"),
        (Fee(fixed=15), "15"),
        (Fee(fixed={"EUR": 15}, percent="0.05"), "15.00 EUR + 5 %"),
        (Fee(percent="0.125"), "12.5 %"),
    ],
)
def test_a_fee_reads_as_its_fixed_part_and_percentage(fee: Fee, text: str) -> None:
    assert str(fee) == text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fixed": "x"}, "fee: fixed: not an amount: 'x'"),
        ({"fixed": {"EUR": -1}}, "fee: fixed: must be at least 0 (EUR), not -1"),
        ({"percent": -1}, "fee: percent must be at least 0, not -1"),
        ({"percent": "1.5"}, "fee: percent is a fraction (0.05 for 5 %), at most 1, not 1.5"),
    ],
)
def test_a_bad_fee_names_its_part(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Fee(**changes)
    assert str(raised.value) == message


def test_a_whole_balance_is_a_fee() -> None:
    assert Fee(percent=1).percent == 1


DUE = Trigger.leader_due(1)
_CHANNELS = (
    "CALL, EMAIL, INTERACTIVE_EMAIL, INTERNAL_INTERACTIVE_EMAIL, LETTER, REGISTERED_LETTER, "
    "SMS, FAX, LITIGATION"
)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Fallback(channel="EMAIL"),
         "fallback: channel must not be an e-mail channel, not EMAIL"),
        (lambda: Fallback(channel="nope"),
         f"fallback: channel: unknown Channel 'nope' (one of {_CHANNELS})"),
        (lambda: Fallback(channel="LETTER"), "fallback: LETTER actions need a template"),
        (lambda: Step(name="s", channel="CALL", trigger=DUE, when="x"),
         "step 's': when must be a Condition, not 'x'"),
        (lambda: Step(name="s", channel="CALL", trigger=DUE, fee=5),
         "step 's': fee must be a Fee, not 5"),
        (lambda: Step(name="s", channel="EMAIL", template="Hi", trigger=DUE, fallback=3),
         "step 's': fallback must be a Fallback, not 3"),
        (lambda: Step(name="s", channel="CALL", trigger=DUE, credit_hold="yes"),
         "step 's': credit_hold must be True or False, not 'yes'"),
        (lambda: Step(name="s", channel="CALL", trigger=DUE, fallback=Fallback(channel="CALL")),
         "step 's': a fallback is for an e-mail step, not a CALL one"),
        (lambda: Step(name="s", channel="LETTER", trigger=DUE),
         "step 's': LETTER actions need a template"),
        (lambda: Repeat(every_days=7, max_times=2, fee=5), "repeat: fee must be a Fee, not 5"),
    ],
)  # fmt: skip
def test_a_bad_fallback_step_setting_or_repeat_fee_names_its_owner(
    build: Any, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        build()
    assert str(raised.value) == message


def test_a_bare_channel_is_a_fallback_without_template() -> None:
    step = Step(name="s", channel="EMAIL", template="Hi", trigger=DUE, fallback="CALL")
    assert step.fallback == Fallback(channel=Channel.CALL)
    fallback = Fallback(channel="LETTER", template="Dear client")
    assert (
        Step(name="s", channel="EMAIL", template="Hi", trigger=DUE, fallback=fallback).fallback
        is fallback
    )
    assert Step(name="s", channel="EMAIL", template="Hi", trigger=DUE).fallback is None


def test_a_repeat_may_charge_its_own_fee() -> None:
    fee = Fee(fixed=5)
    assert Repeat(every_days=7, max_times=2, fee=fee).fee is fee
