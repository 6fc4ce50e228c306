"""Write the demo portfolio: ``python -m collectlib.demo.build`` (deterministic).

Accounts are built with collectlib's own operations (statuses, actions, promises, a
payment plan, scenario actions recorded), so their journals are real.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from decimal import Decimal
from pathlib import Path

import attrs

from collectlib import (
    Account,
    Channel,
    EntryKind,
    Item,
    Policy,
    Settlement,
    apply_status,
    create_plan,
    due_actions,
    next_action,
    quick_promise,
    record_action,
    reschedule_action,
    schedule,
)
from collectlib.demo import AS_OF, policy
from collectlib.io.files import SETTLEMENT_COLUMNS, Portfolio, save_portfolio
from collectlib.portfolio.agenda import REVIEW_COMPLETED

NAMES = (
    "Durand SA", "Martin & fils", "Bistro Lumière", "Atelier Roux", "Garage Morel",
    "Boulangerie Petit", "Traiteur Blanc", "Hôtel des Voyageurs", "Pharmacie Leroy",
    "Menuiserie Fabre", "Transports Girard", "Cave Bonnet", "Imprimerie Mercier",
    "Clinique Vétérinaire Faure", "Librairie Lambert", "Fleurs Rousseau", "Optique Vincent",
    "Électricité Muller", "Plomberie Lefèvre", "Auto-école Fontaine", "Camping Chevalier",
    "Brasserie Robin", "Mairie de Saint-Aubin", "Lycée Jean Moulin", "Hôpital du Val",
    "Communauté de communes du Lac", "Start-up Nuage", "Import Export Dupuis",
    "Bâtiment Gauthier", "Studio Perrin", "Ferme Clément", "Salon Morin", "Épicerie Nicolas",
    "Sport 2000 Henry", "Restaurant Le Lys", "Agence Mathieu",
)  # fmt: skip
COLLECTORS = ("marie", "paul", "sophie")
GERMAN = (9, 18)  # customers in German-speaking Switzerland; the others write French or English


def build() -> Portfolio:
    """Return the demo portfolio, the same every time."""
    rng = random.Random(2026)  # noqa: S311  # demo data, not secrets
    rules = policy()
    accounts = []
    for number, name in enumerate(NAMES, start=1):
        account_id = f"C-{number:03d}"
        client_type = (
            "public" if number in (23, 24, 25, 26) else "risky" if number in (27, 28) else None
        )
        items = []
        new = number % 4 == 1  # a customer the collectors have not worked yet
        for line in range(rng.randint(1, 6)):
            # A new customer's invoices are recent: nobody leaves 100-day-old debts unworked.
            issue = AS_OF - dt.timedelta(days=rng.randint(5, 45 if new else 160))
            amount = Decimal(rng.randint(4_000, 480_000)).scaleb(-2)
            state = rng.random()
            open_amount = (
                Decimal(0)
                if state < 0.2
                else (amount / 2).quantize(Decimal("0.01"))
                if state < 0.3
                else amount
            )
            items.append(
                Item(id=f"F-{number:03d}{line:02d}", kind="INVOICE", issue_date=issue,
                     due_date=issue + dt.timedelta(days=30), amount=amount, open_amount=open_amount)
            )  # fmt: skip
        if number % 5 == 0:
            issue = AS_OF - dt.timedelta(days=rng.randint(10, 60))
            credit = Decimal(-rng.randint(2_000, 30_000)).scaleb(-2)
            items.append(Item(id=f"AV-{number:03d}", kind="CREDIT_NOTE", issue_date=issue,
                              due_date=issue, amount=credit, open_amount=credit))  # fmt: skip
        if number == 35:  # the ERP says this invoice is disputed; nobody follows it up yet
            items[0] = attrs.evolve(items[0], status="quality-dispute", comment="from the ERP",
                                    status_date=AS_OF - dt.timedelta(days=3),
                                    open_amount=items[0].amount)  # fmt: skip
        if number == 12:
            small = AS_OF - dt.timedelta(days=90)  # a residue below ignore_below
            items.append(Item(id="F-01299", kind="INVOICE", issue_date=small,
                              due_date=small + dt.timedelta(days=30), amount="3.20",
                              open_amount="3.20"))  # fmt: skip
        account = Account(
            id=account_id,
            name=name,
            client_type=client_type,
            collector=COLLECTORS[number % 3],
            penalties_enabled=number % 4 == 0,
            language="de_CH" if number in GERMAN else "fr" if number % 2 == 0 else None,
            items=items,
        )
        accounts.append(_history(account, rules, number, new))
    return Portfolio(accounts=accounts, as_of=AS_OF)


def _history(account: Account, rules: Policy, number: int, new: bool) -> Account:
    """Give most accounts a past: actions performed, disputes, promises, a plan."""
    day = AS_OF - dt.timedelta(days=150)
    if not new:  # the collectors have worked these accounts
        stop = AS_OF - dt.timedelta(days=(number * 7) % 12 + 1)  # 1 to 12 days behind
        while day < stop:
            account = _work(account, rules, day)
            day += dt.timedelta(days=3)
    open_debits = [i.id for i in account.items if i.is_debit]
    if not open_debits:
        return account
    when = AS_OF - dt.timedelta(days=6)
    if number in (4, 17, 29):
        account = apply_status(account, open_debits[:1], "price-dispute", rules, when,
                               comment="unit price disputed", owner="sales-anna",
                               by="marie")  # fmt: skip
    elif number in (8, 21):
        account = apply_status(account, open_debits[-1:], "quality-dispute", rules, when,
                               comment="damaged goods", by="paul")  # fmt: skip
    elif number in (6, 14, 33):
        account = quick_promise(account, open_debits[:2], rules, AS_OF - dt.timedelta(days=4),
                                comment="will pay by transfer", by="sophie")  # fmt: skip
    elif number == 10:
        total = sum((account.item(i).open_amount for i in open_debits), Decimal(0))
        installments = schedule(total, 3, AS_OF - dt.timedelta(days=1))
        account = create_plan(account, open_debits, installments, rules,
                              AS_OF - dt.timedelta(days=20),
                              comment="3 monthly installments", by="paul")  # fmt: skip
    elif number == 31:
        account = apply_status(account, open_debits, "litigation", rules, when,
                               comment="file sent to the lawyer", by="marie")  # fmt: skip
    return account


def _work(account: Account, rules: Policy, day: dt.date) -> Account:
    """Do what the agenda of ``day`` asks, as a diligent collector would.

    The scenario's step is performed; a completed scenario goes to litigation (its
    overdue debits get the litigation status and its lawyer follow-up); the lawyer's
    follow-up is looked at again a month later.
    """
    for row in due_actions(account, rules, day):
        if row.kind is EntryKind.SCENARIO:
            proposal = next_action(account, rules, day)
            if proposal is not None:
                account = record_action(account, proposal, rules, day, by=account.collector)
        elif row.kind is EntryKind.REVIEW and row.name == REVIEW_COMPLETED:
            overdue = sorted(i for i in row.item_ids if account.item(i).is_overdue(day))
            account = apply_status(account, overdue, "litigation", rules, day,
                                   comment="no answer", by=account.collector)  # fmt: skip
        elif row.kind is EntryKind.SPECIFIC and row.channel is Channel.LITIGATION:
            assert row.action_id is not None  # noqa: S101  # a specific row has its action
            account = reschedule_action(account, row.action_id, day + dt.timedelta(days=30), day,
                                        by=account.collector)  # fmt: skip
    return account


DISPUTING = (4, 8, 17, 21, 29, 31, 35)
"""The customers in a dispute today, who disputed invoices before too."""


def history(portfolio: Portfolio) -> list[Settlement]:
    """Return the paid invoices of the demo's customers over the 18 months before ``AS_OF``.

    Customers differ in lateness, by their number: punctual ones (a few days early),
    habitual late payers (10 to 20 days), erratic ones (on time, or weeks late), ones
    who pay later every month (from on time to some 25 days late), and ones a few days
    late.  Disputed invoices (mostly of the customers in a dispute today) are paid
    one to three months later.  No payment on a weekend.  The same every time.
    """
    rng = random.Random(18)  # noqa: S311  # demo data, not secrets
    found = []
    start = AS_OF - dt.timedelta(days=540)
    for account in portfolio.accounts:
        number = int(account.id[2:])
        kind = number % 5
        habit = (rng.uniform(-4, 0), rng.uniform(10, 20), 0.0, 0.0, rng.uniform(2, 6))[kind]
        scale = rng.lognormvariate(7, 0.8)
        day = start + dt.timedelta(days=rng.randrange(30))
        line = 0
        while day < AS_OF:
            due = day + dt.timedelta(days=30)
            if kind == 2:  # erratic: on time, or weeks late
                delay = rng.gauss(0, 2) if rng.random() < 0.5 else rng.uniform(10, 50)
            elif kind == 3:  # later every month
                delay = rng.gauss(25 * (day - start).days / 540, 3)
            else:
                delay = rng.gauss(habit, 2.5)
            disputed = rng.random() < (0.2 if number in DISPUTING else 0.03)
            if disputed:
                delay = max(delay, 0) + rng.uniform(30, 90)
            settled = max(due + dt.timedelta(days=round(delay)), day)
            if settled.weekday() >= 5:
                settled += dt.timedelta(days=7 - settled.weekday())
            if settled < AS_OF:
                amount = round(rng.lognormvariate(math.log(scale), 0.7), 2) + 10
                found.append(
                    Settlement(account_id=account.id, item_id=f"H-{number:03d}{line:02d}",
                               issue_date=day, due_date=due, settled_on=settled,
                               amount=f"{amount:.2f}", disputed=disputed,
                               currency=account.currency)
                )  # fmt: skip
            line += 1
            day += dt.timedelta(days=rng.randint(18, 45))
    return found


def write_history(settlements: list[Settlement], target: Path) -> None:
    """Write the settlements as a CSV of paid items (``SETTLEMENT_COLUMNS``)."""
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SETTLEMENT_COLUMNS)
        for s in settlements:
            writer.writerow(
                (s.account_id, s.item_id, s.issue_date, s.due_date, s.settled_on, s.amount,
                 s.currency, "true" if s.disputed else "")
            )  # fmt: skip


def main() -> None:
    """Write ``portfolio.json`` and ``history.csv`` next to this file."""
    target = Path(__file__).with_name("portfolio.json")
    portfolio = build()
    save_portfolio(portfolio, target)
    print(f"wrote {target}")
    paid = Path(__file__).with_name("history.csv")
    write_history(history(portfolio), paid)
    print(f"wrote {paid}")


if __name__ == "__main__":
    main()
