"""Immutable containers: a hashable mapping for records, a compact set of item ids for rows."""

from __future__ import annotations

import collections
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Generic, NoReturn, TypeVar

import attrs

from collectlib.errors import ValidationError

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


@functools.cache
def _builder(cls: type) -> tuple[Callable[[Any, dict[str, Any]], Any], frozenset[str]]:
    """Return a function that copies a record of ``cls`` with changes, and the field names.

    Generated once per class, as attrs generates ``__init__``: one line per field,
    setting its slot directly (twice as fast as a loop over the fields).
    """
    names = [field.name for field in attrs.fields(cls)]
    scope: dict[str, Any] = {"new_": object.__new__, "cls_": cls}
    lines = ["def build(record, changes):", "    new = new_(cls_)", "    get = changes.get"]
    for at, name in enumerate(names):
        scope[f"set{at}_"] = getattr(cls, name).__set__
        lines.append(f"    set{at}_(new, get({name!r}, record.{name}))")
    lines.append("    return new")
    exec("\n".join(lines), scope)  # noqa: S102  # names from attrs.fields, no outside text
    return scope["build"], frozenset(names)


def trusted_evolve(record: R, **changes: Any) -> R:
    """Return ``attrs.evolve(record, **changes)`` without converting or validating it again.

    The rules' constructor for a record they derive from a validated one, with changes
    they built from checked arguments and validated records (tuples, not lists: no
    converter runs), which keep every rule of the record's class: one ``evolve`` per
    operation, no second check of what did not change.  Each rule that uses it has a
    property that its result equals the validated constructor's.  The public
    constructors (the class itself, ``attrs.evolve``) keep validating everything.

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     left: int
    ...     right: int
    >>> trusted_evolve(Pair(1, 2), right=3)
    Pair(left=1, right=3)
    """
    cls: type = type(record)
    build, names = _builder(cls)
    if not changes.keys() <= names:  # a misspelt field: the programmer's error
        raise TypeError(f"{cls.__name__} has no field {sorted(changes.keys() - names)}")
    new: R = build(record, changes)
    return new


def trusted_new(cls: type[R], **fields: Any) -> R:
    """Return ``cls(**fields)`` without converting or validating: ``trusted_evolve``'s twin.

    For a record a rule builds from checked arguments and validated records, each value
    already of its field's type (a ``frozenset``, an enum member, a ``Decimal``).

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     left: int
    ...     right: int = 0
    >>> trusted_new(Pair, left=1)
    Pair(left=1, right=0)
    """
    kind: type = cls
    make: Callable[..., R] = trusted_maker(kind, tuple(fields))
    return make(*fields.values())


@functools.cache
def trusted_maker(cls: type[R], names: tuple[str, ...]) -> Callable[..., R]:
    """Return ``trusted_new`` by position: ``make(v0, v1, ...)`` sets the fields ``names``.

    For a loader that checked whole columns in bulk and builds records by the million
    (``map(make, column0, column1, ...)``): no keywords, no dict, one line per field;
    the other fields get their plain defaults.  Generated once per class and names.

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     left: int
    ...     right: int = 0
    >>> list(map(trusted_maker(Pair, ("left",)), [1, 2]))
    [Pair(left=1, right=0), Pair(left=2, right=0)]
    """
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # an attrs class, as the others here
    unknown = set(names) - {field.name for field in fields}
    if unknown:  # a misspelt field: the programmer's error
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)}")
    missing = [f.name for f in fields if f.default is attrs.NOTHING and f.name not in names]
    if missing:
        raise TypeError(f"{cls.__name__} needs the fields {missing}")
    scope: dict[str, Any] = {"new_": object.__new__, "cls_": cls}
    arguments = ", ".join(f"v{at}" for at in range(len(names)))
    lines = [f"def make({arguments}):", "    new = new_(cls_)"]
    for at, field in enumerate(fields):
        scope[f"set{at}_"] = getattr(cls, field.name).__set__
        if field.name in names:
            value = f"v{names.index(field.name)}"
        else:  # a plain default: the classes built so have no factory
            scope[f"default{at}_"] = field.default
            value = f"default{at}_"
        lines.append(f"    set{at}_(new, {value})")
    lines.append("    return new")
    exec("\n".join(lines), scope)  # noqa: S102  # names from attrs.fields, no outside text
    return scope["make"]  # type: ignore[no-any-return]


_drain: Callable[[Iterable[Any]], None] = collections.deque(
    maxlen=0
).extend  # runs an iterator to its end, keeping nothing


def trusted_columns(cls: type[R], count: int, **columns: Sequence[Any]) -> list[R]:
    """Return ``count`` records of ``cls``, the i-th from the i-th value of each column.

    ``trusted_new``'s bulk twin, for a loader that checked its values column by column
    (one check of a million ids, of a million amounts...): the records are built a
    field at a time, each field set on every record by one ``map`` that runs in C,
    with no Python call per record.  A field without a column takes its (plain)
    default.  Each loader that uses it has a property that its records equal the
    validated constructor's.

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     left: int
    ...     right: int = 0
    >>> trusted_columns(Pair, 2, left=[1, 2])
    [Pair(left=1, right=0), Pair(left=2, right=0)]
    """
    kind: type = cls
    _, names = _builder(kind)
    if not columns.keys() <= names:  # a misspelt field: the programmer's error
        raise TypeError(f"{kind.__name__} has no field {sorted(columns.keys() - names)}")
    short = sorted(name for name, values in columns.items() if len(values) != count)
    if short:
        raise TypeError(f"the columns {short} do not have {count} values")
    records: list[R] = list(map(object.__new__, itertools.repeat(kind, count)))
    for field in attrs.fields(kind):
        values: Iterable[Any] | None = columns.get(field.name)
        if values is None:
            if field.default is attrs.NOTHING or isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                raise TypeError(f"{kind.__name__}.{field.name} needs a column")
            values = itertools.repeat(field.default, count)
        _drain(map(getattr(kind, field.name).__set__, records, values))
    return records


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping with a hash; equal to any mapping with the same pairs.

    It pickles and copies as its pairs: the hash, cached on first use, is computed again
    in the process that loads it (a string's hash changes with ``PYTHONHASHSEED``).

    >>> m = FrozenMap({"public": "gentle"})
    >>> m["public"], len(m), hash(m) == hash(FrozenMap({"public": "gentle"}))
    ('gentle', 1, True)
    >>> import pickle
    >>> pickle.loads(pickle.dumps(m)) == m
    True
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, pairs: Mapping[K, V] | None = None) -> None:
        self._data: dict[K, V] = dict(pairs or {})
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]
        """Return the value for ``key``, or ``default``."""
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        # Rebuilt from its pairs, so neither a pickle nor a copy carries the cached hash.
        return (type(self), (self._data,))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


class ItemIds(tuple[str, ...], AbstractSet[str]):  # a tuple's storage, a set's behaviour
    """An immutable set of item ids, iterated in the order it was built with.

    An agenda row's ``item_ids``: it compares, hashes and combines like the
    ``frozenset`` of the same ids (``==``, ``hash``, ``in``, ``<=``, ``&``, ``|``,
    ``-``, ``^``, ``issubset``, ``union``...), and costs a tuple's memory and build
    time, the agenda building one per row by the hundred thousand.  Its order is
    reproducible (the account's item order on scenario and review rows), but it is
    a set, not a sequence: it has no positions and no ``+``.

    >>> ids = ItemIds(["F-2", "F-1", "F-2"])
    >>> ids
    ItemIds(['F-2', 'F-1'])
    >>> ids == {"F-1", "F-2"}, "F-1" in ids, ids & {"F-1", "F-9"}, ids <= {"F-1", "F-2", "F-3"}
    (True, True, ItemIds(['F-1']), True)
    >>> hash(ids) == hash(frozenset({"F-1", "F-2"}))
    True
    """

    # No instance dictionary: a tuple's memory exactly (a set of more than
    # ``_SCAN_UP_TO`` ids is a ``_ManyItemIds``, which keeps a lookup table).
    __slots__ = ()

    def __new__(cls, ids: Iterable[str] = ()) -> ItemIds:
        """Return the set of ``ids`` (repeats dropped, the first occurrence kept)."""
        if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
            raise ValidationError(f"ItemIds: ids must be a collection of str, not {ids!r}")
        unique = list(dict.fromkeys(ids))
        for item_id in unique:
            if type(item_id) is not str:
                raise ValidationError(f"ItemIds: an item id must be a str, not {item_id!r}")
        return item_ids_trusted(unique)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ItemIds is immutable: cannot set {name!r}")

    def __contains__(self, value: object) -> bool:
        return tuple.__contains__(self, value)  # up to _SCAN_UP_TO ids: a scan is fastest

    def __hash__(self) -> int:
        return hash(frozenset(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AbstractSet):
            return len(self) == len(other) and self.__le__(other)
        if isinstance(other, tuple):  # else tuple's reflected == would compare positions
            return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __lt__ = AbstractSet.__lt__  # type: ignore[assignment]
    __le__ = AbstractSet.__le__  # type: ignore[assignment]
    __gt__ = AbstractSet.__gt__  # type: ignore[assignment]
    __ge__ = AbstractSet.__ge__  # type: ignore[assignment]

    def __getitem__(self, index: object) -> NoReturn:
        raise TypeError("ItemIds is a set: it has no positions (sorted(ids) gives a list)")

    def __add__(self, other: object) -> NoReturn:
        raise TypeError("ItemIds is a set: combine sets with | (union), not +")

    def __mul__(self, other: object) -> NoReturn:
        raise TypeError("ItemIds is a set: it cannot be repeated")

    __rmul__ = __mul__

    def issubset(self, other: Iterable[object]) -> bool:
        """Return whether every id is in ``other``."""
        return frozenset(self).issubset(other)

    def issuperset(self, other: Iterable[object]) -> bool:
        """Return whether every element of ``other`` is in this set."""
        return frozenset(self).issuperset(other)

    def union(self, *others: Iterable[str]) -> ItemIds:
        """Return the ids in this set or in any of ``others``."""
        return ItemIds(itertools.chain(self, *others))

    def intersection(self, *others: Iterable[object]) -> ItemIds:
        """Return the ids in this set and in every one of ``others``."""
        common = frozenset(self).intersection(*others)
        return item_ids_trusted([item_id for item_id in self if item_id in common])

    def difference(self, *others: Iterable[object]) -> ItemIds:
        """Return the ids in this set and in none of ``others``."""
        left = frozenset(self).difference(*others)
        return item_ids_trusted([item_id for item_id in self if item_id in left])

    def __reduce__(self) -> tuple[type[ItemIds], tuple[tuple[str, ...]]]:
        # Rebuilt from its ids: neither a pickle nor a copy carries the lookup table.
        return (ItemIds, (tuple(self),))

    def __repr__(self) -> str:
        return f"ItemIds({list(self)!r})"


_SCAN_UP_TO = 16  # up to this many ids, a scan of the tuple beats building a hash table


class _ManyItemIds(ItemIds):
    """An ``ItemIds`` of more than ``_SCAN_UP_TO`` ids: ``in`` looks up a table built once."""

    def __contains__(self, value: object) -> bool:
        found = self.__dict__.get("_set")
        if found is None:
            found = self.__dict__["_set"] = frozenset(self)
        return value in found


_new_ids = tuple.__new__


def item_ids_trusted(ids: list[str]) -> ItemIds:
    """Return the ``ItemIds`` of ``ids``, str each and unique already: no check, no copy."""
    return _new_ids(ItemIds if len(ids) <= _SCAN_UP_TO else _ManyItemIds, ids)
