"""The policy and its settings (SPEC §1 "Policy"): references checked, all problems at once."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    ActionTemplate,
    BusinessCalendar,
    Channel,
    CollectorRule,
    ConfigurationError,
    Fallback,
    PenaltyRule,
    Policy,
    QuickPromise,
    RateTimeline,
    Scenario,
    SendingWindow,
    Status,
    StatusCategory,
    Step,
    Trigger,
    UnknownStatusError,
    ValidationError,
)
from collectlib._frozen import FrozenMap
from collectlib.strategies import penalty_rules, policies, sending_windows

FOLLOW_UP = ActionTemplate(name="follow-up", channel=Channel.CALL)
STATUSES = (
    Status(code="call"),
    Status(code="promise", category=StatusCategory.PROMISE),
    Status(code="price", category=StatusCategory.DISPUTE, action=FOLLOW_UP),
    Status(code="settled", category=StatusCategory.DISPUTE_RESOLVED),
)
STANDARD = Scenario(
    name="standard", steps=(Step(name="call", channel="CALL", trigger=Trigger.leader_due(5)),)
)
GENTLE = Scenario(name="gentle")


def policy(**changes: Any) -> Policy:
    """A valid, fully configured policy, changed as asked."""
    fields: dict[str, Any] = {
        "statuses": STATUSES,
        "scenarios": (STANDARD, GENTLE),
        "default_scenario": "standard",
        "scenario_by_client_type": {"public": "gentle"},
        "minimum_amount": Decimal(50),
        "ignore_below": Decimal(5),
        "quick_promise": QuickPromise(status="promise", delay_days=3),
        "dispute_resolved_status": "settled",
        "penalties": PenaltyRule(annual_rate="0.12", recovery_cost=40),
        "sending_window": SendingWindow(
            weekdays={0, 1, 2, 3, 4}, slots=[(dt.time(9), dt.time(17))]
        ),
    }
    return Policy(**{**fields, **changes})


# --- QuickPromise ------------------------------------------------------------------------


@pytest.mark.parametrize("days", range(6))
def test_a_quick_promise_is_zero_to_five_days(days: int) -> None:
    assert QuickPromise(status="promise", delay_days=days).delay_days == days


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        (
            {"delay_days": 6},
            r"^quick promise: delay_days must be 0 to 5 \(a short-term promise\), not 6$",
        ),
        ({"delay_days": 30}, r"^quick promise: delay_days must be 0 to 5 .*, not 30$"),
        ({"delay_days": -1}, r"^quick promise: delay_days must be at least 0, not -1$"),
        ({"delay_days": True}, r"^quick promise: delay_days must be a whole number, not True$"),
        ({"delay_days": 2.0}, r"^quick promise: delay_days must be a whole number, not 2\.0$"),
        ({"status": ""}, r"^quick promise: status must be a non-empty string"),
        ({"status": None}, r"^quick promise: status must be .*, not None$"),
    ],
)
def test_a_bad_quick_promise_field_is_a_validation_error(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        QuickPromise(**{"status": "promise", **changes})


# --- PenaltyRule -------------------------------------------------------------------------


def test_a_penalty_rule_reads_its_amounts_as_decimals() -> None:
    rule = PenaltyRule(annual_rate=0.12, recovery_cost="40")
    assert (rule.annual_rate, rule.recovery_cost, rule.year_days) == (
        Decimal("0.12"),
        Decimal(40),
        365,
    )


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"annual_rate": "-0.01"}, r"^penalties: annual_rate must be at least 0, not -0\.01$"),
        (
            {"annual_rate": 12},
            r"^penalties: annual_rate is a fraction \(0\.12 for 12 %\), at most 1, not 12$",
        ),
        ({"annual_rate": "abc"}, r"^penalties: annual_rate: not an amount: 'abc'$"),
        (
            {"annual_rate": float("nan")},
            r"^penalties: annual_rate: not an amount: Decimal\('NaN'\)$",
        ),
        ({"annual_rate": True}, r"^penalties: annual_rate: not an amount: True$"),
        ({"recovery_cost": -40}, r"^penalties: recovery_cost must be at least 0, not -40$"),
        (
            {"recovery_cost": float("inf")},
            r"^penalties: recovery_cost: not an amount: Decimal\('Infinity'\)$",
        ),
        ({"year_days": 0}, r"^penalties: year_days must be at least 1, not 0$"),
        ({"year_days": True}, r"^penalties: year_days must be a whole number, not True$"),
        ({"year_days": "365"}, r"^penalties: year_days must be a whole number, not '365'$"),
    ],
)
def test_a_bad_penalty_field_is_a_validation_error(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        PenaltyRule(**{"annual_rate": "0.10", **changes})


@pytest.mark.parametrize("rate", ["0", "1", "0.0001"])
def test_a_penalty_rate_is_a_fraction_from_zero_to_one(rate: str) -> None:
    assert PenaltyRule(annual_rate=rate).annual_rate == Decimal(rate)


# --- RateTimeline ------------------------------------------------------------------------

JAN, JUL = dt.date(2025, 1, 1), dt.date(2025, 7, 1)


def test_a_timeline_reads_its_rates_as_decimals_and_a_rule_takes_it() -> None:
    timeline = RateTimeline(periods=[[JAN, 0.1115], (JUL, "0.1015")])
    assert timeline.periods == ((JAN, Decimal("0.1115")), (JUL, Decimal("0.1015")))
    assert PenaltyRule(annual_rate=timeline).annual_rate is timeline
    assert str(timeline) == "0.1115 from 2025-01-01, 0.1015 from 2025-07-01"
    assert timeline.rate_days(JUL, JAN) == 0


@pytest.mark.parametrize(
    ("periods", "match"),
    [
        ([], r"periods must name at least one \(from_date, rate\) pair$"),
        (3, r"periods must be a list of \(from_date, rate\) pairs, not 3$"),
        ([(JUL, "0.1"), (JAN, "0.1")],
         r"periods\[1\]: periods go back in time: 2025-01-01 after 2025-07-01 \(oldest first"),
        ([(JAN, "0.1"), (JAN, "0.2")], r"periods\[1\]: two periods start on 2025-01-01"),
        ([(JAN, "1.5")], r"periods\[0\]: rate is a fraction \(0\.12 for 12 %\) from 0 to 1, not 1\.5"),
        ([(JAN, "-0.01")], r"periods\[0\]: rate is a fraction .* from 0 to 1, not -0\.01"),
        ([(JAN, "x")], r"periods\[0\]: rate: not an amount: 'x'"),
        ([("2025-01-01", "0.1")], r"periods\[0\]: from_date must be a date, not '2025-01-01'"),
        ([(JAN,)], r"periods\[0\] must be a \(from_date, rate\) pair, not \(datetime"),
    ],
)  # fmt: skip
def test_a_bad_timeline_names_the_period(periods: Any, match: str) -> None:
    with pytest.raises(ValidationError, match=r"^rate timeline: " + match):
        RateTimeline(periods=periods)


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        ({"reference_rates": []}, r"reference_rates must name at least one"),
        ({"reference_rates": "ecb"}, r"reference_rates must be a list of \(from_date, rate\) pairs"),
        ({"reference_rates": [(JUL, "0.02"), (JAN, "0.02")]},
         r"reference_rates\[1\]: periods go back in time"),
        ({"margin": "x"}, r"margin: not an amount: 'x'"),
        ({"margin": "-2"}, r"margin must be at least -1, not -2"),
        ({"fixing": "monthly"}, r"fixing must be one of 'semester', not 'monthly'"),
        ({"reference_rates": [(JAN, "-0.5")]},
         r"rate timeline: periods\[0\]: rate is a fraction .* not -0\.42"),
        ({"reference_rates": [(dt.date(9999, 8, 1), "0.02")]},
         r"reference_rates: no 1 January or 1 July on or after 9999-08-01"),
    ],
)  # fmt: skip
def test_bad_reference_rates_are_named(arguments: dict[str, Any], match: str) -> None:
    given_ = {"reference_rates": [(JAN, "0.02")], "margin": "0.08", **arguments}
    with pytest.raises(ValidationError, match=r"^reference_plus: " + match):
        RateTimeline.reference_plus(**given_)


def test_a_negative_reference_rate_is_a_reference_rate() -> None:
    timeline = RateTimeline.reference_plus([(dt.date(2019, 9, 18), "-0.005")], "0.08")
    assert timeline.periods == ((dt.date(2020, 1, 1), Decimal("0.075")),)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda t: t.rate_on("2025-01-01"), r"^rate_on: day must be a date"),
        (lambda t: t.rate_days(JAN, None), r"^rate_days: until must be a date"),
        (lambda t: t.rate_days(dt.datetime(2025, 1, 1), JUL), r"^rate_days: after must be a date"),
    ],
)
def test_a_timeline_s_methods_check_their_dates(call: Any, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        call(RateTimeline(periods=[(JAN, "0.1")]))


# --- SendingWindow -----------------------------------------------------------------------

NINE, NOON, TWO, FIVE = dt.time(9), dt.time(12), dt.time(14), dt.time(17)


def test_slots_are_kept_sorted_and_may_touch() -> None:
    window = SendingWindow(weekdays=[0, 2], slots=[(TWO, FIVE), (NINE, NOON), (NOON, TWO)])
    assert window.slots == ((NINE, NOON), (NOON, TWO), (TWO, FIVE))
    assert window.weekdays == frozenset({0, 2})


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"weekdays": set()}, r"^sending window: weekdays must name at least one day$"),
        ({"weekdays": {7}}, r"^sending window: weekdays are 0 \(Monday\) to 6 \(Sunday\), not 7$"),
        ({"weekdays": {-1, 2}}, r"^sending window: weekdays are 0 .*, not -1$"),
        ({"weekdays": {True}}, r"^sending window: weekdays are 0 .*, not True$"),
        ({"weekdays": 3}, r"^sending window: weekdays must be a collection of int, not 3$"),
        ({"weekdays": ["Monday"]}, r"^sending window: weekdays\[0\] must be a int, not 'Monday'$"),
        ({"slots": []}, r"^sending window: slots must hold at least one \(start, end\) time slot$"),
        (
            {"slots": 5},
            r"^sending window: slots must be a collection of \(start, end\) time slots, not 5$",
        ),
        (
            {"slots": [(NOON, NINE)]},
            r"^sending window: slot 12:00:00-09:00:00 ends before it starts$",
        ),
        ({"slots": [(NINE, NINE)]}, r"^sending window: slot 09:00:00-09:00:00 ends before it"),
        (
            {"slots": [(NINE, TWO), (NOON, FIVE)]},
            r"^sending window: slots 09:00:00-14:00:00 and 12:00:00-17:00:00 overlap$",
        ),
        (
            {"slots": [(NINE, NOON, TWO)]},
            r"^sending window: a slot is a \(start, end\) pair of times, not \(datetime\.time",
        ),
        (
            {"slots": [("09:00", "12:00")]},
            r"^sending window: a slot is a \(start, end\) pair of times, not \('09:00', '12:00'\)$",
        ),
        (
            {"slots": [(dt.datetime(2026, 1, 1, 9), dt.datetime(2026, 1, 1, 12))]},
            r"^sending window: a slot is a \(start, end\) pair of times",
        ),
        (
            {"slots": [(dt.time(9, tzinfo=dt.timezone.utc), NOON)]},
            r"^sending window: slot 09:00:00\+00:00-12:00:00: times are local, "
            r"without a time zone$",
        ),
        (
            {
                "slots": [
                    (dt.time(9, tzinfo=dt.timezone.utc), dt.time(10, tzinfo=dt.timezone.utc)),
                    (TWO, FIVE),
                ]
            },
            r"^sending window: slot 09:00:00\+00:00-10:00:00\+00:00: times are local",
        ),
    ],
)
def test_a_bad_sending_window_is_a_validation_error(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        SendingWindow(**{"weekdays": {0}, "slots": [(NINE, NOON)], **changes})


@given(sending_windows())
def test_any_sending_window_has_sorted_slots_that_never_overlap(window: SendingWindow) -> None:
    assert list(window.slots) == sorted(window.slots)
    for (_, end), (start, _) in zip(window.slots, window.slots[1:], strict=False):
        assert end <= start
    assert SendingWindow(weekdays=window.weekdays, slots=reversed(window.slots)) == window


# --- Policy: fields ----------------------------------------------------------------------


def test_a_policy_may_configure_nothing() -> None:
    empty = Policy()
    assert (empty.statuses, empty.scenarios, empty.default_scenario) == ((), (), None)
    assert empty.scenario_by_client_type == {}
    assert empty.minimum_amount == empty.ignore_below == 0


def test_a_fully_configured_policy_keeps_its_settings() -> None:
    built = policy()
    assert built.scenario_by_client_type == {"public": "gentle"}
    assert isinstance(built.scenario_by_client_type, FrozenMap)
    assert built.status("promise").category is StatusCategory.PROMISE
    assert built.scenario("gentle") is GENTLE


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"statuses": [5]}, r"^policy: statuses\[0\] must be a Status, not 5$"),
        ({"statuses": Status(code="call")}, r"^policy: statuses must be a collection of Status"),
        (
            {"scenarios": ["standard"]},
            r"^policy: scenarios\[0\] must be a Scenario, not 'standard'$",
        ),
        (
            {"scenario_by_client_type": [("public", "gentle")]},
            r"^policy: scenario_by_client_type must be a mapping, not \[\('public', 'gentle'\)\]$",
        ),
        (
            {"scenario_by_client_type": {"": "gentle"}},
            r"^policy: scenario_by_client_type key must be a non-empty string",
        ),
        (
            {"scenario_by_client_type": {"public": 5}},
            r"^policy: scenario_by_client_type\['public'\] must be a non-empty string.*, not 5$",
        ),
        ({"default_scenario": ""}, r"^policy: default_scenario must be a non-empty string"),
        ({"dispute_resolved_status": 3}, r"^policy: dispute_resolved_status must be"),
        ({"minimum_amount": -1}, r"^policy: minimum_amount: must be at least 0, not -1$"),
        (
            {"minimum_amount": {"EUR": 50, "XYZ": 10}},
            r"^policy: minimum_amount: 'XYZ' is not an ISO 4217 code like 'EUR'$",
        ),
        (
            {"minimum_amount": {"JPY": "-1"}},
            r"^policy: minimum_amount: must be at least 0 \(JPY\), not -1$",
        ),
        (
            {"ignore_below": {"KWD": "abc"}},
            r"^policy: ignore_below: KWD: not an amount: 'abc'$",
        ),
        ({"minimum_amount": True}, r"^policy: minimum_amount: not an amount: True$"),
        ({"minimum_amount": "fifty"}, r"^policy: minimum_amount: not an amount: 'fifty'$"),
        (
            {"ignore_below": float("nan")},
            r"^policy: ignore_below: not an amount: Decimal\('NaN'\)$",
        ),
        ({"ignore_below": "-0.01"}, r"^policy: ignore_below: must be at least 0, not -0\.01$"),
        (
            {"quick_promise": "promise"},
            r"^policy: quick_promise must be a QuickPromise, not 'promise'$",
        ),
        ({"penalties": 0.12}, r"^policy: penalties must be a PenaltyRule, not 0\.12$"),
        ({"sending_window": {"weekdays": [0]}}, r"^policy: sending_window must be a SendingWindow"),
        ({"calendar": {"weekend": [5, 6]}}, r"^policy: calendar must be a BusinessCalendar"),
        (
            {"automatic_max_late_days": -1},
            r"^policy: automatic_max_late_days must be at least 0, not -1$",
        ),
        (
            {"automatic_max_late_days": "30"},
            r"^policy: automatic_max_late_days must be a whole number, not '30'$",
        ),
    ],
)
def test_a_bad_policy_field_is_a_validation_error_naming_the_field(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        policy(**changes)


def test_status_codes_are_unique() -> None:
    with pytest.raises(ValidationError, match=r"^policy: two statuses have the code 'call'$"):
        policy(statuses=(*STATUSES, Status(code="call", label="Called again")))


def test_scenario_names_are_unique() -> None:
    with pytest.raises(ValidationError, match=r"^policy: two scenarios are named 'gentle'$"):
        policy(scenarios=(STANDARD, GENTLE, Scenario(name="gentle", restart="CATCH_UP")))


# --- Policy: references ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"default_scenario": "strict"}, r"^policy: default_scenario: no scenario 'strict'$"),
        (
            {"scenario_by_client_type": {"risky": "strict"}},
            r"^policy: scenario_by_client_type\['risky'\]: no scenario 'strict'$",
        ),
        (
            {"quick_promise": QuickPromise(status="promised")},
            r"^policy: quick_promise\.status: no status 'promised' \(did you mean 'promise'\?\)$",
        ),
        (
            {"dispute_resolved_status": "done"},
            r"^policy: dispute_resolved_status: no status 'done'$",
        ),
    ],
)
def test_a_missing_reference_is_a_configuration_error_naming_it(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ConfigurationError, match=match):
        policy(**changes)


def test_every_missing_reference_is_listed_at_once() -> None:
    with pytest.raises(ConfigurationError) as raised:
        Policy(
            statuses=STATUSES,
            scenarios=(STANDARD,),
            default_scenario="strict",
            scenario_by_client_type={"public": "gentle", "risky": "harsh", "retail": "standard"},
            quick_promise=QuickPromise(status="promised"),
            dispute_resolved_status="done",
        )
    assert str(raised.value) == (
        "policy: default_scenario: no scenario 'strict'; "
        "scenario_by_client_type['public']: no scenario 'gentle'; "
        "scenario_by_client_type['risky']: no scenario 'harsh'; "
        "quick_promise.status: no status 'promised' (did you mean 'promise'?); "
        "dispute_resolved_status: no status 'done'"
    )


@pytest.mark.parametrize("code", ["call", "price", "settled"])
def test_the_quick_promise_status_must_be_a_promise(code: str) -> None:
    category = next(s.category for s in STATUSES if s.code == code)
    with pytest.raises(
        ConfigurationError,
        match=rf"^policy: quick_promise\.status: status '{code}' has the category "
        rf"{category.value}, not PROMISE$",
    ):
        policy(quick_promise=QuickPromise(status=code))


@pytest.mark.parametrize("code", ["call", "promise", "price"])
def test_the_dispute_resolved_status_must_be_a_dispute_resolved_one(code: str) -> None:
    category = next(s.category for s in STATUSES if s.code == code)
    with pytest.raises(
        ConfigurationError,
        match=rf"^policy: dispute_resolved_status: status '{code}' has the category "
        rf"{category.value}, not DISPUTE_RESOLVED$",
    ):
        policy(dispute_resolved_status=code)


def test_wrong_categories_and_missing_references_are_listed_together() -> None:
    with pytest.raises(ConfigurationError) as raised:
        policy(quick_promise=QuickPromise(status="call"), default_scenario="strict")
    message = str(raised.value)
    assert "default_scenario: no scenario 'strict'" in message
    assert "quick_promise.status: status 'call' has the category ONGOING, not PROMISE" in message


def test_an_unknown_hashtag_in_a_step_or_status_template_is_a_configuration_error() -> None:
    mail = Step(
        name="mail", channel="EMAIL", trigger=Trigger.leader_due(1), template="Pay #totl_due"
    )
    letter = ActionTemplate(name="letter", channel="LETTER", template="Dear #nme")
    with pytest.raises(ConfigurationError) as raised:
        policy(
            scenarios=(Scenario(name="standard", steps=(mail,)), GENTLE),
            statuses=(*STATUSES, Status(code="court", category="LITIGATION", action=letter)),
        )
    message = str(raised.value)
    assert "scenario 'standard' step 'mail': unknown hashtag #totl_due" in message
    assert "status 'court' action 'letter': unknown hashtag #nme" in message


def test_looking_up_an_unknown_status_names_it() -> None:
    with pytest.raises(UnknownStatusError, match=r"^policy: no status 'nope'$") as raised:
        policy().status("nope")
    assert isinstance(raised.value, KeyError)


def test_looking_up_a_mistyped_status_suggests_the_closest_code() -> None:
    with pytest.raises(
        UnknownStatusError, match=r"^policy: no status 'promis' \(did you mean 'promise'\?\)$"
    ):
        policy().status("promis")
    with pytest.raises(UnknownStatusError, match=r"^policy: no status 7$"):
        policy().status(7)  # type: ignore[arg-type]


@given(st.sampled_from([s.code for s in STATUSES]), st.integers(0, 10), st.characters())
def test_a_one_letter_typo_of_a_status_code_suggests_a_code(
    code: str, index: int, letter: str
) -> None:
    index %= len(code)
    typo = code[:index] + letter + code[index + 1 :]
    if typo == code:
        assert policy().status(typo).code == code
        return
    with pytest.raises(UnknownStatusError) as raised:
        policy().status(typo)
    suggested = re.search(r"\(did you mean '([a-z]+)'\?\)$", str(raised.value))
    assert suggested is not None
    assert suggested[1] in {s.code for s in STATUSES}


def test_a_policy_s_missing_references_are_listed_as_problems() -> None:
    with pytest.raises(ConfigurationError) as raised:
        policy(default_scenario="strict", quick_promise=QuickPromise(status="promised"))
    assert [(p.path, p.what) for p in raised.value.problems] == [
        ("default_scenario", "no scenario 'strict'"),
        ("quick_promise.status", "no status 'promised' (did you mean 'promise'?)"),
    ]
    assert raised.value.more == 0


def test_looking_up_an_unknown_scenario_names_it() -> None:
    with pytest.raises(ConfigurationError, match=r"^policy: no scenario 'nope'$"):
        policy().scenario("nope")


# --- Policy: hashable, equal by value ----------------------------------------------------


def test_a_policy_is_hashable_with_its_client_type_mapping() -> None:
    first = policy(scenario_by_client_type={"public": "gentle", "retail": "standard"})
    second = policy(scenario_by_client_type={"retail": "standard", "public": "gentle"})
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1


def test_policies_differing_only_by_client_type_mapping_are_not_equal() -> None:
    assert policy() != policy(scenario_by_client_type={"public": "standard"})


def test_the_client_type_mapping_is_a_copy_of_what_was_given() -> None:
    given_mapping = {"public": "gentle"}
    built = policy(scenario_by_client_type=given_mapping)
    given_mapping["public"] = "nope"
    assert built.scenario_by_client_type["public"] == "gentle"


def test_a_frozen_map_is_kept_as_is() -> None:
    mapping = FrozenMap({"public": "gentle"})
    assert policy(scenario_by_client_type=mapping).scenario_by_client_type is mapping


@given(policies())
def test_any_policy_rebuilt_from_its_fields_is_equal_and_hashes_alike(drawn: Policy) -> None:
    fields = {str(f.alias): getattr(drawn, f.name) for f in attrs.fields(Policy) if f.init}
    fields["scenario_by_client_type"] = dict(drawn.scenario_by_client_type)
    copy = Policy(**fields)
    assert copy == drawn
    assert hash(copy) == hash(drawn)


@given(policies(), penalty_rules(), st.integers(0, 5))
def test_changing_a_policy_setting_gives_a_new_valid_policy(
    drawn: Policy, rule: PenaltyRule, days: int
) -> None:
    before = attrs.evolve(drawn)
    promise = QuickPromise(status="promise", delay_days=days)
    changed = attrs.evolve(drawn, penalties=rule, minimum_amount="10", quick_promise=promise)
    assert (changed.penalties, changed.minimum_amount) == (rule, Decimal(10))
    assert changed.quick_promise == promise
    assert changed.status("promise") == drawn.status("promise")
    assert drawn == before


# --- Boundaries and whole messages (mutation testing, 2026-12-05) -------------------------


def test_a_rate_of_exactly_one_is_a_timeline_rate() -> None:
    assert RateTimeline(periods=[(JAN, "1")]).rate_on(JUL) == Decimal(1)


def test_no_rate_is_in_force_before_the_first_period() -> None:
    timeline = RateTimeline(periods=[(JUL, "0.1")])
    assert timeline.rate_on(JUL - dt.timedelta(days=1)) is None
    assert timeline.rate_on(JUL) == Decimal("0.1")


def test_a_timeline_s_day_is_named_as_given() -> None:
    with pytest.raises(ValidationError, match=r"^rate_on: day must be a date, not '2025-01-01'$"):
        RateTimeline(periods=[(JAN, "0.1")]).rate_on("2025-01-01")  # type: ignore[arg-type]


def test_two_periods_on_one_date_name_the_date_once() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^rate timeline: periods\[1\]: two periods start on 2025-01-01 "
        r"\(oldest first, one period a date\)$",
    ):
        RateTimeline(periods=[(JAN, "0.1"), (JAN, "0.2")])


@pytest.mark.parametrize(
    ("first_change", "first_period"),
    [
        (dt.date(2025, 1, 1), dt.date(2025, 1, 1)),  # fixed on 1 January itself
        (dt.date(2025, 1, 2), dt.date(2025, 7, 1)),
        (dt.date(2025, 2, 1), dt.date(2025, 7, 1)),
        (dt.date(2025, 7, 1), dt.date(2025, 7, 1)),  # fixed on 1 July itself
        (dt.date(2025, 7, 2), dt.date(2026, 1, 1)),
    ],
)
def test_the_reference_rate_is_fixed_on_the_first_half_year_on_or_after_it(
    first_change: dt.date, first_period: dt.date
) -> None:
    timeline = RateTimeline.reference_plus([(first_change, "0.02")], "0.08")
    assert timeline.periods == ((first_period, Decimal("0.10")),)


@pytest.mark.parametrize("rate", ["1.01", "1.5", "2"])
def test_a_penalty_rate_above_one_is_refused(rate: str) -> None:
    with pytest.raises(
        ValidationError,
        match=rf"^penalties: annual_rate is a fraction \(0\.12 for 12 %\), at most 1, not {rate}$",
    ):
        PenaltyRule(annual_rate=rate)


def test_a_malformed_slot_is_named_whatever_the_order_of_the_others() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^sending window: a slot is a \(start, end\) pair of times, not 'x'$",
    ):
        SendingWindow(weekdays={0}, slots=[(NOON, NINE), "x"])


@pytest.mark.parametrize("weekdays", [{5, 6}, {6}])
def test_a_window_on_the_calendar_s_weekend_only_is_refused(weekdays: set[int]) -> None:
    window = SendingWindow(weekdays=weekdays, slots=[(NINE, NOON)])
    days = sorted(weekdays)
    with pytest.raises(ConfigurationError) as raised:
        Policy(sending_window=window, calendar=BusinessCalendar(weekend=(5, 6)))
    assert str(raised.value) == (
        f"policy: sending_window: weekdays {days} are all weekend days of the calendar: "
        "automatic messages could never go out"
    )


def test_a_window_with_one_business_day_is_accepted() -> None:
    window = SendingWindow(weekdays={4, 5}, slots=[(NINE, NOON)])
    calendar = BusinessCalendar(weekend=(5, 6))
    assert Policy(sending_window=window, calendar=calendar).sending_window == window


def test_a_collector_rule_keeps_its_conditions() -> None:
    rule = CollectorRule(
        collector="senior", client_type="public", min_balance={"EUR": 10}, min_days_late=0
    )
    assert (rule.collector, rule.client_type, rule.min_days_late) == ("senior", "public", 0)
    assert rule.min_balance == {"EUR": Decimal(10)}
    assert CollectorRule(collector="junior") == CollectorRule(
        collector="junior", client_type=None, min_balance=None, min_days_late=None
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"collector": ""}, "collector rule: collector must be a non-empty string without "
         "surrounding spaces, not ''"),
        ({"client_type": " public"}, "collector rule 'senior': client_type must be a non-empty "
         "string without surrounding spaces, not ' public'"),
        ({"min_balance": "x"}, "collector rule 'senior': min_balance: not an amount: 'x'"),
        ({"min_balance": -1}, "collector rule 'senior': min_balance: must be at least 0, not -1"),
        ({"min_balance": {"EUR": -1}},
         "collector rule 'senior': min_balance: must be at least 0 (EUR), not -1"),
        ({"min_days_late": -1}, "collector rule 'senior': min_days_late must be at least 0, not -1"),
        ({"min_days_late": "1"},
         "collector rule 'senior': min_days_late must be a whole number, not '1'"),
    ],
)  # fmt: skip
def test_a_bad_collector_rule_names_the_rule_and_the_field(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        CollectorRule(**{"collector": "senior", **changes})
    assert str(raised.value) == message


def test_an_unknown_hashtag_in_a_step_s_fallback_names_the_fallback() -> None:
    mail = Step(
        name="mail",
        channel="EMAIL",
        trigger=Trigger.leader_due(1),
        template="Pay #total_due",
        fallback=Fallback(channel="LETTER", template="Dear #nme"),
    )
    with pytest.raises(ConfigurationError) as raised:
        Policy(scenarios=(Scenario(name="standard", steps=(mail,)),))
    assert str(raised.value) == (
        "policy: scenario 'standard' step 'mail' fallback: unknown hashtag #nme at line 1, column 6"
    )


def test_a_missing_dispute_resolved_status_is_named_without_a_quick_promise() -> None:
    with pytest.raises(ConfigurationError) as raised:
        Policy(dispute_resolved_status="nope")
    assert str(raised.value) == "policy: dispute_resolved_status: no status 'nope'"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"min_days_between_contacts": -1},
            "policy: min_days_between_contacts must be at least 0, not -1",
        ),
        (
            {"collector_rules": ["senior"]},
            "policy: collector_rules[0] must be a CollectorRule, not 'senior'",
        ),
    ],
)
def test_a_bad_contact_or_collector_setting_names_the_field(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        Policy(**changes)
    assert str(raised.value) == message


def test_the_held_statuses_are_the_dispute_statuses() -> None:
    assert policy().held_statuses == frozenset({"price"})
    assert Policy().held_statuses == frozenset()


def test_each_period_s_rate_is_in_force_until_the_next_period() -> None:
    timeline = RateTimeline(periods=[(JAN, "0.1115"), (JUL, "0.1015")])
    assert timeline.rate_on(JUL - dt.timedelta(days=1)) == Decimal("0.1115")
    assert timeline.rate_on(JUL) == Decimal("0.1015")
