"""What every record of the model shares (SPEC §0, §1): immutable, hashable, equal by value,
validated again by ``attrs.evolve``; the enumerations read from their values; ``FrozenMap``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    ActionState,
    ActionTemplate,
    Channel,
    CollectError,
    CollectorRule,
    Fallback,
    Installment,
    Item,
    JournalEvent,
    Money,
    PaymentPlan,
    PenaltyRule,
    Policy,
    QuickPromise,
    Repeat,
    Scenario,
    SendingWindow,
    SpecificAction,
    Status,
    Step,
    Trigger,
    ValidationError,
    enums,
    model,
)
from collectlib._frozen import FrozenMap
from collectlib.strategies import (
    accounts,
    action_templates,
    amounts,
    business_calendars,
    conditions,
    dates,
    fees,
    items,
    journal_events,
    penalty_rules,
    policies,
    rate_timelines,
    scenarios,
    sending_windows,
    statuses,
    steps,
)

_ITEM_SETS = st.frozensets(st.sampled_from(["F-1", "F-2", "F-3"]), min_size=1)

# A strategy of valid records for every record type of the model (journal events together).
RECORDS: dict[str, st.SearchStrategy[Any]] = {
    "Item": items(),
    "Status": statuses(),
    "ActionTemplate": action_templates(),
    "Trigger": st.one_of(
        st.integers(-30, 90).map(Trigger.leader_due),
        st.integers(0, 30).map(Trigger.after_last_action),
    ),
    "Step": steps(),
    "Scenario": scenarios(),
    "SpecificAction": st.builds(
        SpecificAction,
        id=st.sampled_from(["A1", "A2"]),
        name=st.just("follow-up"),
        channel=st.just(Channel.CALL),
        item_ids=_ITEM_SETS,
        due_on=dates(),
        created_on=dates(),
        origin_status=st.none() | st.just("price"),
        plan_id=st.none() | st.just("P1"),
    ),
    "Installment": st.builds(Installment, due_on=dates(), amount=amounts()),
    "PaymentPlan": st.lists(amounts(), min_size=1, max_size=4).map(
        lambda parts: PaymentPlan(
            id="P1",
            item_ids={"F-1"},
            installments=[
                Installment(due_on=dt.date(2026, n + 1, 1), amount=a) for n, a in enumerate(parts)
            ],
            created_on=dt.date(2025, 12, 15),
            total=sum(parts, Decimal(0)),
            action_id="A1",
        )
    ),
    "Account": accounts(with_plans=True),
    "Policy": policies(),
    "QuickPromise": st.builds(
        QuickPromise, status=st.just("promise"), delay_days=st.integers(0, 5)
    ),
    "PenaltyRule": penalty_rules(),
    "RateTimeline": rate_timelines(),
    "SendingWindow": sending_windows(),
    "BusinessCalendar": business_calendars(),
    "Repeat": st.builds(Repeat, every_days=st.integers(1, 60), max_times=st.integers(1, 9)),
    "Condition": conditions(),
    "Fee": fees(),
    "Fallback": st.sampled_from(
        [Fallback(channel="CALL"), Fallback(channel="LETTER", template="Please pay #total_due")]
    ),
    "CollectorRule": st.builds(
        CollectorRule,
        collector=st.sampled_from(["senior", "desk"]),
        client_type=st.none() | st.just("public"),
        min_balance=st.none() | st.just(Decimal(10_000)) | st.just({"EUR": Decimal(5000)}),
        min_days_late=st.none() | st.integers(0, 90),
    ),
    "JournalEvent": journal_events(),
    "Money": st.builds(Money, amount=amounts(), currency=st.sampled_from(["EUR", "JPY", "KWD"])),
}
record_kinds = pytest.mark.parametrize("kind", list(RECORDS))

# Anything at all, for the fuzzing property.
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.lists(st.integers(), max_size=3),
    st.frozensets(st.text(max_size=3), max_size=3),
    st.tuples(st.times(), st.times()).map(lambda t: [t]),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.sampled_from([object(), b"x", Decimal("sNaN"), 10**40, -(10**40), ()]),
)


def _init_fields(record: Any) -> list[attrs.Attribute[Any]]:
    return [f for f in attrs.fields(type(record)) if f.init]


def _snapshot(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in attrs.fields(type(record))}


def test_every_record_type_of_the_model_has_a_strategy_here() -> None:
    record_types = {getattr(model, name) for name in model.__all__}
    covered = {name for name in RECORDS if name != "JournalEvent"}
    missing = {t.__name__ for t in record_types if not issubclass(t, JournalEvent)} - covered
    assert not missing


# --- Immutable, hashable, equal by value -------------------------------------------------


@record_kinds
@given(data=st.data())
def test_a_record_is_hashable_and_equal_to_a_copy_built_from_its_fields(
    kind: str, data: st.DataObject
) -> None:
    record = data.draw(RECORDS[kind])
    fields = {str(f.alias): getattr(record, f.name) for f in _init_fields(record)}
    copy = type(record)(**fields)
    assert copy == record
    assert hash(copy) == hash(record)
    assert attrs.evolve(record) == record
    assert len({record, copy}) == 1


@record_kinds
@given(data=st.data())
def test_a_record_is_frozen_and_slotted(kind: str, data: st.DataObject) -> None:
    record = data.draw(RECORDS[kind])
    assert not hasattr(record, "__dict__")
    for field in attrs.fields(type(record)):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(record, field.name, None)


@record_kinds
@given(data=st.data())
def test_collections_in_a_record_are_immutable(kind: str, data: st.DataObject) -> None:
    record = data.draw(RECORDS[kind])
    for value in _snapshot(record).values():
        assert not isinstance(value, list | dict | set)


# --- evolve validates again and changes nothing on failure ---------------------------------


@record_kinds
@given(data=st.data())
def test_evolve_with_a_wrong_type_in_any_field_raises_naming_the_field_and_keeps_the_original(
    kind: str, data: st.DataObject
) -> None:
    record = data.draw(RECORDS[kind])
    before = _snapshot(record)
    for field in _init_fields(record):
        with pytest.raises(ValidationError) as raised:
            attrs.evolve(record, **{str(field.alias): object()})
        assert str(field.alias) in str(raised.value), (field.alias, str(raised.value))
    assert _snapshot(record) == before


@record_kinds
@given(data=st.data())
def test_any_value_in_any_field_builds_a_record_or_raises_a_collect_error(
    kind: str, data: st.DataObject
) -> None:
    record = data.draw(RECORDS[kind])
    before = _snapshot(record)
    field = data.draw(st.sampled_from(_init_fields(record)))
    value = data.draw(ANYTHING)
    try:
        changed = attrs.evolve(record, **{str(field.alias): value})
    except CollectError:
        changed = None
    if changed is not None:
        hash(changed)  # a record built is a record like any other
    assert _snapshot(record) == before


# --- Enumerations ------------------------------------------------------------------------

ENUMS = [getattr(enums, name) for name in enums.__all__]


@pytest.mark.parametrize("kind", ENUMS, ids=[e.__name__ for e in ENUMS])
def test_an_enumeration_reads_its_values_which_are_its_names(kind: Any) -> None:
    for member in kind:
        assert member.value == member.name
        assert kind(member.value) is member
        assert kind(member) is member


_ITEM: dict[str, Any] = {
    "id": "F-1",
    "issue_date": dt.date(2026, 1, 1),
    "due_date": dt.date(2026, 1, 31),
    "amount": -10,
    "open_amount": -10,
}
_ACTION: dict[str, Any] = {
    "id": "A1",
    "name": "call",
    "channel": "CALL",
    "item_ids": {"F-1"},
    "due_on": dt.date(2026, 1, 5),
    "created_on": dt.date(2026, 1, 1),
}


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        (lambda v: Item(**_ITEM, kind=v), "kind", "CREDIT_NOTE"),
        (lambda v: Status(code="s", category=v), "category", "PROMISE"),
        (lambda v: ActionTemplate(name="t", channel=v, template="x"), "channel", "SMS"),
        (lambda v: Trigger(kind=v, days=1), "kind", "AFTER_LAST_ACTION"),
        (lambda v: Step(name="s", channel=v, trigger=Trigger.leader_due(1)), "channel", "CALL"),
        (
            lambda v: SpecificAction(**_ACTION, state=v, closed_on=dt.date(2026, 1, 2)),
            "state",
            "DONE",
        ),
    ],
)
def test_records_accept_an_enumeration_value_as_a_string(
    build: Any, field: str, value: str
) -> None:
    built = build(value)
    member = getattr(built, field)
    assert member.value == value
    assert build(member) == built


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (
            lambda: Status(code="s", category="Promise"),
            r"category: unknown StatusCategory 'Promise'",
        ),
        (lambda: SpecificAction(**_ACTION, state="open"), r"state: unknown ActionState 'open'"),
        (lambda: Trigger(kind="leader_due", days=1), r"kind: unknown TriggerKind 'leader_due'"),
    ],
)
def test_enumeration_values_are_case_sensitive(build: Any, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        build()


# --- FrozenMap ---------------------------------------------------------------------------


def test_a_frozen_map_reads_like_a_mapping() -> None:
    mapping = FrozenMap({"public": "gentle", "retail": "standard"})
    assert mapping["public"] == "gentle"
    assert mapping.get("risky") is None
    assert list(mapping) == ["public", "retail"]
    assert len(mapping) == 2
    assert "retail" in mapping
    assert dict(mapping.items()) == {"public": "gentle", "retail": "standard"}
    with pytest.raises(KeyError):
        mapping["risky"]


def test_a_frozen_map_cannot_be_changed() -> None:
    mapping: Any = FrozenMap({"public": "gentle"})
    with pytest.raises(TypeError):
        mapping["public"] = "harsh"
    with pytest.raises(TypeError):
        del mapping["public"]
    with pytest.raises(AttributeError):
        mapping.extra = 1
    assert not hasattr(mapping, "update")


def test_a_frozen_map_copies_what_it_is_given() -> None:
    source = {"public": "gentle"}
    mapping = FrozenMap(source)
    source["public"] = "harsh"
    assert mapping["public"] == "gentle"


def test_an_empty_frozen_map() -> None:
    assert FrozenMap() == FrozenMap(None) == FrozenMap({}) == {}
    assert hash(FrozenMap()) == hash(FrozenMap({}))


def test_a_frozen_map_is_equal_to_any_mapping_with_the_same_pairs_only() -> None:
    mapping = FrozenMap({"a": 1})
    assert mapping == {"a": 1}
    assert mapping != {"a": 2}
    assert mapping != {"a": 1, "b": 2}
    assert mapping != [("a", 1)]
    assert mapping != "a"


def test_a_frozen_map_prints_its_pairs() -> None:
    assert repr(FrozenMap({"a": 1})) == "FrozenMap({'a': 1})"


_DICTS = st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=6)


@given(_DICTS)
def test_a_frozen_map_hashes_alike_whatever_the_insertion_order(pairs: dict[str, Any]) -> None:
    forward = FrozenMap(pairs)
    backward = FrozenMap(dict(reversed(list(pairs.items()))))
    assert forward == backward == pairs
    assert hash(forward) == hash(backward)
    assert len({forward, backward}) == 1


@given(_DICTS, _DICTS)
def test_frozen_maps_are_equal_exactly_when_their_pairs_are(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    assert (FrozenMap(first) == FrozenMap(second)) is (first == second)
    if first == second:
        assert hash(FrozenMap(first)) == hash(FrozenMap(second))


# --- A record in a set or as a key -------------------------------------------------------


@given(st.lists(accounts(max_items=3), max_size=4))
def test_equal_records_collapse_in_a_set(drawn: list[Account]) -> None:
    by_value = {attrs.evolve(account) for account in drawn}
    assert by_value == set(drawn)


@given(policies(), st.sampled_from(list(ActionState)))
def test_records_can_be_dictionary_keys(policy: Policy, state: ActionState) -> None:
    table = {policy: state, attrs.evolve(policy): state}
    assert len(table) == 1


def test_penalty_rules_and_sending_windows_are_records_too() -> None:
    assert PenaltyRule(annual_rate="0.1") == PenaltyRule(annual_rate=Decimal("0.1"))
    assert SendingWindow(weekdays=[1], slots=[(dt.time(9), dt.time(10))]) == SendingWindow(
        weekdays=frozenset({1}), slots=((dt.time(9), dt.time(10)),)
    )
    assert Scenario(name="s") != Scenario(name="s", restart="CATCH_UP")


def test_a_frozen_map_gives_the_default_for_a_key_it_has_not() -> None:
    mapping = FrozenMap({"public": "gentle"})
    assert mapping.get("public", "standard") == "gentle"
    assert mapping.get("retail", "standard") == "standard"
