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

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from itertools import compress, repeat
from operator import ge, gt, is_, le, not_
from typing import Any

from collectlib._frozen import trusted_columns
from collectlib.enums import ItemKind
from collectlib.model import Item
from collectlib.money import ZERO, is_amount

__all__ = [
    "KINDS",
    "amount_table",
    "amounts_of",
    "dates_of",
    "ids_ok",
    "new_items",
    "signs_ok",
    "texts_ok",
    "unique",
]

KINDS = {kind.value: kind for kind in ItemKind}
"""Each item kind by its value (``"INVOICE"``)."""

_DEBIT_KINDS = frozenset({ItemKind.INVOICE.value, ItemKind.OTHER.value})
_CREDIT_KINDS = frozenset(
    {ItemKind.CREDIT_NOTE.value, ItemKind.PAYMENT.value, ItemKind.OTHER.value}
)
_SHORT = 18  # a text of at most 18 characters has at most 18 digits: an amount in range


def unique(values: Sequence[Any]) -> bool:
    """Whether no value comes twice."""
    return len(set(values)) == len(values)


def ids_ok(ids: Sequence[str]) -> bool:
    r"""Whether every id (each a ``str``) is one that ``new_item`` takes at once.

    Non-empty, printable, without surrounding spaces: ``check_id`` is met.  An id that
    is not printable but still an id (``"F\u00a01"``) fails here; the one-at-a-time
    path accepts it.
    """
    return "" not in ids and "".join(ids).isprintable() and list(map(str.strip, ids)) == list(ids)


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
    days = list(map(cache.get, texts))
    if not all(days):  # a text not read before (None)
        for text in set(compress(texts, map(is_, days, repeat(None)))):
            day = read(text)
            if day is None:
                return None
            cache[text] = day
        days = list(map(cache.__getitem__, texts))
    return days  # type: ignore[return-value]  # no None left


def amount_table(
    texts: Iterable[str], number: Callable[[str], Decimal]
) -> dict[str, Decimal] | None:
    """Return each distinct text read by ``number`` as an amount, or ``None`` if one is not.

    One ``Decimal`` per spelling: an unpaid item's two amounts (the same text) are one
    object, and so are the zeros of the paid items.
    """
    distinct = dict.fromkeys(texts)
    try:
        values = list(map(number, distinct))
    except (InvalidOperation, ValueError, TypeError):
        return None
    joined = "".join(distinct)
    short = max(map(len, distinct), default=0) <= _SHORT and "e" not in joined
    # a short text without an exponent has at most 18 digits: in range if finite
    if not (short and "E" not in joined and all(map(Decimal.is_finite, values))) and not all(
        map(is_amount, values)
    ):
        return None
    return dict(zip(distinct, values, strict=True))


def amounts_of(texts: Sequence[str], table: dict[str, Decimal]) -> list[Decimal]:
    """Return the amount of each text, from ``amount_table``'s ``table``."""
    return list(map(table.__getitem__, texts))


def signs_ok(kinds: Sequence[str], amounts: Sequence[Decimal], opens: Sequence[Decimal]) -> bool:
    """Whether every item's amounts have the signs and sizes its kind asks (``Item``'s rules).

    ``kinds`` are the kinds' values (``"INVOICE"``).  A debit (an ``INVOICE``, an
    ``OTHER``) is positive and its open amount between zero and it; a credit (a
    ``CREDIT_NOTE``, a ``PAYMENT``, an ``OTHER``) negative and its open amount between
    it and zero.
    """
    if not all(amounts):  # no amount is zero
        return False
    debit = list(map(gt, amounts, repeat(ZERO)))
    if all(debit):  # the usual column: invoices only
        return set(kinds) <= _DEBIT_KINDS and min(opens) >= ZERO and all(map(le, opens, amounts))
    credit = list(map(not_, debit))
    debits, credits = list(compress(amounts, debit)), list(compress(amounts, credit))
    debits_open, credits_open = list(compress(opens, debit)), list(compress(opens, credit))
    return (
        set(compress(kinds, debit)) <= _DEBIT_KINDS
        and set(compress(kinds, credit)) <= _CREDIT_KINDS
        and min(debits_open, default=ZERO) >= ZERO
        and all(map(le, debits_open, debits))
        and max(credits_open) <= ZERO
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
    one = set(kinds)
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
