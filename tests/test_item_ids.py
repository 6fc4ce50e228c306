"""``ItemIds``: an agenda row's set of item ids behaves as the frozenset of the same ids."""

from __future__ import annotations

import copy
import json
import pickle
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import ItemIds, ValidationError

ids_lists = st.lists(st.sampled_from([f"F-{n}" for n in range(40)]), max_size=40)


@given(left=ids_lists, right=ids_lists)
def test_it_behaves_as_the_frozenset_of_its_ids(left: list[str], right: list[str]) -> None:
    ids, other = ItemIds(left), frozenset(right)
    plain = frozenset(left)
    assert ids == plain
    assert plain == ids
    assert not ids != plain  # noqa: SIM202  # != is its own method
    assert not plain != ids  # noqa: SIM202
    assert hash(ids) == hash(plain)
    assert len(ids) == len(plain)
    assert list(ids) == list(dict.fromkeys(left))  # the order it was built with, once each
    for item_id in {*left, *right, "X"}:
        assert (item_id in ids) is (item_id in plain)
    assert (ids <= other) is (plain <= other)
    assert (ids < other) is (plain < other)
    assert (ids >= other) is (plain >= other)
    assert (ids > other) is (plain > other)
    assert ids & other == plain & other
    assert other & ids == plain & other
    assert ids | other == plain | other
    assert other | ids == plain | other
    assert ids - other == plain - other
    assert other - ids == other - plain
    assert ids ^ other == plain ^ other
    assert ids.isdisjoint(other) is plain.isdisjoint(other)
    assert ids.issubset(right) is plain.issubset(right)
    assert ids.issuperset(right) is plain.issuperset(right)
    assert ids.union(right) == plain.union(right)
    assert ids.intersection(right) == plain.intersection(right)
    assert ids.difference(right) == plain.difference(right)
    assert isinstance(ids & other, ItemIds)
    assert isinstance(ids.union(right), ItemIds)
    assert ids == ItemIds(reversed(left))
    assert hash(ids) == hash(ItemIds(reversed(left)))


@given(ids_lists)
def test_it_pickles_copies_and_serializes_as_its_ids(left: list[str]) -> None:
    ids = ItemIds(left)
    "F-1" in ids  # noqa: B015  # a large set caches its lookup table: never carried along
    for twin in (pickle.loads(pickle.dumps(ids)), copy.copy(ids), copy.deepcopy(ids)):
        assert twin == ids
        assert list(twin) == list(ids)
        assert isinstance(twin, ItemIds)
        assert type(twin) is type(ids)  # a large set's lookup kind too
    assert json.loads(json.dumps(ids)) == list(ids)
    assert eval(repr(ids), {"ItemIds": ItemIds}) == ids  # a repr round trip


def test_it_is_a_set_not_a_sequence() -> None:
    ids = ItemIds(["F-1", "F-2"])
    with pytest.raises(TypeError, match="no positions"):
        ids[0]
    with pytest.raises(TypeError, match=r"\|"):
        ids + ids  # type: ignore[operator]
    with pytest.raises(TypeError, match="repeated"):
        ids * 2  # type: ignore[operator]
    with pytest.raises(AttributeError, match="immutable"):
        ids.extra = 1  # type: ignore[attr-defined]
    assert ids != ("F-1", "F-2")  # a set is never equal to a sequence
    assert ids != ["F-1", "F-2"]


@pytest.mark.parametrize(
    ("given_ids", "message"),
    [
        ("F-1", "ids must be a collection of str, not 'F-1'"),
        (7, "ids must be a collection of str, not 7"),
        (["F-1", 7], "an item id must be a str, not 7"),
    ],
)
def test_bad_ids_are_a_validation_error(given_ids: object, message: str) -> None:
    with pytest.raises(ValidationError, match=f"^ItemIds: {message}$"):
        ItemIds(given_ids)  # type: ignore[arg-type]


def test_a_small_set_takes_a_tuples_memory() -> None:
    # An agenda keeps one per row, by the hundred thousand: no instance dictionary.
    for count in (0, 1, 16):
        ids = ItemIds(f"F-{n}" for n in range(count))
        assert sys.getsizeof(ids) == sys.getsizeof(tuple(ids))
        assert not hasattr(ids, "__dict__")
    assert hasattr(ItemIds(f"F-{n}" for n in range(17)), "__dict__")  # for its lookup table


def test_combining_sets_keeps_the_lookup_kind() -> None:
    many = ItemIds(f"F-{n}" for n in range(40))
    assert type(many & {"F-1"}) is ItemIds
    assert type(many - {"F-1"}) is type(many)  # 39 ids: a table again
    assert "F-39" in many - {"F-1"}
    assert "F-1" not in many - {"F-1"}


def test_a_large_set_looks_up_in_a_table_built_once() -> None:
    ids = ItemIds(f"F-{n}" for n in range(40))
    assert "F-39" in ids
    assert "F-40" not in ids
    assert ids.__dict__["_set"] == frozenset(ids)  # built by the first lookup, kept
    assert "F-0" in ids


def test_a_sequence_operation_says_what_to_do_instead() -> None:
    ids = ItemIds(["F-1", "F-2"])
    with pytest.raises(TypeError) as raised:
        ids[0]
    assert str(raised.value) == "ItemIds is a set: it has no positions (sorted(ids) gives a list)"
    with pytest.raises(TypeError) as raised:
        ids + ids  # type: ignore[operator]
    assert str(raised.value) == "ItemIds is a set: combine sets with | (union), not +"
    with pytest.raises(TypeError) as raised:
        ids * 2  # type: ignore[operator]
    assert str(raised.value) == "ItemIds is a set: it cannot be repeated"


def test_a_part_of_the_ids_is_not_equal_to_them() -> None:
    assert ItemIds(["F-1"]) != ItemIds(["F-1", "F-2"])
    assert ItemIds(["F-1"]) != frozenset({"F-1", "F-2"})
    assert not ItemIds(["F-1", "F-2"]) == {"F-1"}  # noqa: SIM201  # == is its own method
