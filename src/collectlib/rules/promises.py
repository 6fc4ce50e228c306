"""The quick promise to pay: one call records a short-term promise and its follow-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from collectlib._checks import check_date, check_instance, check_text
from collectlib.enums import FollowUp
from collectlib.errors import ConfigurationError, RuleViolation
from collectlib.model import Account, Policy
from collectlib.rules.actions import checked_item_ids
from collectlib.rules.qualification import apply_status

__all__ = ["quick_promise"]


def quick_promise(
    account: Account,
    item_ids: Iterable[str],
    policy: Policy,
    on: dt.date,
    comment: str = "",
    *,
    by: str | None = None,
) -> Account:
    """Return ``account`` with a promise to pay recorded on the open debit items chosen.

    Applies the policy's quick-promise status with the promise date
    ``on + delay_days`` (D+0 to D+5) and, when that status has a follow-up action,
    creates it due on the promise date itself, moved to the next business day of the
    policy's calendar (the promise date stays the date promised).  Without
    ``policy.quick_promise`` it is a ``ConfigurationError`` (the greyed-out button); a
    credit, closed or unknown item is an error and nothing is applied.

    >>> from datetime import date
    >>> from collectlib import Account, Item, Status, ActionTemplate, QuickPromise
    >>> policy = Policy(
    ...     statuses=[Status(code="promise", category="PROMISE", action=ActionTemplate(
    ...         name="Check the payment", channel="CALL"))],
    ...     quick_promise=QuickPromise(status="promise", delay_days=3))
    >>> account = Account(id="C-1", items=[Item(id="F-1", kind="INVOICE",
    ...     issue_date=date(2026, 1, 5), due_date=date(2026, 2, 4), amount=500, open_amount=500)])
    >>> account = quick_promise(account, ["F-1"], policy, date(2026, 3, 2), by="marie")
    >>> account.item("F-1").promise_date, account.actions[0].due_on
    (datetime.date(2026, 3, 5), datetime.date(2026, 3, 5))
    """
    check_instance("quick_promise", "account", account, Account)
    check_instance("quick_promise", "policy", policy, Policy)
    check_date("quick_promise", "on", on)
    check_text("quick_promise", "comment", comment)
    check_text("quick_promise", "by", by, optional=True)
    setting = policy.quick_promise
    if setting is None:
        raise ConfigurationError("policy: the quick promise is not configured (quick_promise)")
    chosen = checked_item_ids(account, item_ids, "quick_promise")
    credits = sorted(i.id for i in account.items if i.id in chosen and not i.is_debit)
    if credits:
        raise RuleViolation(
            f"account {account.id!r}: quick_promise: item "
            f"{', '.join(repr(i) for i in credits)} is a credit, not a debt to promise"
        )
    status = policy.status(setting.status)
    return apply_status(
        account,
        chosen,
        status,
        policy,
        on,
        comment=comment,
        follow_up=FollowUp.FROM_STATUS if status.action is not None else FollowUp.KEEP,
        promise_date=on + dt.timedelta(days=setting.delay_days),
        by=by,
    )
