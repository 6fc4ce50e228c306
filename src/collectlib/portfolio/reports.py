"""Portfolio reports: qualification rate, aged balance, overdue ratio, dispute time, DSO.

Every report but DSO is a pure function over any iterable of accounts, read once, one
account at a time: memory grows with what the report keeps (collectors and statuses,
or one line per account for the aged balance), never with the number of items.

The reports describe the **whole receivable**: every open item counts, whether or not
the scenario works on it (items in a specific action, items below
``policy.ignore_below``).  So the aged balance's total is not ``balance()``, which
is the scenario's balance.  Overdue means what ``Item.is_overdue`` says: an open
debit whose due date is before the report date.

A report is for one currency: accounts in several currencies are a
``ValidationError`` (filter the accounts by currency and make one report each).
Reports over parts of a portfolio combine with ``merge`` (or ``+``) into the report
over the whole, so they can be computed per partition.  Sums are exact, whatever the
caller's decimal context (they run in ``money.CONTEXT``).  ``rows()`` gives plain dicts
for a CSV writer or a data frame.  The definitions, with examples, are in
``docs/explanation/kpis.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any, ClassVar, TypeVar

import attrs

from collectlib._checks import (
    check_amount,
    check_date,
    check_each,
    check_instance,
    check_instances,
    check_int,
    check_text,
    fail,
    to_tuple,
)
from collectlib._frozen import FrozenMap
from collectlib.errors import UnknownStatusError
from collectlib.model import Account, Policy, StatusApplied
from collectlib.money import ZERO, Amount, coerce_amount, exact, to_amount

__all__ = [
    "AgedBalance",
    "DaysSalesOutstanding",
    "DisputeResolutionTime",
    "OverdueRatio",
    "QualificationRate",
    "SalesPeriod",
    "Tally",
    "aged_balance",
    "dispute_resolution_time",
    "dso",
    "overdue_ratio",
    "qualification_rate",
]

_Row = dict[str, Any]  # one row of a report: column name to a plain value

_R = TypeVar("_R", bound="_Report")


class _Report:
    """What the portfolio reports share: ``a + b`` is ``a.merge(b)``."""

    __slots__ = ()
    _what: ClassVar[str]
    """How error messages name the report."""

    def merge(self: _R, other: _R) -> _R:  # pragma: no cover - every report defines it
        raise NotImplementedError

    def __add__(self: _R, other: _R) -> _R:
        if type(other) is not type(self):
            return NotImplemented
        return self.merge(other)

    def _check_mergeable(self, other: _Report, *fields: str) -> None:
        """Check that both reports have the same ``fields`` (their date and parameters)."""
        for field in fields:
            mine, theirs = getattr(self, field), getattr(other, field)
            if mine != theirs:
                fail(self._what, f"cannot merge reports whose {field} differ: {mine} and {theirs}")


def _merged_currency(what: str, mine: str | None, theirs: str | None) -> str | None:
    """Return the currency of a merged report; two different ones do not merge."""
    if mine is not None and theirs is not None and mine != theirs:
        fail(what, f"cannot merge a report in {mine} with one in {theirs}")
    return mine if mine is not None else theirs


def _same_currency(what: str, currency: str | None, account: Account) -> str:
    """Return the account's currency, checking that the accounts before it had it too."""
    if currency is not None and account.currency != currency:
        fail(
            what,
            f"account {account.id!r} is in {account.currency}, the accounts before it in "
            f"{currency}: report one currency at a time",
        )
    return account.currency


def _ratio(part: Decimal | int, whole: Decimal | int) -> float | None:
    """Return ``part / whole`` as a float rounded once from the exact ratio; None if whole is 0."""
    if not whole:
        return None
    return float(Fraction(part) / Fraction(whole))


# -- Qualification rate ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Tally:
    """A number of items and their total open amount (a total: up to 30 digits before the point).

    >>> Tally(count=2, amount=Decimal("150.00")) + Tally(count=1, amount=Decimal("20"))
    Tally(count=3, amount=Decimal('170.00'))
    """

    count: int = 0
    amount: Decimal = attrs.field(default=ZERO, converter=coerce_amount)

    def __attrs_post_init__(self) -> None:
        check_int("tally", "count", self.count, minimum=0)
        check_amount("tally", "amount", self.amount, total=True)

    @exact
    def __add__(self, other: Tally) -> Tally:
        if type(other) is not Tally:
            return NotImplemented
        return _added(self, other)


def _added(first: Tally, second: Tally) -> Tally:
    """``first + second`` in the caller's context (the library's, for the reports)."""
    return Tally(count=first.count + second.count, amount=first.amount + second.amount)


_NO_TALLY = Tally()
_CellKey = tuple[str | None, str | None]


def _cell_order(cell: tuple[_CellKey, Tally]) -> tuple[bool, str, bool, str]:
    """Sort cells by collector, then status, ``None`` last in both."""
    (collector, status), _tally = cell
    return (collector is None, collector or "", status is None, status or "")


@attrs.frozen(kw_only=True)
class QualificationRate(_Report):
    """The item status report: how much of the overdue receivable carries a status.

    Overdue items are open debits whose due date is before ``on``; an item is
    **qualified** when it carries a status (any status).  The report keeps one
    ``Tally`` per collector and status, ``cells[(collector, status)]``, where status
    ``None`` counts the overdue items without status and collector ``None`` the
    accounts without collector; every other figure derives from it.
    ``rate_by_count`` and ``rate_by_amount`` are in [0, 1], ``None`` when nothing is
    overdue.  Built by ``qualification_rate``.
    """

    _what: ClassVar[str] = "qualification rate"

    on: dt.date
    currency: str | None = None
    """The accounts' currency (``None`` when there was no account)."""
    cells: FrozenMap[_CellKey, Tally] = attrs.field(factory=FrozenMap)

    def __attrs_post_init__(self) -> None:
        check_date(self._what, "on", self.on)

    @exact
    def _sum(self, qualified_only: bool) -> Tally:
        total = _NO_TALLY
        for (_collector, status), tally in self.cells.items():
            if status is not None or not qualified_only:
                total = _added(total, tally)
        return total

    @property
    def overdue_count(self) -> int:
        """How many items are overdue."""
        return self._sum(qualified_only=False).count

    @property
    def overdue_amount(self) -> Decimal:
        """The open amount of the overdue items."""
        return self._sum(qualified_only=False).amount

    @property
    def qualified_count(self) -> int:
        """How many overdue items carry a status."""
        return self._sum(qualified_only=True).count

    @property
    def qualified_amount(self) -> Decimal:
        """The open amount of the overdue items that carry a status."""
        return self._sum(qualified_only=True).amount

    @property
    def rate_by_count(self) -> float | None:
        """``qualified_count / overdue_count``, or ``None`` when nothing is overdue."""
        return _ratio(self.qualified_count, self.overdue_count)

    @property
    def rate_by_amount(self) -> float | None:
        """``qualified_amount / overdue_amount``, or ``None`` when nothing is overdue."""
        return _ratio(self.qualified_amount, self.overdue_amount)

    @property
    @exact
    def by_status(self) -> FrozenMap[str, Tally]:
        """The overdue items per status code (qualified items only), codes sorted."""
        totals: dict[str, Tally] = {}
        for (_collector, status), tally in self.cells.items():
            if status is not None:
                totals[status] = _added(totals.get(status, _NO_TALLY), tally)
        return FrozenMap(dict(sorted(totals.items())))

    @property
    def by_collector(self) -> FrozenMap[str | None, QualificationRate]:
        """The report restricted to each collector's accounts (``None``: no collector, last)."""
        cells: dict[str | None, dict[_CellKey, Tally]] = {}
        for key, tally in sorted(self.cells.items(), key=_cell_order):
            cells.setdefault(key[0], {})[key] = tally
        return FrozenMap(
            {
                collector: QualificationRate(
                    on=self.on, currency=self.currency, cells=FrozenMap(own)
                )
                for collector, own in cells.items()
            }
        )

    @exact
    def merge(self, other: QualificationRate) -> QualificationRate:
        """Return the report over both reports' accounts (same date, same currency)."""
        self._check_mergeable(other, "on")
        cells = dict(self.cells)
        for key, tally in other.cells.items():
            cells[key] = _added(cells.get(key, _NO_TALLY), tally)
        return QualificationRate(
            on=self.on,
            currency=_merged_currency(self._what, self.currency, other.currency),
            cells=FrozenMap(cells),
        )

    def rows(self) -> list[_Row]:
        """One row per collector and status: on, currency, collector, status, count, amount.

        Status ``None`` is the overdue items without status.  Rows are sorted by
        collector, then status (``None`` last in both).
        """
        return [
            {
                "on": self.on,
                "currency": self.currency,
                "collector": collector,
                "status": status,
                "count": tally.count,
                "amount": tally.amount,
            }
            for (collector, status), tally in sorted(self.cells.items(), key=_cell_order)
        ]


@exact
def qualification_rate(accounts: Iterable[Account], on: dt.date) -> QualificationRate:
    """Return the share of the overdue items (open debits due before ``on``) carrying a status.

    ``accounts`` is read once, one account at a time; give each account once (the
    report keeps no account ids, so it cannot tell).  Statuses are the items'
    current ones.

    >>> from datetime import date
    >>> from collectlib import Account, Item
    >>> d = date(2026, 1, 31)
    >>> account = Account(id="C-1", collector="ana", items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=d, due_date=d, amount=300,
    ...          open_amount=300, status="promise"),
    ...     Item(id="F-2", kind="INVOICE", issue_date=d, due_date=d, amount=100,
    ...          open_amount=100)])
    >>> report = qualification_rate([account], date(2026, 3, 1))
    >>> report.rate_by_count, report.rate_by_amount
    (0.5, 0.75)
    >>> qualification_rate([], date(2026, 3, 1)).rate_by_count is None
    True
    """
    check_date("qualification_rate", "on", on)
    cells: dict[_CellKey, list[Any]] = {}
    currency: str | None = None
    for account in check_each("qualification_rate", "accounts", accounts, Account):
        currency = _same_currency("qualification_rate", currency, account)
        collector = account.collector
        for item in account.items:
            if item.is_overdue(on):
                cell = cells.get((collector, item.status))
                if cell is None:
                    cells[(collector, item.status)] = [1, item.open_amount]
                else:
                    cell[0] += 1
                    cell[1] += item.open_amount
    return QualificationRate(
        on=on,
        currency=currency,
        cells=FrozenMap(
            {key: Tally(count=count, amount=amount) for key, (count, amount) in cells.items()}
        ),
    )


# -- Aged balance --------------------------------------------------------------------------


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
class AgedBalance(_Report):
    """The open items by age: not yet due, then by days late, per account and in total.

    ``buckets`` are the edges in days late, inclusive as written: ``(30, 60, 90)``
    gives the labels ``"not_due"``, ``"1-30"``, ``"31-60"``, ``"61-90"``, ``"91+"``.
    An item is aged by its due date: ``on - due_date`` days late, not due when 0 or
    less.  ``total`` and ``by_account[id]`` map the labels, in that order, to the net
    open amount (debits and credits); ``credits`` and ``credits_by_account[id]`` hold
    the credit part apart (zero or negative), so the debits are ``total - credits``.
    ``by_account`` keeps the accounts in the order read.  Built by ``aged_balance``.
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
        currency = _merged_currency(self._what, self.currency, other.currency)
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
        )

    @exact
    def rows(self) -> list[_Row]:
        """One row per account and bucket (accounts in order read, buckets in order).

        Columns: on, currency, account_id, bucket, balance, debits, credits
        (``balance = debits + credits``).
        """
        rows: list[_Row] = []
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
    currency: str | None = None
    for account in check_each("aged_balance", "accounts", accounts, Account):
        currency = _same_currency("aged_balance", currency, account)
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
        for index in range(size):
            total[index] += net[index]
            credit_total[index] += credits[index]
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
    )


# -- Overdue ratio -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OverdueRatio(_Report):
    """The overdue share of the receivables: ``overdue / receivables``.

    ``receivables`` is the open amount of the debit items (credit notes and
    unallocated payments are not receivables: they would let the ratio pass 1);
    ``overdue`` the part more than ``beyond`` days late (``beyond=0``: every overdue
    debit; 30, 60 or 90 for the "> 30 days" ratios).  ``ratio`` is in [0, 1],
    ``None`` when nothing is receivable.  Built by ``overdue_ratio``.
    """

    _what: ClassVar[str] = "overdue ratio"

    on: dt.date
    beyond: int = 0
    currency: str | None = None
    """The accounts' currency (``None`` when there was no account)."""
    receivables: Decimal = ZERO
    overdue: Decimal = ZERO

    def __attrs_post_init__(self) -> None:
        check_date(self._what, "on", self.on)
        check_int(self._what, "beyond", self.beyond, minimum=0)

    @property
    def ratio(self) -> float | None:
        """``overdue / receivables``, or ``None`` when nothing is receivable."""
        return _ratio(self.overdue, self.receivables)

    @exact
    def merge(self, other: OverdueRatio) -> OverdueRatio:
        """Return the overdue ratio over both reports' accounts (same date and ``beyond``)."""
        self._check_mergeable(other, "on", "beyond")
        return OverdueRatio(
            on=self.on,
            beyond=self.beyond,
            currency=_merged_currency(self._what, self.currency, other.currency),
            receivables=self.receivables + other.receivables,
            overdue=self.overdue + other.overdue,
        )

    def rows(self) -> list[_Row]:
        """One row: on, currency, beyond, receivables, overdue, ratio."""
        return [
            {
                "on": self.on,
                "currency": self.currency,
                "beyond": self.beyond,
                "receivables": self.receivables,
                "overdue": self.overdue,
                "ratio": self.ratio,
            }
        ]


@exact
def overdue_ratio(accounts: Iterable[Account], on: dt.date, beyond: int = 0) -> OverdueRatio:
    """Return the share of the open debits that is more than ``beyond`` days late on ``on``.

    >>> from datetime import date
    >>> from collectlib import Account, Item
    >>> d = date(2026, 1, 1)
    >>> account = Account(id="C-1", items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=d, due_date=d, amount=300, open_amount=300),
    ...     Item(id="F-2", kind="INVOICE", issue_date=d, due_date=date(2026, 2, 20), amount=100,
    ...          open_amount=100)])
    >>> overdue_ratio([account], date(2026, 2, 15)).ratio
    0.75
    >>> overdue_ratio([account], date(2026, 2, 15), beyond=60).ratio
    0.0
    """
    check_date("overdue_ratio", "on", on)
    check_int("overdue_ratio", "beyond", beyond, minimum=0)
    receivables = overdue = ZERO
    currency: str | None = None
    for account in check_each("overdue_ratio", "accounts", accounts, Account):
        currency = _same_currency("overdue_ratio", currency, account)
        for item in account.items:
            amount = item.open_amount
            if amount > ZERO:
                receivables += amount
                if item.days_late(on) > beyond:
                    overdue += amount
    return OverdueRatio(
        on=on, beyond=beyond, currency=currency, receivables=receivables, overdue=overdue
    )


# -- Dispute resolution time ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DisputeResolutionTime(_Report):
    """How long disputes took to resolve, counted per item from the account journals.

    An item's dispute starts when a dispute status (``Status.is_dispute``: a
    ``DISPUTE`` or ``LITIGATION`` one) is applied to it while it is in none, and ends
    at the first later status that is not a dispute one (or when its status is
    cleared); moving from one dispute status to another continues the same dispute.
    ``resolved`` disputes ended by ``on`` and took ``days`` in all; ``open`` ones were
    still running on ``on``.  ``average_days`` is ``days / resolved``, ``None`` when
    none was resolved.  Built by ``dispute_resolution_time``.
    """

    _what: ClassVar[str] = "dispute resolution time"

    on: dt.date
    resolved: int = 0
    days: int = 0
    open: int = 0

    def __attrs_post_init__(self) -> None:
        check_date(self._what, "on", self.on)

    @property
    def average_days(self) -> float | None:
        """The mean number of days a resolved dispute lasted, or ``None`` when none was."""
        return _ratio(self.days, self.resolved)

    def merge(self, other: DisputeResolutionTime) -> DisputeResolutionTime:
        """Return the report over both reports' accounts (same date)."""
        self._check_mergeable(other, "on")
        return DisputeResolutionTime(
            on=self.on,
            resolved=self.resolved + other.resolved,
            days=self.days + other.days,
            open=self.open + other.open,
        )

    def rows(self) -> list[_Row]:
        """One row: on, resolved, days, open, average_days."""
        return [
            {
                "on": self.on,
                "resolved": self.resolved,
                "days": self.days,
                "open": self.open,
                "average_days": self.average_days,
            }
        ]


@exact
def dispute_resolution_time(
    accounts: Iterable[Account], policy: Policy, on: dt.date
) -> DisputeResolutionTime:
    """Return the average days from a dispute status to the next status, as of ``on``.

    Reads the ``StatusApplied`` events of each account's journal, in journal order,
    that took effect by ``on``; the policy says which status codes are disputes (an
    unknown code is an ``UnknownStatusError`` naming the account).  A resolution
    dated before its dispute counts 0 days.  A disputed item that is paid keeps its
    dispute open until a status ends it (``complete_action`` applies the policy's
    dispute-resolved status).

    >>> from datetime import date
    >>> from collectlib import (Account, ActionTemplate, Item, Policy, Status,
    ...                         StatusApplied)
    >>> policy = Policy(statuses=[
    ...     Status(code="price", category="DISPUTE",
    ...            action=ActionTemplate(name="check price", channel="CALL")),
    ...     Status(code="settled", category="DISPUTE_RESOLVED")])
    >>> d = date(2026, 1, 5)
    >>> account = Account(id="C-1", items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=d, due_date=d, amount=80, open_amount=80)],
    ...     journal=[StatusApplied(on=date(2026, 2, 1), item_ids={"F-1"}, status="price"),
    ...              StatusApplied(on=date(2026, 2, 13), item_ids={"F-1"}, status="settled")])
    >>> dispute_resolution_time([account], policy, date(2026, 3, 1)).average_days
    12.0
    """
    check_instance("dispute_resolution_time", "policy", policy, Policy)
    check_date("dispute_resolution_time", "on", on)
    resolved = days = still_open = 0
    for account in check_each("dispute_resolution_time", "accounts", accounts, Account):
        since: dict[str, dt.date] = {}
        for event in account.journal:
            if type(event) is not StatusApplied or event.on > on:
                continue
            if event.status is not None and _is_dispute(policy, event.status, account):
                for item_id in event.item_ids:
                    since.setdefault(item_id, event.on)
                continue
            for item_id in event.item_ids:
                start = since.pop(item_id, None)
                if start is not None:
                    resolved += 1
                    days += max(0, (event.on - start).days)
        still_open += len(since)
    return DisputeResolutionTime(on=on, resolved=resolved, days=days, open=still_open)


def _is_dispute(policy: Policy, code: str, account: Account) -> bool:
    try:
        return policy.status(code).is_dispute
    except UnknownStatusError as error:
        raise UnknownStatusError(f"account {account.id!r}: journal: {error}") from None


# -- DSO ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SalesPeriod:
    """The credit sales (tax included) of one period, usually a month, and its length in days.

    ``sales`` is a total: up to 30 digits before the decimal point, 18 after.

    >>> SalesPeriod.month(2026, 2, "800000.00")
    SalesPeriod(days=28, sales=Decimal('800000.00'), label='2026-02')
    """

    days: int
    sales: Decimal = attrs.field(converter=coerce_amount)
    label: str = ""

    def __attrs_post_init__(self) -> None:
        owner = f"sales period {self.label!r}" if self.label else "sales period"
        check_int(owner, "days", self.days, minimum=1)
        check_amount(owner, "sales", self.sales, minimum=ZERO, total=True)
        check_text(owner, "label", self.label)

    @classmethod
    def month(cls, year: int, month: int, sales: Amount) -> SalesPeriod:
        """Return the period of a calendar month, labelled ``YYYY-MM``, with its true length."""
        for field, value, last in (("year", year, dt.MAXYEAR), ("month", month, 12)):
            if type(value) is not int or not 1 <= value <= last:
                fail("sales period", f"{field} must be 1 to {last}, not {value!r}")
        return cls(
            days=calendar.monthrange(year, month)[1], sales=sales, label=f"{year:04d}-{month:02d}"
        )


@attrs.frozen(kw_only=True)
class DaysSalesOutstanding:
    """Days sales outstanding by the standard and the count-back methods.

    ``standard`` is ``receivables / sales * days`` over all the periods given.
    ``count_back`` walks back from the last period, taking each period's sales off the
    receivables and counting its days, until the receivables are used up (the last
    period counts pro rata).  ``current`` is the count-back of the receivables not yet
    due, ``overdue`` the rest: ``count_back - current``.  Days are floats, ``None``
    when undefined: ``standard`` with no sales at all, a count-back when the sales of
    all the periods do not cover the receivables (the DSO is then longer than the
    ``days`` of history given).  Built by ``dso``.
    """

    receivables: Decimal
    overdue_receivables: Decimal
    sales: Decimal
    """The sales of all the periods."""
    days: int
    """The days of all the periods."""
    standard: float | None
    count_back: float | None
    current: float | None
    overdue: float | None

    def rows(self) -> list[_Row]:
        """One row: every field, by name."""
        return [attrs.asdict(self, recurse=False)]


def _count_back(receivables: Decimal, periods: tuple[SalesPeriod, ...]) -> Fraction | None:
    remaining = Fraction(receivables)
    days = Fraction(0)
    for period in reversed(periods):
        if not remaining:
            return days
        sales = Fraction(period.sales)
        if remaining >= sales:
            remaining -= sales
            days += period.days
        else:
            return days + remaining / sales * period.days
    return None if remaining else days


@exact
def dso(
    receivables: Amount, sales: Iterable[SalesPeriod], *, overdue_receivables: Amount = 0
) -> DaysSalesOutstanding:
    """Return the DSO of ``receivables`` against the credit sales of the periods before them.

    ``sales`` are the periods oldest first, the last one ending on the date of the
    receivables.  ``overdue_receivables`` is the overdue part of the receivables, for
    the current / overdue split (``overdue_ratio`` gives both figures).  Accounts hold
    no sales, so the caller passes them in.

    The count-back example of https://support.benjipays.com/support/solutions/articles/\
150000179580-mastering-dso-calculation-the-count-back-method-explained
    (receivables 212,000; three months of 30 days with sales of 70,000, 80,000 and
    100,000): 30 + 30 + 32,000 / 70,000 * 30 = 73.7 days.

    >>> months = [SalesPeriod(days=30, sales=s) for s in (70_000, 80_000, 100_000)]
    >>> report = dso(212_000, months, overdue_receivables=112_000)
    >>> round(report.count_back, 1), round(report.standard, 1)
    (73.7, 76.3)
    >>> report.current, round(report.overdue, 1)
    (30.0, 43.7)
    """
    owner = "dso"
    amount = to_amount(receivables, "dso: receivables", total=True)
    overdue = to_amount(overdue_receivables, "dso: overdue_receivables", total=True)
    check_amount(owner, "receivables", amount, minimum=ZERO, total=True)
    check_amount(owner, "overdue_receivables", overdue, minimum=ZERO, total=True)
    if overdue > amount:
        fail(owner, f"overdue_receivables {overdue} exceed receivables {amount}")
    periods = to_tuple(sales)
    check_instances(owner, "sales", periods, SalesPeriod)
    if not periods:
        fail(owner, "sales must hold at least one period")
    total_sales = sum((period.sales for period in periods), ZERO)
    total_days = sum(period.days for period in periods)
    count_back = _count_back(amount, periods)
    current = _count_back(amount - overdue, periods)
    return DaysSalesOutstanding(
        receivables=amount,
        overdue_receivables=overdue,
        sales=total_sales,
        days=total_days,
        standard=(
            float(Fraction(amount) / Fraction(total_sales) * total_days) if total_sales else None
        ),
        count_back=None if count_back is None else float(count_back),
        current=None if current is None else float(current),
        overdue=None if count_back is None or current is None else float(count_back - current),
    )
