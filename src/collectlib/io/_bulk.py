"""The loaders' checks of a column of values at a time: a million items at C speed.

A CSV batch or a JSON portfolio is read a column at a time (every item id, every
amount...): each check here answers for a whole column with a few calls that run in
C (``map``, ``set``, ``str.join``), and says only whether every value passes the rules
of ``Item`` and ``Account``; it never says why one does not.  A loader whose column
fails a check reads those values again through the public constructors, one at a
time, which name the line or the path and the field at fault: the bulk path is only
ever a faster way to the same records (each loader has a property that its records
equal the reference path's).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from itertools import accumulate, chain, compress, repeat
from operator import ge, gt, is_, is_not, itemgetter, le, ne, not_
from typing import Any

import attrs
import cattrs

from collectlib._checks import read_date
from collectlib._frozen import trusted_columns
from collectlib.enums import ItemKind
from collectlib.errors import CollectError
from collectlib.io.converters import converter
from collectlib.languages import is_language
from collectlib.model import Account, Item
from collectlib.money import CURRENCIES, ZERO, is_amount

__all__ = [
    "CHUNK",
    "KINDS",
    "amounts_of",
    "collection_paused",
    "dates_of",
    "ids_ok",
    "kinds_in",
    "new_items",
    "pause_collection",
    "portfolio_accounts",
    "resume_collection",
    "signs_ok",
    "texts_ok",
    "unique",
    "unique_within",
]

KINDS = {kind.value: kind for kind in ItemKind}
"""Each item kind by its value (``"INVOICE"``)."""

_DEBIT_KINDS = frozenset({ItemKind.INVOICE.value, ItemKind.OTHER.value})
_CREDIT_KINDS = frozenset(
    {ItemKind.CREDIT_NOTE.value, ItemKind.PAYMENT.value, ItemKind.OTHER.value}
)
_SHORT = 18  # a text of at most 18 characters has at most 18 digits: an amount in range


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while records are built, then restore it.

    A million items and their accounts hold no reference cycle, but allocating them
    runs the collector over the whole heap again and again (or, streamed, over each
    block's records as they are promoted): up to half the building time.  The
    collector runs again as before once the block is built (a generator yields with it
    as its caller left it).
    """
    enabled = pause_collection()
    try:
        yield
    finally:
        resume_collection(enabled)


def pause_collection() -> bool:
    """Pause the cycle collector; return whether it ran, for ``resume_collection``.

    ``collection_paused`` by hand, for a loop that must not allocate a record before
    the pause (the allocation of a context manager may run the collector).
    """
    enabled = gc.isenabled()
    gc.disable()
    return enabled


def resume_collection(enabled: bool) -> None:
    """Run the cycle collector again if it ran before ``pause_collection``."""
    if enabled:
        gc.enable()


def unique(values: Sequence[Any]) -> bool:
    """Whether no value comes twice."""
    return len(set(values)) == len(values)


def kinds_in(kinds: Sequence[str]) -> set[str]:
    """Return the distinct values of ``kinds`` (a column of kinds: one, most often)."""
    if kinds and kinds.count(kinds[0]) == len(kinds):  # no hash of each value
        return {kinds[0]}
    return set(kinds)


def unique_within(values: Sequence[Any], bounds: Sequence[int]) -> bool:
    """Whether no value comes twice between two bounds (``values[bounds[i]:bounds[i + 1]]``).

    An account's item ids: most files have no id twice at all, checked at once.
    """
    return unique(values) or all(
        map(unique, map(values.__getitem__, map(slice, bounds, bounds[1:])))
    )


def ids_ok(ids: Sequence[str]) -> bool:
    r"""Whether every id (each a ``str``) is one that ``new_item`` takes at once.

    Non-empty, printable, without surrounding spaces: ``check_id`` is met.  An id that
    is not printable but still an id (``"F\u00a01"``) fails here; the one-at-a-time
    path accepts it.
    """
    joined = "".join(ids)
    # printable: the one white space left is " ", and only an id with one may have it around
    return (
        "" not in ids
        and joined.isprintable()
        and (" " not in joined or list(map(str.strip, ids)) == list(ids))
    )


def texts_ok(texts: Iterable[str]) -> bool:
    """Whether no text (each a ``str``) has a lone surrogate (``check_text``'s rule)."""
    joined = "".join(texts)
    if joined.isprintable():
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 text holds it
        return False
    return True


def dates_of(
    texts: Sequence[str], cache: dict[str, dt.date], read: Callable[[str], dt.date | None]
) -> list[dt.date] | None:
    """Return the date of every text, or ``None`` if one is not a date.

    ``cache`` holds the dates read before (a file has few distinct dates); ``read``
    reads the others, once each.
    """
    try:
        return list(map(cache.__getitem__, texts))
    except KeyError:  # a text not read before
        pass
    for text in set(texts).difference(cache):
        day = read(text)
        if day is None:
            return None
        cache[text] = day
    return list(map(cache.__getitem__, texts))


def amounts_of(
    kinds: Sequence[str],
    amount_texts: Sequence[str],
    open_texts: Sequence[str],
    number: Callable[[str], Decimal],
) -> tuple[list[Decimal], list[Decimal]] | None:
    """Return the amounts and open amounts that ``number`` reads (a value or more), or ``None``.

    ``None`` if a text is not an amount (``number`` refuses it, or it is out of range)
    or an item's amounts do not have the signs and sizes its kind asks (``kinds``:
    the kinds' values, see ``signs_ok``).  An open amount written as its item's
    amount (an unpaid item) is the same object; the others are read once per
    spelling (the zeros of the paid items: one object).
    """
    try:
        amounts = list(map(number, amount_texts))
        differ = list(map(ne, open_texts, amount_texts))  # the paid and part paid items
        others = set(compress(open_texts, differ))
        values = dict(zip(others, map(number, others), strict=True))
        texts = "".join(chain(amount_texts, others))  # a TypeError if one is not a str
    except (InvalidOperation, ValueError, TypeError):
        return None
    # Decimal reads a text with an "n" only as not finite (nan, inf...), with an "e" or
    # an "E" only with an exponent: without them, a short text has at most 18 digits
    if not (
        max(map(len, amount_texts)) <= _SHORT
        and max(map(len, others), default=0) <= _SHORT
        and not any(map(texts.__contains__, "nNeE"))
    ) and not (all(map(is_amount, amounts)) and all(map(is_amount, values.values()))):
        return None
    opens = list(map(values.get, open_texts, amounts))  # an unpaid item's: its amount
    if min(amounts) > ZERO:  # the usual column, debits only: the open amounts of the
        # unpaid items are their amounts, the others must be between zero and them
        if (
            kinds_in(kinds) <= _DEBIT_KINDS
            and min(values.values(), default=ZERO) >= ZERO
            and all(map(le, compress(opens, differ), compress(amounts, differ)))
        ):
            return amounts, opens
        return None
    return (amounts, opens) if signs_ok(kinds, amounts, opens) else None


def signs_ok(kinds: Sequence[str], amounts: Sequence[Decimal], opens: Sequence[Decimal]) -> bool:
    """Whether every item's amounts have the signs and sizes its kind asks (``Item``'s rules).

    ``kinds`` are the kinds' values (``"INVOICE"``).  A debit (an ``INVOICE``, an
    ``OTHER``) is positive and its open amount between zero and it; a credit (a
    ``CREDIT_NOTE``, a ``PAYMENT``, an ``OTHER``) negative and its open amount between
    it and zero.
    """
    if not all(amounts):  # an amount is zero
        return False
    debit = list(map(gt, amounts, repeat(ZERO)))
    credit = list(map(not_, debit))
    debits, credits = list(compress(amounts, debit)), list(compress(amounts, credit))
    debits_open, credits_open = list(compress(opens, debit)), list(compress(opens, credit))
    return (
        set(compress(kinds, debit)) <= _DEBIT_KINDS
        and set(compress(kinds, credit)) <= _CREDIT_KINDS
        and min(debits_open, default=ZERO) >= ZERO
        and all(map(le, debits_open, debits))
        and max(credits_open, default=ZERO) <= ZERO
        and all(map(ge, credits_open, credits))
    )


def new_items(
    ids: Sequence[str],
    kinds: Sequence[str],
    issue_dates: Sequence[dt.date],
    due_dates: Sequence[dt.date],
    amounts: Sequence[Decimal],
    open_amounts: Sequence[Decimal],
    **others: Sequence[Any],
) -> list[Item]:
    """Return the items of these columns, checked by the functions above (the caller's part).

    ``kinds`` are the kinds' values; ``others`` are columns of the other fields
    (``status``...), of values that ``Item`` would keep as they are.
    """
    count = len(ids)
    one = kinds_in(kinds)
    return trusted_columns(
        Item,
        count,
        id=ids,
        kind=[KINDS[one.pop()]] * count if len(one) == 1 else list(map(KINDS.__getitem__, kinds)),
        issue_date=issue_dates,
        due_date=due_dates,
        amount=amounts,
        open_amount=open_amounts,
        **others,
    )


_ITEM_FIELDS = tuple(str(field.alias) for field in attrs.fields(Item))
_ACCOUNT_FIELDS = tuple(str(field.alias) for field in attrs.fields(Account))
# An account's fields that a plain account (most of a portfolio's) leaves at their default
_NONE_FIELDS = (
    "client_type",
    "scenario",
    "collector",
    "group",
    "credit_limit",
    "email",
    "timezone",
)
_EMPTY_FIELDS = ("actions", "plans", "journal")
CHUNK = 256  # the accounts read at a time (their items' values stay in the cache)


@functools.cache
def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """Return the function that gives the values of the fields ``names`` of a record."""
    return itemgetter(*names)  # a tuple: two names or more


def _columns(records: list[Any], names: tuple[str, ...]) -> dict[str, Sequence[Any]] | None:
    """Return the values of each field of ``records`` (JSON objects) by name, or ``None``.

    ``None`` unless every record is an object with exactly the fields ``names``, as
    ``save_portfolio`` writes them (a missing or unknown field: the reference path says
    which).  Each record is read once, all its fields at a time (while it is in the
    cache), then the rows are turned into columns.
    """
    try:
        columns: dict[str, Sequence[Any]] = dict(
            zip(names, zip(*map(_getter(names), records), strict=True), strict=True)
        )
    except (KeyError, TypeError):  # a missing field, a record that is no object
        return None
    # every record has the fields: it has no other if it has no more
    return columns if sum(map(len, records)) == len(names) * len(records) else None


def _none(values: Sequence[Any]) -> bool:
    """Whether every value is ``None``."""
    return all(map(is_, values, repeat(None)))


def _given(values: Sequence[Any]) -> list[Any]:
    """Return the values that are not ``None``."""
    return list(compress(values, map(is_not, values, repeat(None))))


def _dates_or_none(values: Sequence[Any], cache: dict[str, dt.date]) -> Sequence[Any] | None:
    """Read a column of ISO dates and ``None``s, or return ``None`` if a value is neither."""
    if _none(values):
        return values
    if dates_of(_given(values), cache, read_date) is None:
        return None
    return list(map(cache.get, values))


def _portfolio_items(
    records: list[Any], cache: dict[str, dt.date]
) -> tuple[list[Item], Sequence[str]] | None:
    """Return the items of JSON objects and their ids, or ``None`` if one breaks a rule.

    ``cache`` holds the dates read before.  A value of a wrong type fails a check
    (``str.join`` refuses a number, a set a list...): ``None`` too.
    """
    columns = _columns(records, _ITEM_FIELDS)
    if columns is None:
        return None
    ids, kinds, statuses = columns["id"], columns["kind"], columns["status"]
    amount_texts, open_texts = columns["amount"], columns["open_amount"]
    try:
        if not (
            kinds_in(kinds) <= KINDS.keys()
            and ids_ok(ids)
            and (_none(statuses) or ids_ok(_given(statuses)))
            and texts_ok(chain(columns["reference"], columns["comment"], _given(columns["owner"])))
        ):
            return None
        issues = dates_of(columns["issue_date"], cache, read_date)  # a None: not a date
        dues = dates_of(columns["due_date"], cache, read_date)
        status_dates = _dates_or_none(columns["status_date"], cache)
        promise_dates = _dates_or_none(columns["promise_date"], cache)
        read = amounts_of(kinds, amount_texts, open_texts, Decimal)
    except TypeError:  # an unhashable value
        return None
    if read is None or issues is None or dues is None:
        return None
    if status_dates is None or promise_dates is None:
        return None
    amounts, opens = read
    items = new_items(
        ids,
        kinds,
        issues,
        dues,
        amounts,
        opens,
        reference=columns["reference"],
        status=statuses,
        status_date=status_dates,
        comment=columns["comment"],
        owner=columns["owner"],
        promise_date=promise_dates,
    )
    return items, ids


def _plain(columns: Mapping[str, Sequence[Any]]) -> bool:
    """Whether every account of ``columns`` leaves its other fields at their defaults."""
    return (
        all(_none(columns[name]) for name in _NONE_FIELDS)
        and all(map(is_, columns["penalties_enabled"], repeat(False)))
        and all(
            set(map(type, columns[name])) == {list} and not any(columns[name])
            for name in _EMPTY_FIELDS
        )
    )


def _plain_accounts(
    columns: dict[str, Sequence[Any]], cache: dict[str, dt.date]
) -> list[Account] | None:
    """Return the plain accounts of ``columns``, or ``None`` if one breaks a rule."""
    ids, names, currencies = columns["id"], columns["name"], columns["currency"]
    languages, lists = columns["language"], columns["items"]
    try:
        if not (
            set(map(type, lists)) <= {list}
            and ids_ok(ids)
            and texts_ok(names)
            and set(currencies) <= CURRENCIES
            and all(map(is_language, set(_given(languages))))
        ):
            return None
    except TypeError:  # a value of a wrong type
        return None
    read = _portfolio_items(list(chain.from_iterable(lists)), cache) if any(lists) else ([], ())
    if read is None:
        return None
    items, item_ids = read
    bounds = [0, *accumulate(map(len, lists))]
    if not unique_within(item_ids, bounds):
        return None
    ranges = map(slice, bounds, bounds[1:])
    return trusted_columns(
        Account,
        len(ids),
        id=ids,
        name=names,
        currency=currencies,
        language=languages,
        items=list(map(tuple, map(items.__getitem__, ranges))),
    )


def portfolio_accounts(
    records: object, check: Callable[[Any], None], cache: dict[str, dt.date] | None = None
) -> list[Account] | None:
    """Return the accounts of a portfolio's ``accounts`` (JSON data), or ``None``.

    The fast path of ``load_portfolio`` for what ``save_portfolio`` writes: the plain
    accounts (no action, plan, journal event, credit limit...) and their items are
    read a column at a time, a few dozen accounts at a time; any other account by the
    converter, after ``check`` (which raises if it nests too deep).  ``None`` as soon
    as a value breaks a rule or has an unusual shape (an item without its optional
    fields...): the converter reads the whole document again and names every problem
    with its path.
    """
    if type(records) is not list:
        return None
    every: list[Account] = []
    cache = {} if cache is None else cache  # the dates read before
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        columns = _columns(chunk, _ACCOUNT_FIELDS)
        if columns is None:
            return None
        if _plain(columns):
            read = _plain_accounts(columns, cache)
            if read is None:
                return None
            every += read
            continue
        for record in chunk:  # one at a time
            if _plain({name: (record[name],) for name in _ACCOUNT_FIELDS}):
                read = _plain_accounts({name: [record[name]] for name in _ACCOUNT_FIELDS}, cache)
                if read is None:
                    return None
                every += read
                continue
            check(record)
            try:
                every.append(converter.structure(record, Account))
            except (cattrs.BaseValidationError, CollectError, ValueError, TypeError, KeyError):
                return None
    return every
