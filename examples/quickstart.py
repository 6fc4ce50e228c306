"""Quickstart: a small portfolio, a four-step scenario, and the collection agenda of a day.

Run it with ``python examples/quickstart.py``.
"""

from __future__ import annotations

from datetime import date

from collectlib import (
    Account,
    ActionTemplate,
    Item,
    Policy,
    Scenario,
    Status,
    Step,
    Trigger,
    agenda,
    apply_status,
)

TODAY = date(2026, 3, 16)


def invoice(
    number: str, issued: str, due: str, amount: str, open_amount: str | None = None
) -> Item:
    """An invoice line of a customer statement."""
    return Item(
        id=number,
        kind="INVOICE",
        issue_date=date.fromisoformat(issued),
        due_date=date.fromisoformat(due),
        amount=amount,
        open_amount=amount if open_amount is None else open_amount,
    )


def main() -> None:
    """Build the policy and the portfolio, qualify a dispute, print the agenda."""
    policy = Policy(
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
        minimum_amount=50,
    )  # fmt: skip
    portfolio = [
        Account(id="C-001", name="Durand SA", collector="marie", items=[
            invoice("F-1001", "2026-01-05", "2026-02-04", "1200.00"),
            invoice("F-1017", "2026-02-02", "2026-03-04", "450.00")]),
        Account(id="C-002", name="Martin & fils", collector="paul", items=[
            invoice("F-2001", "2026-02-10", "2026-03-12", "980.00")]),
        Account(id="C-003", name="Bistro Lumière", collector="marie", items=[
            invoice("F-3001", "2025-12-01", "2025-12-31", "2400.00"),
            invoice("F-3009", "2026-01-15", "2026-02-14", "310.00")]),
        Account(id="C-004", name="Atelier Roux", collector="paul", items=[
            invoice("F-4001", "2026-01-20", "2026-02-19", "35.00")]),
    ]  # fmt: skip
    # The customer of C-003 disputes F-3001: it leaves the scenario for its follow-up.
    portfolio[2] = apply_status(
        portfolio[2], ["F-3001"], "price-dispute", policy, date(2026, 3, 10),
        comment="unit price disputed", by="marie",
    )  # fmt: skip
    rows = agenda(portfolio, policy, TODAY, horizon_days=3)
    print(f"Collection agenda of {TODAY} (and the next 3 days)")
    print(f"{'due':10}  {'late':>4}  {'account':7}  {'collector':9}  {'action':18}  {'amount':>9}")
    for row in rows:
        print(
            f"{row.due_on}  {row.late_days:>4}  {row.account_id:7}  {row.collector or '':9}  "
            f"{row.name:18}  {row.amount:>9,.2f}"
        )
    print("(C-004 owes 35.00, below the 50.00 minimum: nothing to do.)")


if __name__ == "__main__":
    main()
