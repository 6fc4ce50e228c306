"""Small builders for readable example tests (dates as 'YYYY-MM-DD' strings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from collectlib import (
    Account,
    Channel,
    Item,
    ItemKind,
    Policy,
    Scenario,
    SpecificAction,
    Step,
    Trigger,
)


def d(text: str) -> dt.date:
    """Parse an ISO date."""
    return dt.date.fromisoformat(text)


def invoice(
    item_id: str,
    due: str,
    amount: int | str = 100,
    open_amount: int | str | None = None,
    issued: str | None = None,
) -> Item:
    """An invoice due on ``due`` (issued 30 days before unless told)."""
    due_date = d(due)
    return Item(
        id=item_id,
        kind=ItemKind.INVOICE,
        issue_date=d(issued) if issued else due_date - dt.timedelta(days=30),
        due_date=due_date,
        amount=amount,
        open_amount=amount if open_amount is None else open_amount,
    )


def credit(item_id: str, due: str, amount: int | str = -50) -> Item:
    """A credit note."""
    return Item(
        id=item_id,
        kind=ItemKind.CREDIT_NOTE,
        issue_date=d(due),
        due_date=d(due),
        amount=amount,
        open_amount=amount,
    )


def action(
    action_id: str, item_ids: set[str], due: str, created: str = "2026-01-01"
) -> SpecificAction:
    """An open call action on ``item_ids``."""
    return SpecificAction(
        id=action_id,
        name="follow-up call",
        channel=Channel.CALL,
        item_ids=frozenset(item_ids),
        due_on=d(due),
        created_on=d(created),
    )


STANDARD = Scenario(
    name="standard",
    steps=(
        Step(
            name="reminder e-mail",
            channel=Channel.EMAIL,
            template="Dear #customer_name, #total_due is due.",
            trigger=Trigger.leader_due(1),
            automatic=True,
        ),
        Step(name="call", channel=Channel.CALL, trigger=Trigger.leader_due(15)),
        Step(
            name="letter",
            channel=Channel.LETTER,
            template="#items_list_overdue",
            trigger=Trigger.after_last_action(10),
        ),
        Step(
            name="formal notice",
            channel=Channel.REGISTERED_LETTER,
            template="#items_list_overdue",
            trigger=Trigger.leader_due(45),
            automatic=True,
            to_be_confirmed=True,
        ),
    ),
)


def policy(**changes: object) -> Policy:
    """The standard scenario as default, with ``changes`` applied."""
    fields: dict[str, object] = {"scenarios": (STANDARD,), "default_scenario": "standard"}
    fields.update(changes)
    return Policy(**fields)


def account(*items: Item, **changes: object) -> Account:
    """Account C-1 holding ``items``."""
    fields: dict[str, object] = {"id": "C-1", "name": "Durand SA", "items": items}
    fields.update(changes)
    return Account(**fields)


ZERO = Decimal(0)


# --- qualification -----------------------------------------------------------------

from collectlib import (  # noqa: E402
    ActionTemplate,
    QuickPromise,
    Status,
    StatusCategory,
)

CALL_BACK = ActionTemplate(name="call back", channel=Channel.CALL, delay_days=3)
DISPUTE_FOLLOW_UP = ActionTemplate(name="dispute follow-up", channel=Channel.CALL, delay_days=7)
PROMISE_CHECK = ActionTemplate(name="check the payment", channel=Channel.CALL, delay_days=2)

STATUSES = (
    Status(code="ongoing", label="Being handled"),
    Status(
        code="promise",
        label="Promise to pay",
        category=StatusCategory.PROMISE,
        action=PROMISE_CHECK,
    ),
    Status(code="promise-bare", category=StatusCategory.PROMISE),
    Status(code="price-dispute", category=StatusCategory.DISPUTE, action=DISPUTE_FOLLOW_UP),
    Status(code="resolved", category=StatusCategory.DISPUTE_RESOLVED),
    Status(
        code="litigation",
        category=StatusCategory.LITIGATION,
        action=ActionTemplate(name="lawyer", channel=Channel.LITIGATION, delay_days=30),
    ),
)


def qualifying_policy(**changes: object) -> Policy:
    """The standard scenario with statuses, a quick promise and a dispute-resolved status."""
    fields: dict[str, object] = {
        "statuses": STATUSES,
        "quick_promise": QuickPromise(status="promise", delay_days=3),
        "dispute_resolved_status": "resolved",
    }
    fields.update(changes)
    return policy(**fields)
