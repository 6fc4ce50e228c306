"""Accounts (SPEC §1 "Account"): unique ids, references to its own items, look-ups."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given

from collectlib import (
    Account,
    ActionState,
    Channel,
    Installment,
    Item,
    ItemKind,
    PaymentPlan,
    SpecificAction,
    StatusApplied,
    UnknownActionError,
    UnknownItemError,
    UnknownPlanError,
    ValidationError,
)
from collectlib.strategies import accounts

DAY = dt.date(2026, 2, 1)


def invoice(item_id: str, amount: int = 100) -> Item:
    """An open invoice."""
    return Item(
        id=item_id,
        kind=ItemKind.INVOICE,
        issue_date=DAY,
        due_date=DAY,
        amount=amount,
        open_amount=amount,
    )


def action(
    action_id: str,
    *item_ids: str,
    state: ActionState = ActionState.OPEN,
    plan_id: str | None = None,
) -> SpecificAction:
    """A call action on ``item_ids``, open unless told, following up ``plan_id`` if given."""
    return SpecificAction(
        id=action_id,
        name="call",
        channel=Channel.CALL,
        item_ids=frozenset(item_ids),
        due_on=DAY,
        created_on=DAY,
        state=state,
        closed_on=None if state is ActionState.OPEN else DAY,
        plan_id=plan_id,
    )


def plan(plan_id: str, *item_ids: str, action_id: str | None = None) -> PaymentPlan:
    """A one-installment plan of 100 on ``item_ids``."""
    return PaymentPlan(
        id=plan_id,
        item_ids=frozenset(item_ids),
        installments=(Installment(due_on=DAY, amount=100),),
        created_on=DAY,
        total=100,
        action_id=action_id,
    )


ITEMS = (invoice("F-1"), invoice("F-2"), invoice("F-3"))


def account(**changes: Any) -> Account:
    """A valid account 'C-1' with three invoices, changed as asked."""
    return Account(**{"id": "C-1", "items": ITEMS, **changes})


def test_an_account_has_sensible_defaults() -> None:
    built = Account(id="C-1")
    assert (built.name, built.currency, built.client_type, built.scenario) == (
        "",
        "EUR",
        None,
        None,
    )
    assert (built.items, built.actions, built.plans, built.journal) == ((), (), (), ())
    assert built.penalties_enabled is False


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata"])
def test_an_account_may_name_its_customers_time_zone(zone: str) -> None:
    assert Account(id="C-1").timezone is None
    assert Account(id="C-1", timezone=zone).timezone == zone
    fields = [f.name for f in attrs.fields(Account)]
    assert fields.index("email") < fields.index("timezone") < fields.index("items")


def test_collections_are_stored_as_tuples() -> None:
    built = account(
        items=list(ITEMS),
        actions=[action("A1", "F-1")],
        plans=[plan("P1", "F-1", action_id="A1")],
        journal=[StatusApplied(on=DAY, item_ids={"F-1"}, status=None)],
    )
    assert all(
        isinstance(v, tuple) for v in (built.items, built.actions, built.plans, built.journal)
    )


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"id": ""}, r"^account: id must be a non-empty string"),
        ({"id": 1}, r"^account: id must be .*, not 1$"),
        ({"name": None}, r"^account 'C-1': name must be a string, not None$"),
        (
            {"currency": "eur"},
            r"^account 'C-1': currency must be an ISO 4217 code like 'EUR', not 'eur'$",
        ),
        (
            {"currency": "EURO"},
            r"^account 'C-1': currency must be an ISO 4217 code .*, not 'EURO'$",
        ),
        ({"currency": None}, r"^account 'C-1': currency must be an ISO 4217 code .*, not None$"),
        ({"client_type": ""}, r"^account 'C-1': client_type must be a non-empty string"),
        ({"scenario": 5}, r"^account 'C-1': scenario must be a non-empty string.*, not 5$"),
        ({"collector": " ana"}, r"^account 'C-1': collector must be .*, not ' ana'$"),
        ({"penalties_enabled": "yes"}, r"^account 'C-1': penalties_enabled must be True or False"),
        (
            {"penalties_enabled": 1},
            r"^account 'C-1': penalties_enabled must be True or False, not 1$",
        ),
        ({"items": ["F-1"]}, r"^account 'C-1': items\[0\] must be a Item, not 'F-1'$"),
        ({"items": 3}, r"^account 'C-1': items must be a collection of Item, not 3$"),
        ({"actions": ["A1"]}, r"^account 'C-1': actions\[0\] must be a SpecificAction, not 'A1'$"),
        ({"plans": [None]}, r"^account 'C-1': plans\[0\] must be a PaymentPlan, not None$"),
        ({"journal": [{"on": DAY}]}, r"^account 'C-1': journal\[0\] must be a JournalEvent"),
        ({"timezone": ""}, r"^account 'C-1': timezone must be a non-empty string"),
        ({"timezone": 1}, r"^account 'C-1': timezone must be a non-empty string.*, not 1$"),
        (
            {"timezone": "Europe/Pariss"},
            r"^account 'C-1': timezone: unknown time zone 'Europe/Pariss' \(an IANA name such",
        ),
        ({"timezone": "utc"}, r"^account 'C-1': timezone: unknown time zone 'utc'"),
        ({"timezone": "America"}, r"^account 'C-1': timezone: unknown time zone 'America'"),
        ({"timezone": "../etc/passwd"}, r"^account 'C-1': timezone: unknown time zone"),
        ({"timezone": "/etc/localtime"}, r"^account 'C-1': timezone: unknown time zone"),
        ({"timezone": "zone.tab"}, r"^account 'C-1': timezone: unknown time zone 'zone.tab'"),
        ({"timezone": "localtime"}, r"^account 'C-1': timezone: unknown time zone 'localtime'"),
        ({"timezone": "x" * 300}, r"^account 'C-1': timezone: unknown time zone 'xxx"),
    ],
)
def test_a_bad_account_field_names_the_account_and_field(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        account(**changes)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        (
            {"items": (*ITEMS, invoice("F-2", 50))},
            r"^account 'C-1': two items have the id 'F-2'$",
        ),
        (
            {"actions": (action("A1", "F-1"), action("A1", "F-2"))},
            r"^account 'C-1': two actions have the id 'A1'$",
        ),
        (
            {"plans": (plan("P1", "F-1"), plan("P1", "F-2"))},
            r"^account 'C-1': two plans have the id 'P1'$",
        ),
    ],
)
def test_ids_are_unique_in_an_account(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        account(**changes)


def test_an_item_is_in_at_most_one_open_action() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^account 'C-1': item 'F-2' is in two open actions, 'A1' and 'A2'$",
    ):
        account(actions=(action("A1", "F-1", "F-2"), action("A2", "F-2", "F-3")))


@pytest.mark.parametrize("state", [ActionState.DONE, ActionState.CANCELLED, ActionState.DELETED])
def test_an_item_may_be_in_closed_actions_and_one_open_action(state: ActionState) -> None:
    actions = (
        action("A1", "F-1", state=state),
        action("A2", "F-1"),
        action("A3", "F-1", state=state),
    )
    assert account(actions=actions).actions == actions


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        (
            {"actions": (action("A1", "F-1", "F-9", "F-8"),)},
            r"^account 'C-1': action 'A1' names unknown items \['F-8', 'F-9'\]$",
        ),
        (
            {"actions": (action("A1", "F-9", state=ActionState.DONE),)},
            r"^account 'C-1': action 'A1' names unknown items \['F-9'\]$",
        ),
        (
            {"plans": (plan("P1", "F-1", "F-7"),)},
            r"^account 'C-1': plan 'P1' names unknown items \['F-7'\]$",
        ),
        (
            {"plans": (plan("P1", "F-1", action_id="A9"),)},
            r"^account 'C-1': plan 'P1' names unknown action 'A9'$",
        ),
        (
            {"actions": (action("A1", "F-1", plan_id="P-404"),)},
            r"^account 'C-1': action 'A1' names unknown plan 'P-404'$",
        ),
        (
            {
                "actions": (action("A1", "F-1", plan_id="P1"), action("A2", "F-2", plan_id="P2")),
                "plans": (plan("P1", "F-1", action_id="A1"),),
            },
            r"^account 'C-1': action 'A2' names unknown plan 'P2'$",
        ),
        (
            {
                "actions": (action("A1", "F-1", plan_id="P1", state=ActionState.CANCELLED),),
                "plans": (plan("P2", "F-1"),),
            },
            r"^account 'C-1': action 'A1' names unknown plan 'P1'$",
        ),
    ],
)
def test_actions_and_plans_name_items_and_actions_of_the_account(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        account(**changes)


def test_a_plan_follows_up_with_an_action_of_the_account() -> None:
    built = account(
        actions=(action("A1", "F-1", plan_id="P1"),), plans=(plan("P1", "F-1", action_id="A1"),)
    )
    assert built.plan("P1").action_id == "A1"
    assert built.plan(built.action("A1").plan_id or "").id == "P1"


@given(accounts(with_plans=True, with_actions=True))
def test_every_plan_and_action_reference_of_an_account_resolves(drawn: Account) -> None:
    for held in drawn.actions:
        if held.plan_id is not None:
            assert drawn.plan(held.plan_id).id == held.plan_id
    for agreed in drawn.plans:
        if agreed.action_id is not None:
            assert drawn.action(agreed.action_id).id == agreed.action_id


@given(accounts(min_items=1, with_plans=True))
def test_an_action_following_a_plan_the_account_lacks_is_refused(drawn: Account) -> None:
    missing = f"P{len(drawn.plans) + 1}"
    stray = action("A-stray", drawn.items[0].id, state=ActionState.DONE, plan_id=missing)
    with pytest.raises(
        ValidationError, match=rf"^account '{drawn.id}': action 'A-stray' names unknown plan"
    ):
        attrs.evolve(drawn, actions=(*drawn.actions, stray))


@pytest.mark.parametrize(
    ("look_up", "error", "match"),
    [
        (Account.item, UnknownItemError, r"^account 'C-1': no item 'F-9'$"),
        (Account.action, UnknownActionError, r"^account 'C-1': no action 'F-9'$"),
        (Account.plan, UnknownPlanError, r"^account 'C-1': no plan 'F-9'$"),
    ],
)
def test_looking_up_an_unknown_id_is_a_key_error_naming_it(
    look_up: Any, error: type[KeyError], match: str
) -> None:
    with pytest.raises(error, match=match) as raised:
        look_up(account(), "F-9")
    assert isinstance(raised.value, KeyError)
    assert str(raised.value) == match.strip("^$").replace("\\", "")


def test_looking_up_a_known_id_returns_the_record() -> None:
    built = account(actions=(action("A1", "F-1"),), plans=(plan("P1", "F-2"),))
    assert built.item("F-3") is ITEMS[2]
    assert built.action("A1").item_ids == {"F-1"}
    assert built.plan("P1").total == Decimal(100)


@given(accounts(with_plans=True))
def test_any_account_rebuilt_from_its_fields_is_equal_and_hashes_alike(drawn: Account) -> None:
    copy = Account(**attrs.asdict(drawn, recurse=False))
    assert copy == drawn
    assert hash(copy) == hash(drawn)


@given(accounts(min_items=1))
def test_adding_an_item_with_a_known_id_is_refused_and_changes_nothing(drawn: Account) -> None:
    before = attrs.evolve(drawn)
    duplicate = drawn.items[0]
    with pytest.raises(ValidationError, match=rf"two items have the id '{duplicate.id}'$"):
        attrs.evolve(drawn, items=(*drawn.items, duplicate))
    assert drawn == before
    assert drawn.items == before.items


def test_looking_up_items_uses_an_index_that_the_record_does_not_show() -> None:
    built = account()
    assert [built.item(item.id) for item in ITEMS] == list(ITEMS)  # the first call indexes
    assert built.item("F-2") is ITEMS[1]
    assert "_items_by_id" not in attrs.asdict(built, recurse=False)
    assert built == account()
    assert hash(built) == hash(account())
    assert "_items_by_id" not in repr(built)
    changed = attrs.evolve(built, items=ITEMS[:1])
    with pytest.raises(UnknownItemError, match="no item 'F-2'"):
        changed.item("F-2")  # a new account has its own index


def test_an_unhashable_id_is_no_item() -> None:
    with pytest.raises(UnknownItemError, match=r"no item \['F-1'\]"):
        account().item(["F-1"])  # type: ignore[arg-type]


def test_an_indexed_account_pickles_without_its_index() -> None:
    built = account()
    built.item("F-1")
    copy = pickle.loads(pickle.dumps(built))
    assert copy == built
    assert copy.item("F-3") == ITEMS[2]


def test_looking_up_records_again_finds_them_again() -> None:
    built = account(actions=(action("A1", "F-1"),), plans=(plan("P1", "F-2"),))
    assert built.action("A1") is built.action("A1")
    assert built.plan("P1") is built.plan("P1")
    assert built.item("F-3") is built.item("F-3")


def test_a_credit_limit_is_read_as_an_amount_and_may_be_none() -> None:
    assert Account(id="C-1", credit_limit="1000").credit_limit == Decimal(1000)
    assert Account(id="C-1", credit_limit=0).credit_limit == Decimal(0)
    assert Account(id="C-1").credit_limit is None


_LANGUAGE = "must be an ISO 639-1 language code, optionally with a region ('fr', 'de_CH')"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"credit_limit": -1}, "account 'C-1': credit_limit must be at least 0, not -1"),
        ({"credit_limit": "x"}, "account 'C-1': credit_limit: not an amount: 'x'"),
        ({"email": " a@example.com"}, "account 'C-1': email must be a non-empty string "
         "without surrounding spaces, not ' a@example.com'"),
        ({"language": "xx"}, f"account 'C-1': language {_LANGUAGE}, not 'xx'"),
    ],
)  # fmt: skip
def test_a_bad_contact_or_credit_field_names_the_account_and_field(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        Account(id="C-1", **changes)
    assert str(raised.value) == message
