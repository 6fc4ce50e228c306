"""The aged balance: the open receivable per account, in buckets of days late."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from decimal import Decimal
from itertools import pairwise
from typing import ClassVar

import attrs

from collectlib._checks import check_date, check_each, fail, to_tuple
from collectlib._frozen import FrozenMap
from collectlib.model import Account
from collectlib.money import ZERO, exact
from collectlib.portfolio.reports._report import Report, Row, merged_currency, same_currency
from collectlib.rules.groups import group_of

__all__ = ["AgedBalance", "aged_balance"]


def _edges(owner: str, buckets: object) -> tuple[int, ...]:
    """Check the bucket edges: whole numbers of days late, above 0, strictly increasing."""
    edges: object = to_tuple(buckets)  # type: ignore[arg-type]  # checked below
    if not isinstance(edges, tuple) or any(type(edge) is not int or edge < 1 for edge in edges):
        fail(owner, f"buckets must be whole numbers of days late above 0, not {buckets!r}")
    for before, after in pairwise(edges):
        if after <= before:
            fail(owner, f"bucket edges must increase, not {before} then {after} in {buckets!r}")
    return edges


def _labels(edges: tuple[int, ...]) -> tuple[str, ...]:
    starts = (1, *(edge + 1 for edge in edges))
    return (
        "not_due",
        *(f"{start}-{edge}" for start, edge in zip(starts, edges, strict=False)),
        f"{starts[-1]}+",
    )


@attrs.frozen(kw_only=True)
class AgedBalance(Report):
    """The open items by age: not yet due, then by days late, per account and in total.

    ``buckets`` are the edges in days late, inclusive as written: ``(30, 60, 90)``
    gives the labels ``"not_due"``, ``"1-30"``, ``"31-60"``, ``"61-90"``, ``"91+"``.
    An item is aged by its due date: ``on - due_date`` days late, not due when 0 or
    less.  ``total`` and ``by_account[id]`` map the labels, in that order, to the net
    open amount (debits and credits); ``credits`` and ``credits_by_account[id]`` hold
    the credit part apart (zero or negative), so the debits are ``total - credits``.
    ``by_account`` keeps the accounts in the order read.  ``by_group[group][currency]``
    is the per-group view: the same buckets summed over the group's accounts in that
    currency (an account without a group is its own group, named by its id), so a
    group billed in two currencies has one line in each, never a sum of both.  Built
    by ``aged_balance``.
    """

    _what: ClassVar[str] = "aged balance"

    on: dt.date
    buckets: tuple[int, ...] = attrs.field(converter=to_tuple)
    currency: str | None = None
    """The accounts' currency (``None`` when there was no account)."""
    total: FrozenMap[str, Decimal]
    credits: FrozenMap[str, Decimal]
    by_account: FrozenMap[str, FrozenMap[str, Decimal]] = attrs.field(factory=FrozenMap)
    credits_by_account: FrozenMap[str, FrozenMap[str, Decimal]] = attrs.field(factory=FrozenMap)
    by_group: FrozenMap[str, FrozenMap[str, FrozenMap[str, Decimal]]] = attrs.field(
        factory=FrozenMap
    )

    def __attrs_post_init__(self) -> None:
        check_date(self._what, "on", self.on)
        _edges(self._what, self.buckets)

    @property
    def labels(self) -> tuple[str, ...]:
        """The bucket labels in order, ``"not_due"`` first."""
        return _labels(self.buckets)

    @property
    @exact
    def balance(self) -> Decimal:
        """The sum of every open amount: the bucket totals add up to it."""
        return sum(self.total.values(), ZERO)

    @exact
    def merge(self, other: AgedBalance) -> AgedBalance:
        """Return the aged balance over both reports' accounts (none in both)."""
        self._check_mergeable(other, "on", "buckets")
        currency = merged_currency(self._what, self.currency, other.currency)
        shared = self.by_account.keys() & other.by_account.keys()
        if shared:
            fail(self._what, f"account {min(shared)!r} is in both reports")
        return AgedBalance(
            on=self.on,
            buckets=self.buckets,
            currency=currency,
            total=_add_maps(self.total, other.total),
            credits=_add_maps(self.credits, other.credits),
            by_account=FrozenMap({**self.by_account, **other.by_account}),
            credits_by_account=FrozenMap({**self.credits_by_account, **other.credits_by_account}),
            by_group=_merge_groups(self.by_group, other.by_group),
        )

    @exact
    def rows(self) -> list[Row]:
        """One row per account and bucket (accounts in order read, buckets in order).

        Columns: on, currency, account_id, bucket, balance, debits, credits
        (``balance = debits + credits``).
        """
        rows: list[Row] = []
        for account_id, line in self.by_account.items():
            credits = self.credits_by_account[account_id]
            rows.extend(
                {
                    "on": self.on,
                    "currency": self.currency,
                    "account_id": account_id,
                    "bucket": label,
                    "balance": amount,
                    "debits": amount - credits[label],
                    "credits": credits[label],
                }
                for label, amount in line.items()
            )
        return rows


def _add_maps(
    first: Mapping[str, Decimal], second: Mapping[str, Decimal]
) -> FrozenMap[str, Decimal]:
    """Add two bucket maps label by label."""
    return FrozenMap({label: amount + second[label] for label, amount in first.items()})


def _merge_groups(
    first: FrozenMap[str, FrozenMap[str, FrozenMap[str, Decimal]]],
    second: FrozenMap[str, FrozenMap[str, FrozenMap[str, Decimal]]],
) -> FrozenMap[str, FrozenMap[str, FrozenMap[str, Decimal]]]:
    """Add two per-group views: a group's lines in one currency add up, label by label."""
    merged = {group: dict(lines) for group, lines in first.items()}
    for group, lines in second.items():
        mine = merged.setdefault(group, {})
        for currency, line in lines.items():
            known = mine.get(currency)
            mine[currency] = line if known is None else _add_maps(known, line)
    return FrozenMap({group: FrozenMap(lines) for group, lines in merged.items()})


@exact
def aged_balance(
    accounts: Iterable[Account], on: dt.date, buckets: Iterable[int] = (30, 60, 90)
) -> AgedBalance:
    """Return every open item's amount by age on ``on``, per account and in total.

    ``buckets`` are the edges in days late (strictly increasing, above 0); each is
    the last day of its bucket.  ``accounts`` is read once; an account id seen twice
    is a ``ValidationError``.

    >>> from datetime import date
    >>> from collectlib import Account, Item
    >>> def item(id, due, amount):
    ...     return Item(id=id, kind="INVOICE" if amount > 0 else "CREDIT_NOTE",
    ...                 issue_date=due, due_date=due, amount=amount, open_amount=amount)
    >>> account = Account(id="C-1", items=[item("F-1", date(2026, 3, 1), 100),
    ...     item("F-2", date(2026, 1, 15), 250), item("AV-1", date(2026, 1, 15), -50)])
    >>> report = aged_balance([account], date(2026, 3, 1))
    >>> dict(report.total)
    {'not_due': Decimal('100'), '1-30': Decimal('0'), '31-60': Decimal('200'), \
'61-90': Decimal('0'), '91+': Decimal('0')}
    >>> report.credits["31-60"], report.balance
    (Decimal('-50'), Decimal('300'))
    >>> aged_balance([account], date(2026, 3, 1), buckets=(60, 30))
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: aged_balance: bucket edges must increase, not 60 then 30 \
in (60, 30)
    """
    check_date("aged_balance", "on", on)
    edges = _edges("aged_balance", buckets)
    labels = _labels(edges)
    size = len(labels)
    total = [ZERO] * size
    credit_total = [ZERO] * size
    by_account: dict[str, FrozenMap[str, Decimal]] = {}
    credits_by_account: dict[str, FrozenMap[str, Decimal]] = {}
    by_group: dict[str, dict[str, list[Decimal]]] = {}
    currency: str | None = None
    for account in check_each("aged_balance", "accounts", accounts, Account):
        currency = same_currency("aged_balance", currency, account)
        if account.id in by_account:
            fail("aged_balance", f"account {account.id!r} appears twice")
        net = [ZERO] * size
        credits = [ZERO] * size
        for item in account.items:
            amount = item.open_amount
            if not amount:
                continue
            late = (on - item.due_date).days
            index = bisect_left(edges, late) + 1 if late > 0 else 0
            net[index] += amount
            if amount < ZERO:
                credits[index] += amount
        lines = by_group.setdefault(group_of(account), {})
        line = lines.get(account.currency)
        if line is None:
            line = lines[account.currency] = [ZERO] * size
        for index in range(size):
            total[index] += net[index]
            credit_total[index] += credits[index]
            line[index] += net[index]
        by_account[account.id] = FrozenMap(dict(zip(labels, net, strict=True)))
        credits_by_account[account.id] = FrozenMap(dict(zip(labels, credits, strict=True)))
    return AgedBalance(
        on=on,
        buckets=edges,
        currency=currency,
        total=FrozenMap(dict(zip(labels, total, strict=True))),
        credits=FrozenMap(dict(zip(labels, credit_total, strict=True))),
        by_account=FrozenMap(by_account),
        credits_by_account=FrozenMap(credits_by_account),
        by_group=FrozenMap(
            {
                group: FrozenMap(
                    {
                        currency: FrozenMap(dict(zip(labels, line, strict=True)))
                        for currency, line in lines.items()
                    }
                )
                for group, lines in by_group.items()
            }
        ),
    )
