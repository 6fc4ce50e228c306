"""Items (SPEC §1 "Item"): fields, sign rules, derived properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import Item, ItemKind, ValidationError
from collectlib.model.items import new_item
from collectlib.strategies import items

DAY = dt.date(2026, 1, 5)
DUE = dt.date(2026, 2, 4)
MIDNIGHT = dt.datetime(2026, 2, 4)


def item(**changes: Any) -> Item:
    """A valid invoice 'F-1' of 100 with 60 open, changed as asked."""
    fields: dict[str, Any] = {
        "id": "F-1",
        "kind": ItemKind.INVOICE,
        "issue_date": DAY,
        "due_date": DUE,
        "amount": Decimal(100),
        "open_amount": Decimal(60),
    }
    return Item(**{**fields, **changes})


def test_a_valid_item_keeps_its_fields() -> None:
    built = item(reference="PO-7", status="call", status_date=DUE, comment="c", owner="ana")
    assert built.id == "F-1"
    assert built.kind is ItemKind.INVOICE
    assert (built.amount, built.open_amount) == (Decimal(100), Decimal(60))
    assert (built.reference, built.status, built.owner) == ("PO-7", "call", "ana")


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        pytest.param({"id": ""}, r"^item: id must be a non-empty string", id="empty id"),
        pytest.param({"id": " F-1"}, r"^item: id must be .* not ' F-1'$", id="padded id"),
        pytest.param({"id": 12}, r"^item: id must be .*, not 12$", id="int id"),
        pytest.param({"id": None}, r"^item: id must be .*, not None$", id="no id"),
        pytest.param(
            {"kind": "BILL"},
            r"^item 'F-1': kind: unknown ItemKind 'BILL' "
            r"\(one of INVOICE, CREDIT_NOTE, PAYMENT, OTHER\)$",
            id="unknown kind",
        ),
        pytest.param({"kind": "invoice"}, r"kind: unknown ItemKind 'invoice'", id="lower kind"),
        pytest.param({"kind": 1}, r"kind: unknown ItemKind 1 ", id="int kind"),
        pytest.param(
            {"issue_date": MIDNIGHT},
            r"^item 'F-1': issue_date must be a date, not datetime\.datetime\(2026, 2, 4, 0, 0\)$",
            id="datetime issue_date",
        ),
        pytest.param(
            {"due_date": MIDNIGHT}, r"^item 'F-1': due_date must be a date", id="datetime due_date"
        ),
        pytest.param(
            {"due_date": "2026-02-04"},
            r"^item 'F-1': due_date must be a date, not '2026-02-04'$",
            id="text due_date",
        ),
        pytest.param({"due_date": None}, r"due_date must be a date, not None", id="no due_date"),
        pytest.param(
            {"status_date": MIDNIGHT},
            r"^item 'F-1': status_date must be a date",
            id="datetime status_date",
        ),
        pytest.param(
            {"promise_date": MIDNIGHT},
            r"^item 'F-1': promise_date must be a date",
            id="datetime promise_date",
        ),
        pytest.param(
            {"amount": True}, r"^item 'F-1': amount: not an amount: True$", id="bool amount"
        ),
        pytest.param(
            {"open_amount": False},
            r"^item 'F-1': open_amount: not an amount: False$",
            id="bool open_amount",
        ),
        pytest.param(
            {"amount": "abc"}, r"^item 'F-1': amount: not an amount: 'abc'$", id="text amount"
        ),
        pytest.param(
            {"amount": float("nan")},
            r"^item 'F-1': amount: not an amount: Decimal\('NaN'\)$",
            id="nan amount",
        ),
        pytest.param(
            {"amount": float("inf")},
            r"^item 'F-1': amount: not an amount: Decimal\('Infinity'\)$",
            id="inf amount",
        ),
        pytest.param(
            {"open_amount": Decimal("-Infinity")},
            r"^item 'F-1': open_amount: not an amount",
            id="-inf open_amount",
        ),
        pytest.param(
            {"open_amount": Decimal("sNaN")},
            r"^item 'F-1': open_amount: not an amount",
            id="snan open_amount",
        ),
        pytest.param({"amount": None}, r"amount: not an amount: None", id="no amount"),
        pytest.param(
            {"reference": None}, r"^item 'F-1': reference must be a string", id="no reference"
        ),
        pytest.param({"comment": 5}, r"^item 'F-1': comment must be a string", id="int comment"),
        pytest.param({"owner": 5}, r"^item 'F-1': owner must be a string", id="int owner"),
        pytest.param(
            {"status": ""}, r"^item 'F-1': status must be a non-empty string", id="empty status"
        ),
        pytest.param({"status": 3}, r"^item 'F-1': status must be", id="int status"),
    ],
)
def test_a_bad_field_is_a_validation_error_naming_the_item_and_field(
    changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        item(**changes)


@pytest.mark.parametrize(
    ("kind", "amount", "match"),
    [
        (ItemKind.INVOICE, 0, r"^item 'F-1': an INVOICE has a positive amount, not 0$"),
        (ItemKind.INVOICE, -5, r"^item 'F-1': an INVOICE has a positive amount, not -5$"),
        (ItemKind.CREDIT_NOTE, 5, r"^item 'F-1': a CREDIT_NOTE has a negative amount, not 5$"),
        (ItemKind.CREDIT_NOTE, 0, r"^item 'F-1': a CREDIT_NOTE has a negative amount, not 0$"),
        (ItemKind.PAYMENT, "0.01", r"^item 'F-1': a PAYMENT has a negative amount, not 0\.01$"),
        (ItemKind.PAYMENT, 0, r"^item 'F-1': a PAYMENT has a negative amount, not 0$"),
        (ItemKind.OTHER, 0, r"^item 'F-1': amount must not be zero$"),
        (ItemKind.OTHER, "-0.00", r"^item 'F-1': amount must not be zero$"),
    ],
)
def test_the_kind_fixes_the_sign_of_the_amount(kind: ItemKind, amount: object, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        item(kind=kind, amount=amount, open_amount=0)


@pytest.mark.parametrize(
    ("kind", "amount"),
    [
        (ItemKind.INVOICE, "0.01"),
        (ItemKind.CREDIT_NOTE, -5),
        (ItemKind.PAYMENT, "-1200.50"),
        (ItemKind.OTHER, 7),
        (ItemKind.OTHER, -7),
    ],
)
def test_each_kind_accepts_its_sign(kind: ItemKind, amount: object) -> None:
    built = item(kind=kind, amount=amount, open_amount=amount)
    assert built.amount == built.open_amount == Decimal(str(amount))


@pytest.mark.parametrize(
    ("amount", "open_amount", "match"),
    [
        (100, -1, r"^item 'F-1': open_amount -1 has not the sign of amount 100$"),
        (-50, 1, r"^item 'F-1': open_amount 1 has not the sign of amount -50$"),
        (100, "120.00", r"^item 'F-1': open_amount 120\.00 exceeds amount 100$"),
        (-50, "-50.01", r"^item 'F-1': open_amount -50\.01 exceeds amount -50$"),
    ],
)
def test_the_open_amount_has_the_sign_of_the_amount_and_never_exceeds_it(
    amount: object, open_amount: object, match: str
) -> None:
    kind = ItemKind.INVOICE if Decimal(str(amount)) > 0 else ItemKind.CREDIT_NOTE
    with pytest.raises(ValidationError, match=match):
        item(kind=kind, amount=amount, open_amount=open_amount)


@pytest.mark.parametrize("open_amount", [0, "0.00", "-0", 100, "99.99", "0.01"])
def test_an_open_amount_from_zero_to_the_amount_is_valid(open_amount: object) -> None:
    assert item(amount=100, open_amount=open_amount).open_amount == Decimal(str(open_amount))


def test_the_due_date_may_precede_the_issue_date() -> None:
    assert item(issue_date=DUE, due_date=DAY).due_date == DAY


def test_amounts_are_read_as_decimals_and_a_float_through_str() -> None:
    built = item(amount=100.1, open_amount=" 50.05 ")
    assert (built.amount, built.open_amount) == (Decimal("100.1"), Decimal("50.05"))
    assert item(kind="CREDIT_NOTE", amount=-3, open_amount=-3).amount == Decimal(-3)


def test_the_kind_is_read_from_its_value() -> None:
    assert item(kind="OTHER", amount=-1, open_amount=0).kind is ItemKind.OTHER


def test_a_bad_field_is_reported_before_the_sign_rules() -> None:
    with pytest.raises(ValidationError, match=r"^item 'F-1': due_date must be a date"):
        item(due_date=MIDNIGHT, amount=-5)


_SIGNS = st.integers(-300, 300).map(Decimal)


@given(kind=st.sampled_from(ItemKind), amount=_SIGNS, open_amount=_SIGNS)
def test_an_item_is_valid_exactly_when_the_sign_rules_hold(
    kind: ItemKind, amount: Decimal, open_amount: Decimal
) -> None:
    kind_ok = {
        ItemKind.INVOICE: amount > 0,
        ItemKind.CREDIT_NOTE: amount < 0,
        ItemKind.PAYMENT: amount < 0,
        ItemKind.OTHER: amount != 0,
    }[kind]
    open_ok = open_amount == 0 or (
        (open_amount > 0) == (amount > 0) and abs(open_amount) <= abs(amount)
    )
    if kind_ok and open_ok:
        built = item(kind=kind, amount=amount, open_amount=open_amount)
        assert (built.amount, built.open_amount) == (amount, open_amount)
    else:
        with pytest.raises(ValidationError, match=r"^item 'F-1': "):
            item(kind=kind, amount=amount, open_amount=open_amount)


@given(items(), st.dates(dt.date(2019, 1, 1), dt.date(2032, 12, 31)))
def test_closed_debit_credit_overdue_and_days_late_follow_the_open_amount(
    drawn: Item, on: dt.date
) -> None:
    assert drawn.is_closed is (drawn.open_amount == 0)
    assert drawn.is_open is not drawn.is_closed
    assert drawn.is_debit is (drawn.open_amount > 0)
    assert drawn.is_credit is (drawn.open_amount < 0)
    assert drawn.is_overdue(on) is (drawn.is_debit and drawn.due_date < on)
    assert drawn.days_late(on) == max(0, (on - drawn.due_date).days)


@given(items())
def test_an_item_rebuilt_from_its_fields_is_equal_and_hashes_alike(drawn: Item) -> None:
    copy = Item(**attrs.asdict(drawn, recurse=False))
    assert copy == drawn
    assert hash(copy) == hash(drawn)


_IDS = st.one_of(st.just("F-1"), st.text(max_size=4), st.integers(), st.none())
_KINDS = st.one_of(
    st.sampled_from(ItemKind), st.sampled_from([k.value for k in ItemKind]), st.just("BILL")
)
_ODD = [Decimal("NaN"), Decimal("-Infinity"), Decimal("-0"), Decimal("0.00")]
_DAYS = st.one_of(st.dates(), st.datetimes(), st.just("2026-02-04"), st.none())
_AMOUNTS = st.one_of(
    st.decimals(places=2, min_value=-1000, max_value=1000),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("-0"), Decimal("0.00"), Decimal("-0.00")]),
    st.integers(-1000, 1000),
    st.just("12.50"),
)


def _outcome(build: Any, *values: object) -> tuple[str, object]:
    try:
        return "built", build(*values)
    except ValidationError as error:
        return "refused", str(error)


def _by_keywords(*values: object) -> Item:
    names = ("id", "kind", "issue_date", "due_date", "amount", "open_amount")
    return Item(**dict(zip(names, values, strict=True)))


_WILD = st.tuples(_IDS, _KINDS, _DAYS, _DAYS, _AMOUNTS, _AMOUNTS)
_TYPED = st.tuples(  # what a loader passes: the field types, the rules broken or not
    st.sampled_from(["F-1", "F-2", " F-3", ""]),
    st.sampled_from(ItemKind),
    st.dates(),
    st.dates(),
    st.decimals(places=2, min_value=-1000, max_value=1000) | st.sampled_from(_ODD),
    st.decimals(places=2, min_value=-1000, max_value=1000) | st.sampled_from(_ODD),
)


@given(values=_TYPED | _WILD, unpaid=st.booleans())
def test_the_loaders_constructor_builds_and_refuses_exactly_what_item_does(
    values: tuple[Any, ...], unpaid: bool
) -> None:
    """``new_item`` (the CSV loader's fast path) is ``Item(...)`` with fewer steps."""
    if unpaid:
        values = (*values[:5], values[4])  # the loader passes one Decimal for both
    fast = _outcome(new_item, *values)
    assert fast == _outcome(_by_keywords, *values)
    if fast[0] == "built":
        built = fast[1]
        assert type(built) is Item
        assert attrs.asdict(built, recurse=False) == attrs.asdict(
            _by_keywords(*values), recurse=False
        )
        assert hash(built) == hash(_by_keywords(*values))


_HUNDRED, _SIXTY = Decimal(100), Decimal(60)


@pytest.mark.parametrize(
    "values",
    [
        ("F-1", ItemKind.INVOICE, DAY, DUE, _HUNDRED, _SIXTY),
        (" F-1", ItemKind.INVOICE, DAY, DUE, _HUNDRED, _SIXTY),
        ("F-1", "INVOICE", DAY, DUE, _HUNDRED, _SIXTY),
        ("F-1", "BILL", DAY, DUE, _HUNDRED, _SIXTY),
        ("F-1", ItemKind.INVOICE, MIDNIGHT, DUE, _HUNDRED, _SIXTY),
        ("F-1", ItemKind.INVOICE, DAY, MIDNIGHT, _HUNDRED, _SIXTY),
        ("F-1", ItemKind.INVOICE, DAY, DUE, _HUNDRED, Decimal(120)),
        ("F-1", ItemKind.CREDIT_NOTE, DAY, DUE, _HUNDRED, _HUNDRED),
    ],
)
def test_the_loaders_constructor_refuses_each_broken_rule_as_item_does(
    values: tuple[Any, ...],
) -> None:
    fast = _outcome(new_item, *values)
    assert fast == _outcome(_by_keywords, *values)
    if fast[0] == "built":
        assert attrs.asdict(fast[1], recurse=False) == attrs.asdict(
            _by_keywords(*values), recurse=False
        )
        assert type(fast[1].kind) is ItemKind  # type: ignore[attr-defined]
