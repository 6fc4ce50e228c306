"""Accounts: the customer file that every rule operates on."""

from __future__ import annotations

from decimal import Decimal
from typing import NoReturn

import attrs

from collectlib._checks import (
    check_amount,
    check_bool,
    check_currency,
    check_id,
    check_instances,
    check_text,
    check_timezone,
    fail,
    to_tuple,
)
from collectlib._frozen import FrozenMap
from collectlib.errors import UnknownActionError, UnknownItemError, UnknownPlanError
from collectlib.languages import check_language
from collectlib.model.actions import SpecificAction
from collectlib.model.items import Item
from collectlib.model.journal import JournalEvent
from collectlib.model.plans import PaymentPlan
from collectlib.money import ZERO, coerce_amount

__all__ = ["Account"]


def _optional_amount(value: object) -> object:
    return None if value is None else coerce_amount(value)  # type: ignore[arg-type]


def _twice(owner: str, items: tuple[Item, ...]) -> NoReturn:
    """Name the first item whose id an item before it has (the caller knows there is one)."""
    ids = [item.id for item in items]
    twice = next(item_id for at, item_id in enumerate(ids) if item_id in ids[:at])
    fail(owner, f"two items have the id {twice!r}")


class _ItemIndex:
    """The slots of an account's items, actions and plans by id, each built on first use.

    Caches, kept out of the attrs fields so that ``attrs.asdict``, ``evolve``,
    equality, hashing and pickling never see them; an account no one looks an item up
    in (most of an agenda's) pays neither their time nor their memory (about 40 bytes
    an item, a tenth of an item's own size).
    """

    __slots__ = ("_actions_by_id", "_items_by_id", "_plans_by_id")
    _items_by_id: FrozenMap[str, Item]
    _actions_by_id: FrozenMap[str, SpecificAction]
    _plans_by_id: FrozenMap[str, PaymentPlan]


@attrs.frozen(kw_only=True)
class Account(_ItemIndex):
    """A customer file: its open items, specific actions, payment plans and journal.

    Item, action and plan ids are unique; actions and plans name items of the
    account, an action's ``plan_id`` and a plan's ``action_id`` name a plan and an
    action of the account; an item is held by at most one open action.  ``scenario`` (a scenario
    name) overrides the policy's choice by ``client_type``.  Operations return a new
    ``Account``; the journal (oldest event first) records what they did.

    >>> from datetime import date
    >>> account = Account(id="C-001", name="Durand SA", items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=date(2026, 1, 5),
    ...          due_date=date(2026, 2, 4), amount=100, open_amount=100)])
    >>> account.item("F-1").amount
    Decimal('100')
    >>> account.item("F-9")
    Traceback (most recent call last):
    ...
    collectlib.errors.UnknownItemError: account 'C-001': no item 'F-9'
    """

    id: str
    name: str = ""
    currency: str = "EUR"
    """The ISO 4217 code of the account's amounts."""
    client_type: str | None = None
    scenario: str | None = None
    """The name of the account's own scenario, if it overrides the policy's choice."""
    collector: str | None = None
    """The person who chases this account."""
    penalties_enabled: bool = False
    group: str | None = None
    """The group of companies or legal entity the account belongs to (its customer's
    accounts in other currencies too); ``None``: the account is its own group, named by
    its id.  The credit limit is the group's (``exposure``)."""
    credit_limit: Decimal | None = attrs.field(default=None, converter=_optional_amount)
    """The most the customer may owe, in the account's currency; ``None``: no limit.  Its
    group's limit in a currency is the largest of its accounts' in that currency."""
    email: str | None = None
    """The customer's e-mail address; ``None``: none known (e-mail steps fall back)."""
    language: str | None = None
    """The customer's language (``"fr"``, ``"de_CH"``: ISO 639-1, optional region): it
    picks the text of a template given per language.  ``None``: the default text."""
    timezone: str | None = None
    """The customer's IANA time zone (``"America/New_York"``): the sending window is read
    in the customer's local time; ``None``: the policy's local time."""
    items: tuple[Item, ...] = attrs.field(default=(), converter=to_tuple)
    actions: tuple[SpecificAction, ...] = attrs.field(default=(), converter=to_tuple)
    plans: tuple[PaymentPlan, ...] = attrs.field(default=(), converter=to_tuple)
    journal: tuple[JournalEvent, ...] = attrs.field(default=(), converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        check_id("account", "id", self.id)
        owner = f"account {self.id!r}"
        check_text(owner, "name", self.name)
        check_currency(owner, "currency", self.currency)
        for field in ("client_type", "scenario", "collector", "group"):
            value = getattr(self, field)
            if value is not None:
                check_id(owner, field, value)
        check_bool(owner, "penalties_enabled", self.penalties_enabled)
        if self.credit_limit is not None:
            check_amount(owner, "credit_limit", self.credit_limit, minimum=ZERO)
        if self.email is not None:
            check_id(owner, "email", self.email)
        if self.language is not None:
            check_language(owner, "language", self.language)
        if self.timezone is not None:
            check_timezone(owner, "timezone", self.timezone)
        items = self.items
        check_instances(owner, "items", items, Item)
        item_ids = {item.id for item in items}
        if len(item_ids) != len(items):
            _twice(owner, items)
        if self.actions or self.plans:
            self._check_actions_and_plans(owner, item_ids)
        check_instances(owner, "journal", self.journal, JournalEvent)

    def _check_actions_and_plans(self, owner: str, item_ids: set[str]) -> None:
        check_instances(owner, "actions", self.actions, SpecificAction)
        check_instances(owner, "plans", self.plans, PaymentPlan)
        action_ids: set[str] = set()
        held_by: dict[str, str] = {}
        following: list[SpecificAction] = []  # the actions that follow a plan up
        for action in self.actions:
            if action.id in action_ids:
                fail(owner, f"two actions have the id {action.id!r}")
            action_ids.add(action.id)
            if action.plan_id is not None:
                following.append(action)
            unknown = action.item_ids - item_ids
            if unknown:
                fail(owner, f"action {action.id!r} names unknown items {sorted(unknown)}")
            if action.is_open:
                for item_id in sorted(action.item_ids):
                    other = held_by.setdefault(item_id, action.id)
                    if other != action.id:
                        fail(
                            owner,
                            f"item {item_id!r} is in two open actions, {other!r} and {action.id!r}",
                        )
        plan_ids: set[str] = set()
        for plan in self.plans:
            if plan.id in plan_ids:
                fail(owner, f"two plans have the id {plan.id!r}")
            plan_ids.add(plan.id)
            unknown = plan.item_ids - item_ids
            if unknown:
                fail(owner, f"plan {plan.id!r} names unknown items {sorted(unknown)}")
            if plan.action_id is not None and plan.action_id not in action_ids:
                fail(owner, f"plan {plan.id!r} names unknown action {plan.action_id!r}")
        for action in following:
            if action.plan_id not in plan_ids:
                fail(owner, f"action {action.id!r} names unknown plan {action.plan_id!r}")

    def item(self, item_id: str) -> Item:
        """Return the item ``item_id``, or raise ``UnknownItemError`` naming it.

        The first call indexes the items (one pass); every call after it takes constant
        time, so looking up every item of an account is linear in its size.
        """
        try:
            index = self._items_by_id
        except AttributeError:  # the first look-up
            index = FrozenMap({item.id: item for item in self.items})
            # Derived data in a slot outside the record's fields: filling it does not
            # change the account.
            object.__setattr__(self, "_items_by_id", index)
        try:
            return index[item_id]
        except (KeyError, TypeError):  # TypeError: an unhashable id, no item's
            raise UnknownItemError(f"account {self.id!r}: no item {item_id!r}") from None

    def action(self, action_id: str) -> SpecificAction:
        """Return the specific action ``action_id``, or raise ``UnknownActionError``.

        Indexed on first use, like ``item``.
        """
        try:
            index = self._actions_by_id
        except AttributeError:
            index = FrozenMap({action.id: action for action in self.actions})
            object.__setattr__(self, "_actions_by_id", index)
        try:
            return index[action_id]
        except (KeyError, TypeError):
            raise UnknownActionError(f"account {self.id!r}: no action {action_id!r}") from None

    def plan(self, plan_id: str) -> PaymentPlan:
        """Return the payment plan ``plan_id``, or raise ``UnknownPlanError``.

        Indexed on first use, like ``item``.
        """
        try:
            index = self._plans_by_id
        except AttributeError:
            index = FrozenMap({plan.id: plan for plan in self.plans})
            object.__setattr__(self, "_plans_by_id", index)
        try:
            return index[plan_id]
        except (KeyError, TypeError):
            raise UnknownPlanError(f"account {self.id!r}: no plan {plan_id!r}") from None
