"""An immutable, hashable mapping, so that records holding a mapping stay hashable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


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
