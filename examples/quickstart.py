"""Quickstart: a small portfolio, a four-step scenario, and the collection agenda of a day.

Five customers, one collection policy, and the question every collector asks in the
morning: what is due today?  Run it with ``python examples/quickstart.py``.
"""

from __future__ import annotations

from datetime import date

from collectlib import (
    Account,
    ActionTemplate,
    AgendaEntry,
    Item,
    Policy,
    Scenario,
    Status,
    Step,
    Trigger,
    agenda,
    apply_status,
    next_action,
    record_action,
)

TODAY = date(2026, 3, 16)
HORIZON_DAYS = 3

POLICY = Policy(
    statuses=[
        Status(
            code="price-dispute",
            label="Price dispute",
            category="DISPUTE",
            action=ActionTemplate(name="Dispute follow-up", channel="CALL", delay_days=7),
        )
    ],
    scenarios=[
        Scenario(
            name="standard",
            steps=[
                Step(name="Courtesy e-mail", channel="EMAIL", trigger=Trigger.leader_due(1),
                     template="Dear #customer_name, #total_due is now due.", automatic=True),
                Step(name="Phone call", channel="CALL", trigger=Trigger.leader_due(15)),
                Step(name="Reminder letter", channel="LETTER",
                     trigger=Trigger.after_last_action(10), template="#items_list_overdue"),
                Step(name="Formal notice", channel="REGISTERED_LETTER",
                     trigger=Trigger.leader_due(45), template="#items_list_overdue"),
            ],
        )
    ],
    default_scenario="standard",
    minimum_amount=50,  # no scenario action for less than 50.00
)  # fmt: skip


# The open items of the ERP: account, customer, collector, invoice, issued, due, amount.
OPEN_ITEMS = [
    ("C-001", "Durand SA", "marie", "F-1001", "2026-01-05", "2026-02-04", "1200.00"),
    ("C-001", "Durand SA", "marie", "F-1017", "2026-02-02", "2026-03-04", "450.00"),
    ("C-002", "Martin & fils", "paul", "F-2001", "2026-02-10", "2026-03-12", "980.00"),
    ("C-003", "Bistro Lumière", "marie", "F-3001", "2025-12-01", "2025-12-31", "2400.00"),
    ("C-003", "Bistro Lumière", "marie", "F-3009", "2026-01-15", "2026-02-14", "310.00"),
    ("C-004", "Atelier Roux", "paul", "F-4001", "2026-01-20", "2026-02-19", "35.00"),
    ("C-005", "Garage Petit", "sophie", "F-5001", "2025-10-21", "2025-11-20", "3150.00"),
]


def performed(account: Account, *days: str) -> Account:
    """Return ``account`` with the scenario's next action recorded as done on each day."""
    for day in map(date.fromisoformat, days):
        proposal = next_action(account, POLICY, day)
        if proposal is None:
            raise SystemExit(f"{account.id}: the scenario proposes nothing on {day}")
        account = record_action(account, proposal, POLICY, day, by=account.collector)
    return account


def portfolio() -> list[Account]:
    """The customer files, with what the collectors have already done."""
    files: dict[tuple[str, str, str], list[Item]] = {}
    for account_id, name, collector, number, issued, due, amount in OPEN_ITEMS:
        invoice = Item(
            id=number,
            kind="INVOICE",
            issue_date=date.fromisoformat(issued),
            due_date=date.fromisoformat(due),
            amount=amount,
            open_amount=amount,
        )
        files.setdefault((account_id, name, collector), []).append(invoice)
    durand, martin, bistro, roux, petit = (
        Account(id=account_id, name=name, collector=collector, items=items)
        for (account_id, name, collector), items in files.items()
    )
    # Durand got the e-mail and the call; Garage Petit the e-mail, the call and the letter.
    durand = performed(durand, "2026-02-05", "2026-02-20")
    petit = performed(petit, "2025-11-21", "2025-12-05", "2025-12-15")
    # Bistro Lumière disputes the price of F-3001: it leaves the scenario for its follow-up.
    bistro = apply_status(
        bistro,
        ["F-3001"],
        "price-dispute",
        POLICY,
        date(2026, 3, 10),
        comment="unit price disputed",
        by="marie",
    )
    return [durand, martin, bistro, roux, petit]


def table(rows: tuple[AgendaEntry, ...]) -> list[str]:
    """Format agenda rows as an aligned text table (numbers right-aligned)."""
    header = ("due", "late", "account", "collector", "action", "channel", "amount")
    cells = [
        (
            str(row.due_on),
            str(row.late_days),
            row.account_id,
            row.collector or "",
            row.name,
            row.channel.value.lower(),
            f"{row.amount:,.2f}",
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    right = {1, 6}
    return [
        "  ".join(
            text.rjust(width) if i in right else text.ljust(width)
            for i, (text, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in [header, *cells]
    ]


def main() -> None:
    """Print the collection agenda of TODAY and the next few days."""
    rows = agenda(portfolio(), POLICY, TODAY, horizon_days=HORIZON_DAYS)
    print(f"Collection agenda of {TODAY} (and the next {HORIZON_DAYS} days)")
    print()
    for line in table(rows):
        print(line)
    print()
    print(f"{len(rows)} actions, {sum(row.amount for row in rows):,.2f} at stake.")
    print("Atelier Roux owes 35.00, below the 50.00 minimum: nothing to do.")


if __name__ == "__main__":
    main()
