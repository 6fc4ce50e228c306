"""Statuses (SPEC §1 "Status"): categories, follow-up actions, the dispute rule."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given

from collectlib import ActionTemplate, Channel, Status, StatusCategory, ValidationError
from collectlib.strategies import statuses

FOLLOW_UP = ActionTemplate(name="follow-up", channel=Channel.CALL, delay_days=7)
NEED_ACTION = [StatusCategory.DISPUTE, StatusCategory.LITIGATION]
MAY_HAVE_ACTION = [c for c in StatusCategory if c not in NEED_ACTION]


def status(**changes: Any) -> Status:
    """A valid ongoing status 'call', changed as asked."""
    return Status(**{"code": "call", **changes})


def test_the_label_defaults_to_the_code_and_the_category_to_ongoing() -> None:
    built = status()
    assert (built.label, built.category, built.action) == ("call", StatusCategory.ONGOING, None)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"code": ""}, r"^status: code must be a non-empty string"),
        ({"code": "call "}, r"^status: code must be .*, not 'call '$"),
        ({"code": None}, r"^status: code must be .*, not None$"),
        ({"label": None}, r"^status 'call': label must be a string, not None$"),
        ({"label": 3}, r"^status 'call': label must be a string, not 3$"),
        (
            {"category": "CLOSED"},
            r"^status 'call': category: unknown StatusCategory 'CLOSED' \(one of ONGOING, "
            r"PROMISE, DISPUTE, DISPUTE_RESOLVED, LITIGATION, PAYMENT_PLAN\)$",
        ),
        ({"category": "promise"}, r"^status 'call': category: unknown StatusCategory 'promise'"),
        (
            {"action": "follow-up"},
            r"^status 'call': action must be an ActionTemplate, not 'follow-up'$",
        ),
        ({"action": {"name": "x"}}, r"^status 'call': action must be an ActionTemplate, not \{"),
    ],
)
def test_a_bad_status_field_names_the_status_and_field(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        status(**changes)


@pytest.mark.parametrize("category", NEED_ACTION, ids=[c.value for c in NEED_ACTION])
def test_a_dispute_or_litigation_status_needs_an_action(category: StatusCategory) -> None:
    with pytest.raises(
        ValidationError,
        match=rf"^status 'price': a {category.value} status needs an action "
        r"\(its follow-up takes the items out of the scenario\)$",
    ):
        Status(code="price", category=category)


@pytest.mark.parametrize("category", NEED_ACTION, ids=[c.value for c in NEED_ACTION])
def test_a_dispute_or_litigation_status_with_an_action_is_a_dispute(
    category: StatusCategory,
) -> None:
    built = Status(code="price", category=category.value, action=FOLLOW_UP)
    assert built.category is category
    assert built.is_dispute


@pytest.mark.parametrize("category", MAY_HAVE_ACTION, ids=[c.value for c in MAY_HAVE_ACTION])
def test_other_categories_may_go_without_an_action(category: StatusCategory) -> None:
    assert not Status(code="s", category=category).is_dispute
    assert Status(code="s", category=category, action=FOLLOW_UP).action == FOLLOW_UP


@given(statuses())
def test_a_status_rebuilt_from_its_fields_is_equal_and_hashes_alike(drawn: Status) -> None:
    copy = Status(**attrs.asdict(drawn, recurse=False))
    assert copy == drawn
    assert hash(copy) == hash(drawn)
