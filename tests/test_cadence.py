"""Cadence and consequences (SPEC §10, §13): the policies real credit departments write.

Each story is a peer's case (Kill Bill, Tryton, OCA, Invoice Ninja, iDempiere, Lago,
Upflow, metasfresh), with dates and amounts; then Hypothesis properties.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import CALL_BACK, STANDARD, account, d, invoice, policy, qualifying_policy
from collectlib import (
    Account,
    AccountPaused,
    Channel,
    CollectorRule,
    Condition,
    CreditHold,
    EntryKind,
    Fallback,
    Fee,
    HoldReleased,
    IdleReason,
    Item,
    PauseEnded,
    Repeat,
    RuleViolation,
    ScenarioActionRecorded,
    Step,
    Trigger,
    ValidationError,
    agenda,
    apply_status,
    cancel_action,
    complete_action,
    create_action,
    credit_hold,
    due_actions,
    end_pause,
    explain,
    holds,
    idle_reason,
    next_action,
    pause,
    penalties,
    quick_promise,
    record_action,
    release_hold,
    render,
    sync_items,
    template_context,
)
from collectlib.rules.cadence import collector_for
from collectlib.rules.dunning import channel_of
from collectlib.strategies import accounts, dates, policies


def perform(acc: Account, pol, day: str) -> Account:
    proposal = next_action(acc, pol, d(day))
    assert proposal is not None, idle_reason(acc, pol, d(day))
    return record_action(acc, proposal, pol, d(day), by="marie")


def with_steps(*changes: tuple[int, dict[str, object]], **scenario: object):
    steps = list(STANDARD.steps)
    for index, fields in changes:
        steps[index] = attrs.evolve(steps[index], **fields)
    return policy(scenarios=(attrs.evolve(STANDARD, steps=tuple(steps), **scenario),))


# --- New triggers (Kill Bill: from the invoice date; OCA/Odoo: end of month) -----------------


def test_a_step_counts_from_the_invoice_date() -> None:
    pol = with_steps((0, {"trigger": Trigger.leader_issued(40)}))
    acc = account(invoice("F-1", "2026-02-04", issued="2026-01-05"))
    assert next_action(acc, pol, d("2026-02-01")).due_on == d("2026-02-14")


def test_thirty_days_end_of_month() -> None:
    pol = with_steps((0, {"trigger": Trigger.end_of_month(30)}))
    acc = account(invoice("F-1", "2026-01-10"))
    assert next_action(acc, pol, d("2026-01-11")).due_on == d("2026-02-28")
    assert str(Trigger.end_of_month(30)) == "leader due +30, end of month"
    with pytest.raises(ValidationError, match=r"trigger: days must be at least 0, not -1"):
        Trigger.leader_issued(-1)


# --- Conditions (Kill Bill: skip the litigation step for small balances) ---------------------


def test_small_balances_skip_the_formal_notice() -> None:
    pol = with_steps((3, {"when": Condition(min_balance=1000)}))
    small = account(invoice("F-1", "2026-01-10", "300.00"))
    small = perform(
        perform(perform(small, pol, "2026-01-11"), pol, "2026-01-25"), pol, "2026-02-04"
    )
    assert next_action(small, pol, d("2026-03-01")) is None
    why = explain(small, pol, d("2026-03-01"))
    assert why.skipped == ((3, "balance 300.00 is below 1000"),)
    assert why.idle_reason is IdleReason.SCENARIO_COMPLETED
    big = account(invoice("F-1", "2026-01-10", "3000.00"))
    big = perform(perform(perform(big, pol, "2026-01-11"), pol, "2026-01-25"), pol, "2026-02-04")
    assert next_action(big, pol, d("2026-03-01")).step.name == "formal notice"
    just = account(invoice("F-1", "2026-01-10", "1000.00"))  # min_balance exactly: sent
    just = perform(perform(perform(just, pol, "2026-01-11"), pol, "2026-01-25"), pol, "2026-02-04")
    assert next_action(just, pol, d("2026-03-01")).step.name == "formal notice"


def test_when_the_steps_left_are_skipped_a_collector_reviews_the_balance() -> None:
    # The last step done is the letter, the formal notice is skipped for a small balance:
    # with a review, the scenario is completed and a person decides, on the letter's row.
    pol = with_steps((3, {"when": Condition(min_balance=1000)}), review_after_days=7)
    small = account(invoice("F-1", "2026-01-10", "300.00"), invoice("F-2", "2026-01-20", "20.00"))
    small = perform(
        perform(perform(small, pol, "2026-01-11"), pol, "2026-01-25"), pol, "2026-02-04"
    )
    (row,) = agenda([small], pol, d("2026-03-01"))
    assert (row.kind, row.step_index, row.repeat) == (EntryKind.REVIEW, 2, 0)
    assert (row.due_on, row.late_days) == (d("2026-02-11"), 18)  # the letter + 7 days
    assert row.amount == Decimal("320.00")
    assert row.item_ids == {"F-1", "F-2"}
    why = explain(small, pol, d("2026-03-01"))
    assert why.skipped == ((3, "balance 320.00 is below 1000"),)


def test_a_step_for_leaders_so_many_days_late() -> None:
    pol = with_steps((0, {"when": Condition(min_days_late=5)}))
    acc = account(invoice("F-1", "2026-01-10"))
    assert next_action(acc, pol, d("2026-01-15")).step.name == "reminder e-mail"  # 5 days
    assert next_action(acc, pol, d("2026-01-14")).step.name == "call"  # 4: skipped
    pol = with_steps((0, {"when": Condition(min_days_late=1)}))
    assert next_action(acc, pol, d("2026-01-10")).step.name == "call"  # due today: 0 days


def test_a_call_only_when_two_invoices_are_overdue() -> None:
    pol = with_steps((1, {"when": Condition(min_overdue_items=2)}))
    one = perform(account(invoice("F-1", "2026-01-10")), pol, "2026-01-11")
    proposal = next_action(one, pol, d("2026-01-25"))
    assert proposal.step.name == "letter"  # the call is skipped, the letter follows
    assert proposal.skipped == ((1, "1 overdue items, fewer than 2"),)
    two = perform(
        account(invoice("F-1", "2026-01-10"), invoice("F-2", "2026-01-12")), pol, "2026-01-11"
    )
    assert next_action(two, pol, d("2026-01-25")).step.name == "call"
    # An invoice due on the day asked is not overdue yet.
    due_today = perform(
        account(invoice("F-1", "2026-01-10"), invoice("F-2", "2026-01-25")), pol, "2026-01-11"
    )
    assert next_action(due_today, pol, d("2026-01-25")).step.name == "letter"


def test_a_condition_by_currency() -> None:
    when = Condition(min_balance={"EUR": 500, "JPY": 80_000})
    pol = with_steps((0, {"when": when}))
    yen = account(invoice("F-1", "2026-01-10", "50000"), currency="JPY")
    assert next_action(yen, pol, d("2026-01-11")).step.name == "call"
    assert str(when) == "balance >= 500.00 EUR, 80,000 JPY"


# --- Fees (Tryton, OCA, Invoice Ninja) --------------------------------------------------------


def test_a_fee_at_the_second_reminder_fixed_plus_a_percentage() -> None:
    pol = with_steps((2, {"fee": Fee(fixed=15, percent="0.01")}))
    acc = account(invoice("F-1", "2026-01-10", "1234.56"))
    acc = perform(perform(perform(acc, pol, "2026-01-11"), pol, "2026-01-25"), pol, "2026-02-04")
    assert [e.fee for e in acc.journal] == [0, 0, Decimal("27.35")]  # 15 + 12.3456
    charged = penalties(acc, ["F-1"], pol, d("2026-02-05"))
    assert (charged.fees, charged.total, charged.interest) == (
        Decimal("27.35"),
        Decimal("27.35"),
        0,
    )
    assert charged.by_item["F-1"].fees == Decimal("27.35")
    context = template_context(acc, ["F-1"], pol, d("2026-02-05"))
    assert render("Fees: #fees", context) == "Fees: 27.35 EUR"


@pytest.mark.parametrize(
    ("currency", "fee"), [("JPY", Decimal("1235")), ("KWD", Decimal("1234.571"))]
)
def test_fees_are_quantized_to_the_currency(currency, fee) -> None:
    pol = with_steps((0, {"fee": Fee(percent="0.02")}))
    acc = perform(
        account(invoice("F-1", "2026-01-10", "61728.55"), currency=currency), pol, "2026-01-11"
    )
    assert acc.journal[-1].fee == fee  # 2 % of 61,728.55: 1,234.571


def test_a_fixed_fee_per_currency_charges_the_account_currency() -> None:
    pol = with_steps((0, {"fee": Fee(fixed={"EUR": 10, "JPY": 1500}, percent="0.01")}))
    acc = perform(account(invoice("F-1", "2026-01-10", "20000"), currency="JPY"), pol, "2026-01-11")
    assert acc.journal[-1].fee == Decimal(1700)  # 1,500 JPY + 1 % of 20,000


def test_a_repeat_charges_no_fee_unless_it_says_so() -> None:
    fee = Fee(fixed=10)
    pol = with_steps((3, {"fee": fee}), repeat=Repeat(every_days=7, max_times=2))
    acc = account(invoice("F-1", "2026-01-10"))
    for day in ("2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24", "2026-03-03"):
        acc = perform(acc, pol, day)
    assert [e.fee for e in acc.journal] == [0, 0, 0, 10, 0]
    charging = with_steps(
        (3, {"fee": fee}), repeat=Repeat(every_days=7, max_times=2, fee=Fee(fixed=5))
    )
    acc = account(invoice("F-1", "2026-01-10"))
    for day in ("2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24", "2026-03-03"):
        acc = perform(acc, charging, day)
    assert [e.fee for e in acc.journal] == [0, 0, 0, 10, 5]


def test_fees_of_a_disputed_or_paid_item_are_not_reported() -> None:
    pol = attrs.evolve(
        qualifying_policy(), scenarios=with_steps((0, {"fee": Fee(fixed=20)})).scenarios
    )
    acc = perform(account(invoice("F-1", "2026-01-10")), pol, "2026-01-11")
    disputed = attrs.evolve(acc, items=(attrs.evolve(acc.items[0], status="price-dispute"),))
    assert penalties(disputed, ["F-1"], pol, d("2026-01-12")).fees == 0
    paid = sync_items(acc, [], d("2026-01-12"))
    assert penalties(paid, ["F-1"], pol, d("2026-01-12")).fees == 0


# --- Credit hold (Tryton credit limit, metasfresh delivery stop) ------------------------------


def on_hold_after_the_formal_notice(*more: Item) -> tuple[Account, object]:
    pol = with_steps((3, {"credit_hold": True}))
    acc = account(
        invoice("F-1", "2026-01-10", "800.00"), invoice("F-2", "2026-03-20", "200.00"), *more
    )
    for day in ("2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24"):
        acc = perform(acc, pol, day)
    return acc, pol


def test_the_formal_notice_stops_deliveries_until_the_overdue_items_are_paid() -> None:
    acc, pol = on_hold_after_the_formal_notice()
    hold = credit_hold(acc, pol, d("2026-03-01"))
    assert (hold.since, hold.amount, hold.item_ids) == (d("2026-02-24"), Decimal("800.00"), {"F-1"})
    assert "formal notice" in hold.reason
    rows = agenda([acc], pol, d("2026-03-30"), horizon_days=30)
    assert rows
    assert all(row.on_hold for row in rows)
    assert [h.account_id for h in holds([acc], pol, d("2026-03-01"))] == ["C-1"]
    promised = quick_promise(acc, ["F-1"], qualifying_policy(), d("2026-03-02"))
    assert credit_hold(promised, pol, d("2026-03-03")) is not None  # a promise is not a payment
    paid = sync_items(acc, [acc.item("F-2")], d("2026-03-05"))
    assert credit_hold(paid, pol, d("2026-03-05")) is None  # the items it covered are paid
    assert holds([paid], pol, d("2026-03-05")) == ()


def test_the_holds_report_keeps_each_hold_in_its_account_s_currency() -> None:
    pol = with_steps((3, {"credit_hold": True}))
    euros = account(invoice("F-1", "2026-01-10", "800.00"))
    yen = account(invoice("F-1", "2026-01-10", 150_000), id="C-2", currency="JPY")
    for day in ("2026-01-11", "2026-01-25", "2026-02-04", "2026-02-24"):
        euros, yen = perform(euros, pol, day), perform(yen, pol, day)
    report = holds([euros, yen], pol, d("2026-03-01"))
    assert [(h.account_id, h.amount, h.currency) for h in report] == [
        ("C-1", Decimal("800.00"), "EUR"), ("C-2", Decimal(150_000), "JPY")]  # fmt: skip


def test_the_hold_covers_the_items_overdue_on_the_day_of_the_step_only() -> None:
    # F-3, due on the day of the formal notice, is named by the step but was not overdue.
    acc, pol = on_hold_after_the_formal_notice(invoice("F-3", "2026-02-24", "50.00"))
    assert acc.journal[-1].item_ids == {"F-1", "F-2", "F-3"}
    assert credit_hold(acc, pol, d("2026-03-01")).item_ids == {"F-1"}


def test_an_event_of_a_later_date_entered_before_the_step_does_not_hide_the_hold() -> None:
    acc, pol = on_hold_after_the_formal_notice()
    paused_first = AccountPaused(on=d("2026-03-10"), until=d("2026-04-01"))
    acc = attrs.evolve(acc, journal=(paused_first, *acc.journal))
    assert credit_hold(acc, pol, d("2026-03-01")).since == d("2026-02-24")


def test_a_credit_manager_releases_the_hold() -> None:
    acc, pol = on_hold_after_the_formal_notice()
    released = release_hold(acc, d("2026-03-02"), "guarantee received", by="cfo")
    assert credit_hold(released, pol, d("2026-03-02")) is None
    assert released.journal[-1] == HoldReleased(
        on=d("2026-03-02"), by="cfo", reason="guarantee received"
    )
    assert release_hold(acc, d("2026-03-02")).journal[-1].reason == ""  # no reason given
    with pytest.raises(RuleViolation, match=r"release_hold: the account is not on hold"):
        release_hold(released, d("2026-03-03"))


# --- Pause (iDempiere grace date, OCA PR #208) -------------------------------------------------


def test_a_paused_customer_picks_up_where_the_scenario_was() -> None:
    pol = policy()
    acc = perform(account(invoice("F-1", "2026-01-10")), pol, "2026-01-11")  # the e-mail
    paused = pause(acc, d("2026-02-15"), d("2026-01-20"), "customer on holiday", by="marie")
    assert paused.journal[-1] == AccountPaused(
        on=d("2026-01-20"), by="marie", until=d("2026-02-15"), reason="customer on holiday"
    )
    assert next_action(paused, pol, d("2026-01-25")) is None
    assert idle_reason(paused, pol, d("2026-01-20")) is IdleReason.PAUSED  # from its first day
    noted = apply_status(paused, ["F-1"], "ongoing", qualifying_policy(), d("2026-02-01"))
    assert idle_reason(noted, pol, d("2026-02-10")) is IdleReason.PAUSED  # a note ends nothing
    assert idle_reason(paused, pol, d("2026-01-25")) is IdleReason.PAUSED
    assert explain(paused, pol, d("2026-01-25")).paused_until == d("2026-02-15")
    proposal = next_action(paused, pol, d("2026-02-15"))
    assert (proposal.step.name, proposal.due_on) == ("call", d("2026-02-15"))  # not step 1 again
    with pytest.raises(RuleViolation, match=r"stale proposal"):
        record_action(paused, next_action(acc, pol, d("2026-01-25")), pol, d("2026-01-25"))


def test_ending_a_pause_early_and_specific_actions_during_it() -> None:
    pol = policy()
    acc = create_action(account(invoice("F-1", "2026-01-10"), invoice("F-2", "2026-01-20")), ["F-2"],
                        CALL_BACK, d("2026-01-20"))  # fmt: skip
    paused = pause(acc, d("2026-03-01"), d("2026-01-21"))
    assert paused.journal[-1] == AccountPaused(on=d("2026-01-21"), until=d("2026-03-01"))
    rows = due_actions(paused, pol, d("2026-01-25"))
    assert [row.kind for row in rows] == [EntryKind.SPECIFIC]  # the call-back stays
    ended = end_pause(paused, d("2026-02-01"), by="marie")
    assert ended.journal[-1] == PauseEnded(on=d("2026-02-01"), by="marie")
    assert next_action(ended, pol, d("2026-02-01")).due_on == d("2026-02-01")
    with pytest.raises(RuleViolation, match=r"end_pause: the account is not paused"):
        end_pause(ended, d("2026-02-02"))
    with pytest.raises(RuleViolation, match=r"pause: until \(2026-01-21\) must be after"):
        pause(acc, d("2026-01-21"), d("2026-01-21"))


# --- Contact spacing (Norway's 14 days, Lago's days between attempts) --------------------------


def test_never_two_contacts_within_fourteen_days() -> None:
    pol = policy(min_days_between_contacts=14)
    acc = perform(account(invoice("F-1", "2026-01-10")), pol, "2026-01-20")  # e-mail late
    assert next_action(acc, pol, d("2026-01-25")).due_on == d("2026-02-03")  # call: +15 → +14 days
    called = create_action(acc, ["F-1"], CALL_BACK, d("2026-01-21"))
    done = complete_action(called, "A1", pol, d("2026-01-30"))
    assert next_action(done, pol, d("2026-01-30")).due_on == d("2026-02-13")
    # Neither a note nor a call-back cancelled is a contact.
    noted = apply_status(acc, ["F-1"], "ongoing", qualifying_policy(), d("2026-01-22"))
    assert next_action(noted, pol, d("2026-01-25")).due_on == d("2026-02-03")
    dropped = cancel_action(called, "A1", qualifying_policy(), d("2026-01-30"))
    assert next_action(dropped, pol, d("2026-01-30")).due_on == d("2026-02-03")


def test_a_fallback_off_the_customer_s_channels_is_no_contact_to_space() -> None:
    """No e-mail address: the e-mail step asks the account manager, unspaced; else it waits."""
    internal = Fallback(
        channel="INTERNAL_INTERACTIVE_EMAIL", template="Find #customer_name's address."
    )
    e_mail = {"channel": Channel.EMAIL, "template": "#total_due", "fallback": internal}
    pol = attrs.evolve(with_steps((1, e_mail)), min_days_between_contacts=30)
    for address, due in ((None, "2026-01-25"), ("billing@durand.example", "2026-02-10")):
        acc = perform(account(invoice("F-1", "2026-01-10"), email=address), pol, "2026-01-11")
        assert next_action(acc, pol, d("2026-01-11")).due_on == d(due)


# --- Fallback (OCA: a letter when there is no e-mail address) ----------------------------------


def test_a_letter_when_there_is_no_e_mail_address() -> None:
    letter = Fallback(channel="LETTER", template="Dear #customer_name, #total_due is due.")
    pol = with_steps((0, {"fallback": letter}))
    without = account(invoice("F-1", "2026-01-10"))
    proposal = next_action(without, pol, d("2026-01-11"))
    assert (proposal.channel, proposal.automatic, proposal.template) == (
        Channel.LETTER, False, letter.template,
    )  # fmt: skip
    (row,) = agenda([without], pol, d("2026-01-11"))
    assert (row.channel, row.automatic) == (Channel.LETTER, False)
    assert channel_of(pol.scenarios[0].steps[0], True) == (
        Channel.LETTER, letter.template, False, False,
    )  # fmt: skip
    recorded = record_action(without, proposal, pol, d("2026-01-11"))
    assert recorded.journal[-1].channel is Channel.LETTER
    with_address = account(invoice("F-1", "2026-01-10"), email="billing@durand.example")
    assert next_action(with_address, pol, d("2026-01-11")).channel is Channel.EMAIL
    with pytest.raises(ValidationError, match=r"fallback: channel must not be an e-mail channel"):
        Fallback(channel="EMAIL", template="x")
    with pytest.raises(ValidationError, match=r"a fallback is for an e-mail step, not a CALL one"):
        Step(name="call", channel="CALL", trigger=Trigger.leader_due(1), fallback="CALL")


# --- Collector rules (Upflow) ---------------------------------------------------------------


def test_accounts_over_ten_thousand_go_to_the_senior_collector() -> None:
    pol = policy(collector_rules=[CollectorRule(collector="senior", min_balance=10_000),
                                  CollectorRule(collector="junior")])  # fmt: skip
    rows = agenda(
        [account(invoice("F-1", "2026-01-10", "12000.00"), id="C-1"),
         account(invoice("F-2", "2026-01-10", "900.00"), id="C-2"),
         account(invoice("F-3", "2026-01-10", "15000.00"), id="C-3", collector="marie")],
        pol, d("2026-01-11"),
    )  # fmt: skip
    assert {(r.account_id, r.collector) for r in rows} == {
        ("C-1", "senior"), ("C-2", "junior"), ("C-3", "marie"),
    }  # fmt: skip


def test_a_lateness_rule_needs_a_leader_that_late() -> None:
    """``min_days_late`` counts the leader's days late; 0 or none asks nothing of it."""
    pol = policy(collector_rules=[CollectorRule(collector="escalations", min_days_late=30),
                                  CollectorRule(collector="desk", min_days_late=0)])  # fmt: skip
    late = account(invoice("F-1", "2026-01-10"), id="C-1")
    credit_only = account(id="C-2")
    assert collector_for(late, pol, Decimal("100.00"), late.items[0], d("2026-02-08")) == "desk"
    assert collector_for(
        late, pol, Decimal("100.00"), late.items[0], d("2026-02-09")
    ) == "escalations"  # fmt: skip
    assert collector_for(late, pol, Decimal("100.00"), late.items[0], d("2026-01-01")) == "desk"
    assert collector_for(credit_only, pol, Decimal(0), None, d("2026-02-10")) == "desk"


@pytest.mark.parametrize(
    ("changes", "balance", "days_late", "collector"),
    [
        ({"collector": "marie"}, "0", None, "marie"),  # the account's own collector first
        ({"client_type": "wholesale"}, "0", None, "wholesale"),
        ({}, "1000.00", None, "big"),  # a balance of min_balance exactly
        ({}, "999.99", 30, "late"),  # a leader min_days_late late exactly
        ({}, "999.99", 29, "soon"),
        ({}, "999.99", None, None),  # no leader: 0 days late
        ({}, "999.99", -1, None),  # a leader not yet due: 0 days late
    ],
)
def test_the_first_collector_rule_that_matches_collects_the_account(
    changes: dict[str, str], balance: str, days_late: int | None, collector: str | None
) -> None:
    pol = policy(
        collector_rules=[
            CollectorRule(collector="wholesale", client_type="wholesale"),
            CollectorRule(collector="big", min_balance={"EUR": 1000}),
            CollectorRule(collector="late", min_days_late=30),
            CollectorRule(collector="soon", min_days_late=1),
        ]
    )
    on = d("2026-03-01")
    leader = None if days_late is None else invoice("F-1", str(on - dt.timedelta(days=days_late)))
    acc = account(*([leader] if leader else []), **{"client_type": "retail", **changes})
    assert collector_for(acc, pol, Decimal(balance), leader, on) == collector


HOLD = {"account_id": "C-1", "reason": "group credit limit", "since": None, "amount": 0}
"""A group hold: no step date."""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"account_id": ""},
            "credit hold: account_id must be a non-empty string without surrounding spaces, not ''",
        ),
        ({"reason": None}, "credit hold of 'C-1': reason must be a string, not None"),
        ({"since": "2026-03-01"}, "credit hold of 'C-1': since must be a date, not '2026-03-01'"),
        ({"amount": -1}, "credit hold of 'C-1': amount must be at least 0, not -1"),
        ({"amount": "x"}, "credit hold of 'C-1': amount: not an amount: 'x'"),
        ({"item_ids": [1]}, "credit hold of 'C-1': item_ids[0] must be a str, not 1"),
        (
            {"currency": "euro"},
            "credit hold of 'C-1': currency must be an ISO 4217 code like 'EUR', not 'euro'",
        ),
    ],
)
def test_a_credit_hold_names_itself_and_the_field_in_errors(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        CreditHold(**{**HOLD, **changes})  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_a_credit_hold_may_have_no_date_and_a_total_of_30_digits() -> None:
    hold = CreditHold(**{**HOLD, "amount": Decimal("1E+20")})  # type: ignore[arg-type]
    assert (hold.since, hold.amount) == (None, Decimal("1E+20"))


def test_bad_cadence_settings_name_the_field() -> None:
    with pytest.raises(
        ValidationError, match=r"^policy: min_days_between_contacts must be at least 0"
    ):
        policy(min_days_between_contacts=-1)
    with pytest.raises(ValidationError, match=r"^condition: min_days_late must be at least 0"):
        Condition(min_days_late=-3)
    with pytest.raises(ValidationError, match=r"^fee: fixed: 'EURO' is not an ISO 4217 code"):
        Fee(fixed={"EURO": 5})
    with pytest.raises(ValidationError, match=r"^collector rule 'x': min_days_late must be"):
        CollectorRule(collector="x", min_days_late=-1)
    with pytest.raises(ValidationError, match=r"^step 'call': when must be a Condition"):
        Step(name="call", channel="CALL", trigger=Trigger.leader_due(1), when=5)


# --- Properties --------------------------------------------------------------------------------


@st.composite
def worked(draw: st.DrawFn) -> tuple[Account, object, dt.date]:
    pol = draw(policies(min_steps=1))
    acc = draw(accounts(policy=pol))
    day = draw(dates(dt.date(2025, 6, 1), dt.date(2026, 6, 1)))
    for _ in range(draw(st.integers(0, 8))):
        day += dt.timedelta(days=draw(st.integers(0, 30)))
        if draw(st.integers(0, 5)) == 0:
            acc = pause(acc, day + dt.timedelta(days=draw(st.integers(1, 40))), day)
            continue
        proposal = next_action(acc, pol, day)
        if proposal is not None and proposal.due_on > day:
            day = proposal.due_on
            proposal = next_action(acc, pol, day)
        if proposal is not None:
            acc = record_action(acc, proposal, pol, day)
    return acc, pol, day


@settings(max_examples=60)
@given(worked(), st.integers(0, 60))
def test_no_proposal_while_paused_and_spacing_is_kept(case, later) -> None:
    acc, pol, day = case
    on = day + dt.timedelta(days=later)
    proposal = next_action(acc, pol, on)
    why = explain(acc, pol, on)
    if why.paused_until is not None:
        assert proposal is None
        assert why.idle_reason in (IdleReason.PAUSED, IdleReason.NO_SCENARIO, IdleReason.NO_LEADER,
                                   IdleReason.BELOW_MINIMUM)  # fmt: skip
    contacts = [e.on for e in acc.journal if isinstance(e, ScenarioActionRecorded)
                and e.channel not in (Channel.INTERNAL_INTERACTIVE_EMAIL, Channel.LITIGATION)]  # fmt: skip
    if proposal is not None and contacts and proposal.channel not in (
        Channel.INTERNAL_INTERACTIVE_EMAIL, Channel.LITIGATION,
    ):  # fmt: skip
        assert proposal.due_on >= max(contacts) + dt.timedelta(days=pol.min_days_between_contacts)


@settings(max_examples=60)
@given(worked(), st.integers(0, 60))
def test_a_skipped_step_is_never_proposed_and_fees_are_charged_once(case, later) -> None:
    acc, pol, day = case
    on = day + dt.timedelta(days=later)
    proposal = next_action(acc, pol, on)
    if proposal is not None:
        assert proposal.step.when is None or all(
            i != proposal.step_index for i, _ in proposal.skipped
        )
        for index, why in proposal.skipped:
            assert index < proposal.step_index
            assert why
    for event in acc.journal:
        if isinstance(event, ScenarioActionRecorded):
            scenario = pol.scenario(event.scenario)
            step = scenario.steps[event.step_index]
            fee = (scenario.repeat.fee if scenario.repeat else None) if event.repeat else step.fee
            assert (event.fee == 0) if fee is None else event.fee >= 0
            assert event.fee == event.fee.quantize(Decimal(1).scaleb(-2)) or acc.currency != "EUR"
    total = penalties(acc, [i.id for i in acc.items], pol, on).fees
    charged = sum((e.fee for e in acc.journal if isinstance(e, ScenarioActionRecorded)), Decimal(0))
    assert 0 <= total <= charged


def test_conditions_and_fees_read_as_a_person_writes_them() -> None:
    assert str(Fee(fixed=15, percent="0.01")) == "15 + 1 %"
    assert str(Fee(percent="0.015")) == "1.5 %"
    assert str(Fee()) == "no fee"
    assert str(Fee(fixed={"EUR": 10, "JPY": 1500})) == "10.00 EUR, 1,500 JPY"
    assert str(Condition(min_balance=100, min_overdue_items=2, min_days_late=30)) == (
        "balance >= 100, overdue items >= 2, days late >= 30"
    )
    assert str(Condition()) == "always"
    assert str(Trigger.leader_issued(40)) == "leader issued +40"


# --- Amounts by currency (SPEC 13.10) ---------------------------------------------------------


@settings(max_examples=60)
@given(
    currency=st.sampled_from(["EUR", "JPY", "KWD"]),
    amounts=st.lists(st.integers(1, 200_000), min_size=1, max_size=4),
    threshold=st.integers(0, 300_000),
    later=st.integers(0, 60),
)
def test_an_amount_by_currency_is_the_plain_amount_in_the_account_s_currency(
    currency: str, amounts: list[int], threshold: int, later: int
) -> None:
    # Condition.min_balance, Fee.fixed and CollectorRule.min_balance read a mapping as the
    # amount it names for the account's currency, and as none (0) when it names another.
    acc = account(
        *(invoice(f"F-{n}", "2026-01-10", str(amount)) for n, amount in enumerate(amounts)),
        currency=currency,
    )
    on = d("2026-01-11") + dt.timedelta(days=later)

    def outcome(value: object) -> tuple[object, ...]:
        pol = with_steps((0, {"when": Condition(min_balance=value), "fee": Fee(fixed=value)}))
        pol = attrs.evolve(
            pol, collector_rules=(CollectorRule(collector="senior", min_balance=value),)
        )
        proposal = next_action(acc, pol, on)
        if proposal is None:
            return None, None, [row.collector for row in agenda([acc], pol, on)]
        fee = record_action(acc, proposal, pol, on).journal[-1].fee
        # The proposal without its step (which holds the value as written).
        shown = attrs.asdict(proposal, recurse=False, filter=lambda a, _: a.name != "step")
        return (proposal.step.name, shown), fee, [row.collector for row in agenda([acc], pol, on)]

    plain = outcome(threshold)
    assert outcome({currency: threshold, "USD": threshold + 1}) == plain
    assert outcome({"USD": threshold}) == outcome(0)
