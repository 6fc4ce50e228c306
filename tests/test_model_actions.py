"""Action templates and specific actions (SPEC §1 "ActionTemplate", "SpecificAction").

The channel rules (a message needs a template, only a message is automatic,
``to_be_confirmed`` needs ``automatic``) are shared by templates, steps and specific
actions, and tested here for all three.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    ActionState,
    ActionTemplate,
    Channel,
    SpecificAction,
    Step,
    Trigger,
    ValidationError,
)
from collectlib.strategies import action_templates

DAY = dt.date(2026, 3, 2)
MIDNIGHT = dt.datetime(2026, 3, 2)
MESSAGES = [channel for channel in Channel if channel.is_message]
NOT_MESSAGES = [Channel.CALL, Channel.LITIGATION]


def template(**changes: Any) -> ActionTemplate:
    """A valid call template 'follow-up', changed as asked."""
    return ActionTemplate(**{"name": "follow-up", "channel": Channel.CALL, **changes})


def action(**changes: Any) -> SpecificAction:
    """A valid open call action 'A1' on item F-1, changed as asked."""
    fields: dict[str, Any] = {
        "id": "A1",
        "name": "follow-up",
        "channel": Channel.CALL,
        "item_ids": frozenset({"F-1"}),
        "due_on": DAY,
        "created_on": DAY,
    }
    return SpecificAction(**{**fields, **changes})


def step(**changes: Any) -> Step:
    """A valid call step 'call' at leader due +10, changed as asked."""
    fields: dict[str, Any] = {
        "name": "call",
        "channel": Channel.CALL,
        "trigger": Trigger.leader_due(10),
    }
    return Step(**{**fields, **changes})


# The three records that follow the channel rules, and how their messages name them.
CHANNEL_RECORDS: dict[str, tuple[Callable[..., object], str]] = {
    "template": (template, "action template 'follow-up'"),
    "step": (step, "step 'call'"),
    "action": (action, "action 'A1'"),
}
channel_records = pytest.mark.parametrize(
    ("build", "owner"), list(CHANNEL_RECORDS.values()), ids=list(CHANNEL_RECORDS)
)


# --- The channel rules, for templates, steps and specific actions ------------------------


@channel_records
@pytest.mark.parametrize("channel", MESSAGES, ids=[c.value for c in MESSAGES])
@pytest.mark.parametrize("text", [None, "", "   \n"])
def test_a_message_needs_a_template(
    build: Callable[..., object], owner: str, channel: Channel, text: str | None
) -> None:
    with pytest.raises(
        ValidationError, match=rf"^{owner}: {channel.value} actions need a template$"
    ):
        build(channel=channel, template=text)


@channel_records
@pytest.mark.parametrize("channel", NOT_MESSAGES, ids=[c.value for c in NOT_MESSAGES])
def test_only_a_message_can_be_automatic(
    build: Callable[..., object], owner: str, channel: Channel
) -> None:
    with pytest.raises(
        ValidationError,
        match=rf"^{owner}: {channel.value} actions cannot be automatic \(only messages can\)$",
    ):
        build(channel=channel, automatic=True)


@channel_records
@pytest.mark.parametrize("channel", [Channel.CALL, Channel.EMAIL, Channel.SMS])
def test_to_be_confirmed_needs_automatic(
    build: Callable[..., object], owner: str, channel: Channel
) -> None:
    with pytest.raises(
        ValidationError, match=rf"^{owner}: to_be_confirmed needs automatic=True \("
    ):
        build(channel=channel, template="Dear #customer_name", to_be_confirmed=True)


@channel_records
@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"channel": "PIGEON"}, r"channel: unknown Channel 'PIGEON' \(one of CALL, EMAIL, "),
        ({"channel": "email"}, r"channel: unknown Channel 'email'"),
        ({"channel": None}, r"channel: unknown Channel None"),
        ({"automatic": "yes"}, r"automatic must be True or False, not 'yes'$"),
        ({"automatic": 1}, r"automatic must be True or False, not 1$"),
        ({"to_be_confirmed": None}, r"to_be_confirmed must be True or False, not None$"),
        ({"template": 5}, r"template must be a string, or a mapping language -> string, not 5$"),
    ],
)
def test_a_bad_channel_field_names_the_record_and_field(
    build: Callable[..., object], owner: str, changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=f"^{owner}: {match}"):
        build(**changes)


@channel_records
@pytest.mark.parametrize("channel", list(Channel), ids=[c.value for c in Channel])
def test_every_channel_is_accepted_with_the_fields_it_needs(
    build: Callable[..., object], owner: str, channel: Channel
) -> None:
    text = "Dear #customer_name" if channel.is_message else None
    built = build(channel=channel.value, template=text)
    assert getattr(built, "channel") is channel  # noqa: B009


@channel_records
@pytest.mark.parametrize("channel", MESSAGES, ids=[c.value for c in MESSAGES])
def test_a_message_may_be_automatic_and_to_be_confirmed(
    build: Callable[..., object], owner: str, channel: Channel
) -> None:
    built = build(channel=channel, template="Hello", automatic=True, to_be_confirmed=True)
    assert getattr(built, "to_be_confirmed") is True  # noqa: B009


# --- ActionTemplate ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"name": ""}, r"^action template: name must be a non-empty string"),
        ({"name": None}, r"^action template: name must be .*, not None$"),
        (
            {"delay_days": -1},
            r"^action template 'follow-up': delay_days must be at least 0, not -1$",
        ),
        ({"delay_days": True}, r"^action template 'follow-up': delay_days must be a whole number"),
        ({"delay_days": 1.5}, r"delay_days must be a whole number, not 1\.5$"),
        ({"delay_days": "3"}, r"delay_days must be a whole number, not '3'$"),
    ],
)
def test_a_bad_template_field_names_the_template_and_field(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        template(**changes)


def test_a_template_delay_may_be_zero() -> None:
    assert template(delay_days=0).delay_days == 0


@given(action_templates())
def test_a_template_rebuilt_from_its_fields_is_equal(drawn: ActionTemplate) -> None:
    assert ActionTemplate(**attrs.asdict(drawn, recurse=False)) == drawn


# --- SpecificAction ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"id": ""}, r"^action: id must be a non-empty string"),
        ({"id": 7}, r"^action: id must be .*, not 7$"),
        ({"name": " call"}, r"^action 'A1': name must be .*, not ' call'$"),
        ({"item_ids": frozenset()}, r"^action 'A1': item_ids must name at least one item$"),
        ({"item_ids": []}, r"^action 'A1': item_ids must name at least one item$"),
        ({"item_ids": {""}}, r"^action 'A1': item_ids must be a non-empty string"),
        ({"item_ids": 5}, r"^action 'A1': item_ids must be a collection of str, not 5$"),
        ({"item_ids": [1]}, r"^action 'A1': item_ids\[0\] must be a str, not 1$"),
        ({"item_ids": [["F-1"]]}, r"^action 'A1': item_ids must be a collection of str"),
        ({"due_on": MIDNIGHT}, r"^action 'A1': due_on must be a date, not datetime\.datetime"),
        ({"created_on": "2026-03-02"}, r"^action 'A1': created_on must be a date, not '2026"),
        ({"state": "PENDING"}, r"^action 'A1': state: unknown ActionState 'PENDING' \(one of OPEN"),
        (
            {"closed_on": DAY},
            r"^action 'A1': closed_on is set exactly when the action is not OPEN \(state OPEN\)$",
        ),
        ({"state": ActionState.DONE}, r"^action 'A1': closed_on is set exactly .*\(state DONE\)$"),
        (
            {"state": "CANCELLED", "closed_on": MIDNIGHT},
            r"^action 'A1': closed_on must be a date",
        ),
        ({"origin_status": ""}, r"^action 'A1': origin_status must be a non-empty string"),
        ({"plan_id": 3}, r"^action 'A1': plan_id must be a non-empty string"),
    ],
)
def test_a_bad_action_field_names_the_action_and_field(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        action(**changes)


@pytest.mark.parametrize("state", [ActionState.DONE, ActionState.CANCELLED, ActionState.DELETED])
def test_a_closed_action_has_a_closing_date(state: ActionState) -> None:
    closed = action(state=state.value, closed_on=DAY)
    assert closed.state is state
    assert not closed.is_open


def test_an_open_action_is_open() -> None:
    assert action().is_open
    assert action().state is ActionState.OPEN


def test_item_ids_are_frozen_and_a_single_id_is_one_item() -> None:
    assert action(item_ids=["F-1", "F-2", "F-1"]).item_ids == frozenset({"F-1", "F-2"})
    assert action(item_ids="F-10").item_ids == frozenset({"F-10"})


def test_a_specific_action_may_come_from_a_status_and_a_plan() -> None:
    built = action(origin_status="promise", plan_id="P1")
    assert (built.origin_status, built.plan_id) == ("promise", "P1")


_ID_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1)


@given(st.sets(_ID_TEXT.filter(lambda s: s == s.strip()), min_size=1))
def test_any_non_empty_set_of_ids_is_accepted(item_ids: set[str]) -> None:
    assert action(item_ids=item_ids).item_ids == frozenset(item_ids)


def test_an_empty_text_of_a_template_in_several_languages_names_its_language() -> None:
    with pytest.raises(ValidationError) as raised:
        ActionTemplate(name="mail", channel="EMAIL", template={"default": "Hello", "fr": " "})
    assert str(raised.value) == (
        "action template 'mail': EMAIL actions need a template (its 'fr' text is empty)"
    )
