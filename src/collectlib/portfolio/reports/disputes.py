"""The dispute resolution time: how long disputes took to resolve, from the journals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

import attrs

from collectlib._checks import check_date, check_each, check_instance
from collectlib.errors import UnknownStatusError
from collectlib.model import Account, Policy, StatusApplied
from collectlib.money import exact
from collectlib.portfolio.reports._report import Report, Row, ratio_of

__all__ = ["DisputeResolutionTime", "dispute_resolution_time"]


@attrs.frozen(kw_only=True)
class DisputeResolutionTime(Report):
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
        return ratio_of(self.days, self.resolved)

    def merge(self, other: DisputeResolutionTime) -> DisputeResolutionTime:
        """Return the report over both reports' accounts (same date)."""
        self._check_mergeable(other, "on")
        return DisputeResolutionTime(
            on=self.on,
            resolved=self.resolved + other.resolved,
            days=self.days + other.days,
            open=self.open + other.open,
        )

    def rows(self) -> list[Row]:
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
