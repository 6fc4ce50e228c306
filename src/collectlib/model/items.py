"""Items: the open-item lines of a customer statement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from collectlib._checks import (
    check_amount,
    check_date,
    check_enum,
    check_id,
    check_text,
    fail,
    to_item_kind,
)
from collectlib.enums import ItemKind
from collectlib.money import ZERO, coerce_amount, is_amount

__all__ = ["Item", "new_item"]

_DATE = dt.date


def _amounts_ok(amount: object, open_amount: object) -> bool:
    """Whether both amounts are ``Decimal`` amounts in range (``money.is_amount``).

    The fast-path check of ``Item`` and of ``new_item``, the same for both.
    An unpaid item's two amounts are often one object (the loaders share it): checked once.
    """
    return (
        type(amount) is Decimal
        and type(open_amount) is Decimal
        and is_amount(amount)
        and (open_amount is amount or is_amount(open_amount))
    )


def _amount_problem(kind: ItemKind, amount: Decimal, open_amount: Decimal) -> str | None:
    """Return the rule that the signed amounts of an item of ``kind`` break, or ``None``."""
    debit = amount > ZERO
    if kind is ItemKind.INVOICE:
        if not debit:
            return f"an INVOICE has a positive amount, not {amount}"
    elif kind is ItemKind.OTHER:
        if not amount:
            return "amount must not be zero"
    elif debit or not amount:
        return f"a {kind.value} has a negative amount, not {amount}"
    if open_amount is amount or not open_amount:  # unpaid or closed
        return None
    if (open_amount > ZERO) is not debit:
        return f"open_amount {open_amount} has not the sign of amount {amount}"
    if open_amount > amount if debit else open_amount < amount:
        return f"open_amount {open_amount} exceeds amount {amount}"
    return None


@attrs.frozen(kw_only=True)
class Item:
    """One open-item line of a customer statement, with its qualification.

    ``amount`` and ``open_amount`` are signed: a debit is positive, a credit negative.
    An ``INVOICE`` is a debit, a ``CREDIT_NOTE`` or ``PAYMENT`` a credit, ``OTHER``
    either.  ``open_amount`` has the sign of ``amount`` (or is zero: the item is
    closed) and never exceeds it in size.  ``due_date`` may precede ``issue_date``:
    ERP data is messy, and the rules only read the due date.

    >>> from datetime import date
    >>> item = Item(id="F-1001", kind=ItemKind.INVOICE, issue_date=date(2026, 1, 5),
    ...             due_date=date(2026, 2, 4), amount="1200.00", open_amount=500)
    >>> item.is_debit, item.days_late(date(2026, 2, 14))
    (True, 10)
    >>> Item(id="F-1002", kind="INVOICE", issue_date=date(2026, 1, 5),
    ...      due_date=date(2026, 2, 4), amount=100, open_amount="120.00")
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: item 'F-1002': open_amount 120.00 exceeds amount 100
    """

    id: str
    """The item's number, unique in its account."""
    kind: ItemKind = attrs.field(converter=to_item_kind)
    issue_date: dt.date
    due_date: dt.date
    amount: Decimal = attrs.field(converter=coerce_amount)
    """The initial amount, signed (debit positive, credit negative)."""
    open_amount: Decimal = attrs.field(converter=coerce_amount)
    """What remains open, signed like ``amount``; zero when the item is closed."""
    reference: str = ""
    status: str | None = None
    """The code of the status qualifying the item, if any."""
    status_date: dt.date | None = None
    comment: str = ""
    owner: str | None = None
    """The person in charge of resolution."""
    promise_date: dt.date | None = None
    """The date the customer promised to pay."""

    def __attrs_post_init__(self) -> None:
        # The usual item (an id, dates, finite Decimal amounts, no qualification) is
        # recognised with a few type tests; anything else takes the full check,
        # which names the field at fault.
        amount, open_amount, item_id = self.amount, self.open_amount, self.id
        if not (
            type(item_id) is str
            and item_id
            and item_id == item_id.strip()
            and item_id.isprintable()  # else check_id says which character is refused
            and self.kind.__class__ is ItemKind
            and type(self.issue_date) is _DATE
            and type(self.due_date) is _DATE
            and _amounts_ok(amount, open_amount)
            and self.reference.__class__ is str
            and self.reference.isprintable()  # else check_text looks for lone surrogates
            and self.comment.__class__ is str
            and self.comment.isprintable()
            and self.status is None
            and self.status_date is None
            and self.owner is None
            and self.promise_date is None
        ):
            self._check_fields()
        problem = _amount_problem(self.kind, amount, open_amount)
        if problem is not None:
            fail(self._owner, problem)

    @property
    def _owner(self) -> str:
        return f"item {self.id!r}"

    def _check_fields(self) -> None:
        check_id("item", "id", self.id)
        owner = self._owner
        check_enum(owner, "kind", self.kind, ItemKind)
        check_date(owner, "issue_date", self.issue_date)
        check_date(owner, "due_date", self.due_date)
        check_amount(owner, "amount", self.amount)
        check_amount(owner, "open_amount", self.open_amount)
        check_text(owner, "reference", self.reference)
        check_text(owner, "comment", self.comment)
        if self.status is not None:
            check_id(owner, "status", self.status)
        check_date(owner, "status_date", self.status_date, optional=True)
        check_text(owner, "owner", self.owner, optional=True)
        check_date(owner, "promise_date", self.promise_date, optional=True)

    @property
    def is_open(self) -> bool:
        """Whether something remains to be paid or allocated (``open_amount != 0``)."""
        return bool(self.open_amount)

    @property
    def is_closed(self) -> bool:
        """Whether the item is settled (``open_amount == 0``)."""
        return not self.open_amount

    @property
    def is_debit(self) -> bool:
        """Whether the customer owes this item (``open_amount > 0``)."""
        return self.open_amount > ZERO

    @property
    def is_credit(self) -> bool:
        """Whether this item is owed to the customer (``open_amount < 0``)."""
        return self.open_amount < ZERO

    def is_overdue(self, on: dt.date) -> bool:
        """Whether the item is a debit whose due date is before ``on``."""
        return self.open_amount > ZERO and self.due_date < on

    def days_late(self, on: dt.date) -> int:
        """Days from the due date to ``on``, or 0 when ``on`` is not after the due date."""
        return max(0, (on - self.due_date).days)


# The slots of an Item, set directly by ``new_item`` (attrs sets them the same way).
(
    _set_id,
    _set_kind,
    _set_issue_date,
    _set_due_date,
    _set_amount,
    _set_open_amount,
    _set_reference,
    _set_status,
    _set_status_date,
    _set_comment,
    _set_owner,
    _set_promise_date,
) = (getattr(Item, field.name).__set__ for field in attrs.fields(Item))
_new = object.__new__


def new_item(
    item_id: str,
    kind: ItemKind | str,
    issue_date: dt.date,
    due_date: dt.date,
    amount: Decimal,
    open_amount: Decimal,
) -> Item:
    """Return ``Item(id=item_id, kind=kind, ...)``: the same item, or the same error.

    The loaders' constructor, for millions of rows: an unqualified item whose values
    already have the field types passes the rules of ``Item`` here and is built without
    the keyword call, converters and field-by-field checks (about twice as fast).  Any
    other input goes through ``Item`` itself, which converts it or names what is wrong.
    The CSV and data-frame loaders use it; a loader of your own may too.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> d, amount = date(2026, 1, 5), Decimal("120.00")
    >>> new_item("F-1", ItemKind.INVOICE, d, d, amount, amount) == Item(
    ...     id="F-1", kind="INVOICE", issue_date=d, due_date=d, amount=amount, open_amount=amount)
    True
    """
    if (
        type(item_id) is str
        and item_id
        and item_id == item_id.strip()
        and item_id.isprintable()  # else check_id says which character is refused
        and kind.__class__ is ItemKind
        and type(issue_date) is _DATE
        and type(due_date) is _DATE
        and _amounts_ok(amount, open_amount)
        and _amount_problem(kind, amount, open_amount) is None
    ):
        item = _new(Item)
        _set_id(item, item_id)
        _set_kind(item, kind)
        _set_issue_date(item, issue_date)
        _set_due_date(item, due_date)
        _set_amount(item, amount)
        _set_open_amount(item, open_amount)
        _set_reference(item, "")
        _set_status(item, None)
        _set_status_date(item, None)
        _set_comment(item, "")
        _set_owner(item, None)
        _set_promise_date(item, None)
        return item
    return Item(
        id=item_id,
        kind=kind,
        issue_date=issue_date,
        due_date=due_date,
        amount=amount,
        open_amount=open_amount,
    )
