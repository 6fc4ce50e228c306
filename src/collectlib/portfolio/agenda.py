"""The collection agenda: every action due across a portfolio, in working order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import NamedTuple

from collectlib._checks import check_date
from collectlib.enums import ActionState, Channel, EntryKind
from collectlib.errors import ValidationError
from collectlib.model import Account, Policy, SendingWindow
from collectlib.money import ZERO
from collectlib.rules.dunning import decide
from collectlib.rules.plans import plan_progress
from collectlib.rules.sending import planned_send_at

__all__ = ["AgendaEntry", "agenda", "due_actions", "sort_agenda"]

_OPEN = ActionState.OPEN
_SCENARIO = EntryKind.SCENARIO
_SPECIFIC = EntryKind.SPECIFIC


class AgendaEntry(NamedTuple):
    """One row of the agenda: an action due, for whom, on what, for how much.

    A scenario row (``kind`` ``SCENARIO``) has ``step_index`` and no ``action_id``,
    and its amount is the account's balance; a specific row has ``action_id`` and
    no ``step_index``, and its amount is the open amount of the action's open items.
    ``late_days`` counts from ``due_on`` to the agenda date (0 when not yet due).
    ``send_at`` is when an automatic action goes out under the policy's sending
    window, *now* being the start of the agenda date (``planned_send_at``); ``None``
    for an action that is not automatic, one to be confirmed, or without a window.
    ``arrears`` is set on the follow-up row of a payment plan: what is due to date
    and not paid (``plan_progress``); ``None`` on other rows.

    A row is a ``NamedTuple``: immutable, cheap to build by the million, and
    ``entry._asdict()`` gives the plain dict a CSV writer or a data frame wants.
    """

    account_id: str
    collector: str | None
    due_on: dt.date
    late_days: int
    kind: EntryKind
    channel: Channel
    name: str
    item_ids: frozenset[str]
    amount: Decimal
    automatic: bool
    needs_confirmation: bool
    action_id: str | None
    step_index: int | None
    send_at: dt.datetime | None = None
    arrears: Decimal | None = None


_new_entry = tuple.__new__


def _collect(
    account: Account,
    policy: Policy,
    on: dt.date,
    until: dt.date,
    append: Callable[[AgendaEntry], None],
) -> None:
    """Append the account's actions due by ``until`` (late days counted on ``on``)."""
    decision = decide(account, policy, on)
    window = policy.sending_window
    if type(decision) is tuple:
        scenario, index, _leader, due, total, ids = decision
        if due <= until:
            step = scenario.steps[index]
            late = (on - due).days
            append(
                _new_entry(
                    AgendaEntry,
                    (
                        account.id,
                        account.collector,
                        due,
                        late if late > 0 else 0,
                        _SCENARIO,
                        step.channel,
                        step.name,
                        frozenset(ids),
                        total,
                        step.automatic,
                        step.automatic and step.to_be_confirmed,
                        None,
                        index,
                        None
                        if window is None
                        else planned_send_at(window, step.automatic, step.to_be_confirmed, due, on),
                        None,
                    ),
                )
            )
    if account.actions:
        _collect_specific(account, window, on, until, append)


def _collect_specific(
    account: Account,
    window: SendingWindow | None,
    on: dt.date,
    until: dt.date,
    append: Callable[[AgendaEntry], None],
) -> None:
    """Append the open specific actions due by ``until`` that still hold an open item.

    An open action whose items are all closed is deleted as of that date, so it
    shows no row.
    """
    open_amounts: dict[str, Decimal] | None = None
    for action in account.actions:
        if action.state is not _OPEN or action.due_on > until:
            continue
        if open_amounts is None:
            open_amounts = {item.id: item.open_amount for item in account.items}
        held = [item_id for item_id in action.item_ids if open_amounts[item_id]]
        if not held:
            continue
        late = (on - action.due_on).days
        append(
            _new_entry(
                AgendaEntry,
                (
                    account.id,
                    account.collector,
                    action.due_on,
                    late if late > 0 else 0,
                    _SPECIFIC,
                    action.channel,
                    action.name,
                    frozenset(held),
                    sum((open_amounts[item_id] for item_id in held), ZERO),
                    action.automatic,
                    action.automatic and action.to_be_confirmed,
                    action.id,
                    None,
                    None
                    if window is None
                    else planned_send_at(
                        window, action.automatic, action.to_be_confirmed, action.due_on, on
                    ),
                    None
                    if action.plan_id is None
                    else plan_progress(account, action.plan_id, on).arrears,
                ),
            )
        )


def due_actions(account: Account, policy: Policy, on: dt.date) -> tuple[AgendaEntry, ...]:
    """Return the account's actions due by ``on``: the scenario's, then the specific ones."""
    check_date("due_actions", "on", on)
    rows: list[AgendaEntry] = []
    _collect(account, policy, on, on, rows.append)
    return tuple(rows)


def agenda(
    accounts: Iterable[Account], policy: Policy, on: dt.date, horizon_days: int = 0
) -> tuple[AgendaEntry, ...]:
    """Return every action due by ``on + horizon_days`` across ``accounts``.

    Rows are sorted by due date, then amount (largest first), then account id; an
    account's own rows keep the order of ``due_actions``.  ``accounts`` may be any
    iterable (a generator reading a file, say): it is read once, one account at a
    time, and only the rows are kept.  An account id seen twice is a
    ``ValidationError``.
    """
    check_date("agenda", "on", on)
    if type(horizon_days) is not int or horizon_days < 0:
        raise ValidationError(
            f"agenda: horizon_days must be a whole number >= 0, not {horizon_days!r}"
        )
    until = on + dt.timedelta(days=horizon_days)
    rows: list[AgendaEntry] = []
    append = rows.append
    seen: set[str] = set()
    add_seen = seen.add
    for count, account in enumerate(accounts, 1):
        add_seen(account.id)
        if len(seen) != count:
            raise ValidationError(f"agenda: account {account.id!r} appears twice")
        _collect(account, policy, on, until, append)
    return sort_agenda(rows)


def sort_agenda(entries: Iterable[AgendaEntry]) -> tuple[AgendaEntry, ...]:
    """Return ``entries`` in the agenda's order: due date, amount (largest first), account.

    The sort is stable, so an account's rows keep their order.  Use it to combine
    agendas computed apart (per partition, per worker): sorting their concatenation
    gives the agenda of the whole portfolio.
    """
    # A portfolio's rows fall on a few hundred dates: group them by date, then sort
    # each group, which costs half of one sort of all rows on a composite key.
    by_due: dict[dt.date, list[AgendaEntry]] = {}
    for entry in entries:
        group = by_due.get(entry[2])
        if group is None:
            by_due[entry[2]] = [entry]
        else:
            group.append(entry)
    ordered: list[AgendaEntry] = []
    extend = ordered.extend
    for due in sorted(by_due):
        group = by_due[due]
        if len(group) > 1:
            group.sort(key=_order)
        extend(group)
    return tuple(ordered)


def _order(row: AgendaEntry) -> tuple[Decimal, str]:
    """Return the order of rows due the same day: amount (largest first), then account id."""
    return (-row[8], row[0])
