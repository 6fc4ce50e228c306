"""Groups of accounts: what each group owes (its exposure) against its credit limit.

An account's group is ``account.group``, or the account's own id when it has none
(group names and account ids share one name space).  A group's **exposure** in a
currency is what its accounts in that currency owe on a date; its **credit limit**
in that currency is the largest ``credit_limit`` of those accounts.  A group whose
exposure is above its limit, in any currency, puts every one of its accounts on
credit hold (``credit_hold``, SPEC 13.5).

The records are here, beside the rule that reads them; ``collectlib.portfolio``'s
``exposure(accounts, on)`` computes them over a portfolio.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from collectlib._checks import (
    check_amount,
    check_date,
    check_id,
    check_instances,
    fail,
    to_tuple,
)
from collectlib._frozen import FrozenMap
from collectlib.errors import ValidationError
from collectlib.model import Account
from collectlib.money import ZERO, coerce_amount, exact, is_currency

__all__ = ["Exposure", "GroupExposure", "check_exposure", "group_of"]


def group_of(account: Account) -> str:
    """Return the account's group: ``account.group``, or its id when it has none."""
    return account.id if account.group is None else account.group


def _optional_amount(value: object) -> object:
    return None if value is None else coerce_amount(value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class GroupExposure:
    """What a group's accounts in one currency owe on a date, against the group's limit.

    ``balance`` is the net open amount of every open item (debits and credits, the
    whole receivable, whether or not a scenario works on it): ``overdue`` (the open
    debits due before the date) plus ``not_due`` (the other open debits) plus
    ``credits`` (open credit notes and unallocated payments, zero or negative).
    ``credit_limit`` is the largest ``credit_limit`` of the accounts (``None``: none
    has one); ``account_ids`` lists the accounts, in the order read.

    >>> line = GroupExposure(group="Durand", currency="EUR", account_ids=["C-1", "C-2"],
    ...                      balance="12500.00", overdue="9000.00", not_due="4000.00",
    ...                      credits="-500.00", credit_limit="10000")
    >>> line.over_limit
    True
    """

    group: str
    currency: str
    account_ids: tuple[str, ...] = attrs.field(converter=to_tuple)
    balance: Decimal = attrs.field(converter=coerce_amount)
    overdue: Decimal = attrs.field(converter=coerce_amount)
    not_due: Decimal = attrs.field(converter=coerce_amount)
    credits: Decimal = attrs.field(converter=coerce_amount)
    credit_limit: Decimal | None = attrs.field(default=None, converter=_optional_amount)

    def __attrs_post_init__(self) -> None:
        check_id("group exposure", "group", self.group)
        owner = f"exposure of group {self.group!r}"
        if not is_currency(self.currency):
            fail(owner, f"currency must be an ISO 4217 code like 'EUR', not {self.currency!r}")
        check_instances(owner, "account_ids", self.account_ids, str)
        if not self.account_ids:
            fail(owner, "account_ids must name at least one account")
        for account_id in self.account_ids:
            check_id(owner, "account_ids", account_id)
        check_amount(owner, "balance", self.balance, total=True)
        check_amount(owner, "overdue", self.overdue, minimum=ZERO, total=True)
        check_amount(owner, "not_due", self.not_due, minimum=ZERO, total=True)
        check_amount(owner, "credits", self.credits, total=True)
        if self.credits > ZERO:
            fail(owner, f"credits must be zero or negative, not {self.credits}")
        if self.credit_limit is not None:
            check_amount(owner, "credit_limit", self.credit_limit, minimum=ZERO)
        if _sum(self.overdue, self.not_due, self.credits) != self.balance:
            fail(
                owner,
                f"balance {self.balance} is not overdue + not_due + credits "
                f"({self.overdue} + {self.not_due} + {self.credits})",
            )

    @property
    def over_limit(self) -> bool:
        """Whether the balance is above the credit limit (never without a limit)."""
        return self.credit_limit is not None and self.balance > self.credit_limit


@exact
def _sum(*amounts: Decimal) -> Decimal:
    return sum(amounts, ZERO)


def _over_limit(
    by_group: FrozenMap[str, FrozenMap[str, GroupExposure]],
) -> FrozenMap[str, tuple[GroupExposure, ...]]:
    over: dict[str, tuple[GroupExposure, ...]] = {}
    for group, lines in by_group.items():
        above = tuple(line for line in lines.values() if line.over_limit)
        if above:
            over[group] = above
    return FrozenMap(over)


@attrs.frozen(kw_only=True)
class Exposure:
    """What every group owes on ``on``, by group and currency, against its credit limits.

    ``by_group[group][currency]`` is a ``GroupExposure``: groups in the order their
    first account was read, currencies in the order met.  Amounts of two currencies
    are never added: a group billed in EUR and USD has one line in each, each against
    the limit of its own accounts.  ``over_limit`` (derived) maps each group above its
    limit in some currency to those lines: every account of such a group is on credit
    hold.  Built by ``exposure(accounts, on)``; ``a + b`` is ``a.merge(b)``.
    """

    on: dt.date
    by_group: FrozenMap[str, FrozenMap[str, GroupExposure]] = attrs.field(factory=FrozenMap)
    over_limit: FrozenMap[str, tuple[GroupExposure, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )
    """The groups above their credit limit, each with its lines above it (derived)."""

    def __attrs_post_init__(self) -> None:
        owner = "exposure"
        check_date(owner, "on", self.on)
        if not isinstance(self.by_group, FrozenMap):
            fail(owner, f"by_group must be a FrozenMap, not {self.by_group!r}")
        seen: set[str] = set()
        for group, lines in self.by_group.items():
            if not isinstance(lines, FrozenMap):
                fail(owner, f"by_group[{group!r}] must be a FrozenMap, not {lines!r}")
            for currency, line in lines.items():
                where = f"by_group[{group!r}][{currency!r}]"
                if not isinstance(line, GroupExposure):
                    fail(owner, f"{where} must be a GroupExposure, not {line!r}")
                if (line.group, line.currency) != (group, currency):
                    fail(owner, f"{where} is the line of {line.group!r} in {line.currency}")
                for account_id in line.account_ids:
                    if account_id in seen:
                        fail(owner, f"account {account_id!r} appears twice")
                    seen.add(account_id)
        object.__setattr__(self, "over_limit", _over_limit(self.by_group))

    @exact
    def merge(self, other: Exposure) -> Exposure:
        """Return the exposure over both reports' accounts (none in both), on the same date.

        A group's lines in a currency add up; its limit is the larger of the two.
        """
        if not isinstance(other, Exposure):
            raise ValidationError(f"exposure: merge takes an Exposure, not {other!r}")
        if other.on != self.on:
            fail("exposure", f"cannot merge exposures of {self.on} and {other.on}")
        merged = {group: dict(lines) for group, lines in self.by_group.items()}
        for group, lines in other.by_group.items():
            mine = merged.setdefault(group, {})
            for currency, line in lines.items():
                known = mine.get(currency)
                mine[currency] = line if known is None else _added(known, line)
        return Exposure(
            on=self.on,
            by_group=FrozenMap({group: FrozenMap(lines) for group, lines in merged.items()}),
        )

    def __add__(self, other: Exposure) -> Exposure:
        if type(other) is not Exposure:
            return NotImplemented
        return self.merge(other)

    def rows(self) -> list[dict[str, Any]]:
        """One row per group and currency, groups in order: for a CSV writer or a data frame.

        Columns: on, group, currency, accounts (how many), account_ids, balance, overdue,
        not_due, credits, credit_limit, over_limit.
        """
        return [
            {
                "on": self.on,
                "group": line.group,
                "currency": line.currency,
                "accounts": len(line.account_ids),
                "account_ids": line.account_ids,
                "balance": line.balance,
                "overdue": line.overdue,
                "not_due": line.not_due,
                "credits": line.credits,
                "credit_limit": line.credit_limit,
                "over_limit": line.over_limit,
            }
            for lines in self.by_group.values()
            for line in lines.values()
        ]


def _added(first: GroupExposure, second: GroupExposure) -> GroupExposure:
    """Return the line of both lines' accounts (in the library's context)."""
    limits = [limit for limit in (first.credit_limit, second.credit_limit) if limit is not None]
    return GroupExposure(
        group=first.group,
        currency=first.currency,
        account_ids=first.account_ids + second.account_ids,
        balance=first.balance + second.balance,
        overdue=first.overdue + second.overdue,
        not_due=first.not_due + second.not_due,
        credits=first.credits + second.credits,
        credit_limit=max(limits) if limits else None,
    )


def check_exposure(owner: str, exposure: object, on: dt.date) -> None:
    """Check the argument ``exposure`` of ``owner``: ``None``, or an ``Exposure`` of ``on``."""
    if exposure is None:
        return
    if not isinstance(exposure, Exposure):
        raise ValidationError(f"{owner}: exposure must be an Exposure, not {exposure!r}")
    if exposure.on != on:
        raise ValidationError(
            f"{owner}: exposure is of {exposure.on}, not of {on}: compute it on the same date"
        )
