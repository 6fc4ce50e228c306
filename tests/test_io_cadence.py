"""The policy files read and write the cadence settings (SPEC §10, §13).

Conditions (amounts per currency), fees, credit holds, fallbacks (a table or a bare
channel), collector rules, contact spacing, repeat fees and the triggers from the invoice
date and the end of the month: each is read from TOML and JSON, written back, and a bad
value is a ``LoadError`` naming the file and the path of the key.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from builders import account, d, invoice
from collectlib import (
    Channel,
    CollectorRule,
    Condition,
    Fallback,
    Fee,
    LoadError,
    PenaltyRule,
    Policy,
    Repeat,
    Scenario,
    Step,
    Trigger,
    TriggerKind,
    credit_hold,
    next_action,
    pause,
    record_action,
    render,
    template_context,
)
from collectlib.demo import policy as demo_policy
from collectlib.io.converters import structure, unstructure
from collectlib.io.files import load_policy, save_policy
from collectlib.strategies import policies

ROOT = Path(__file__).resolve().parent.parent
tmp_files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


CADENCE_TOML = """
format = 1
default_scenario = "wholesale"
min_days_between_contacts = 14

[[collector_rules]]
collector = "paul"
client_type = "public"

[[collector_rules]]
collector = "sophie"
min_balance = { EUR = "10000.00", JPY = 1500000 }
min_days_late = 30

[[collector_rules]]
collector = "marie"

[[scenarios]]
name = "wholesale"
repeat = { every_days = 30, max_times = 2, fee = { fixed = "5.00" } }

[[scenarios.steps]]
name = "invoice reminder"
channel = "EMAIL"
trigger = { kind = "LEADER_ISSUED", days = 45 }
template = "#total_due is due."
automatic = true
fallback = "CALL"

[[scenarios.steps]]
name = "statement"
channel = "INTERACTIVE_EMAIL"
trigger = { kind = "END_OF_MONTH", days = 0 }
template = "#items_list_overdue"
fallback = { channel = "LETTER", template = "#items_list_overdue" }
when = { min_overdue_items = 2, min_days_late = 5 }

[[scenarios.steps]]
name = "formal notice"
channel = "REGISTERED_LETTER"
trigger = { kind = "END_OF_MONTH", days = 30 }
template = "#items_list_overdue\\nFees: #fees"
when = { min_balance = { EUR = "1000.00", JPY = 150000 } }
fee = { fixed = "15.00", percent = 0.01 }
credit_hold = true
"""

CADENCE_POLICY = Policy(
    default_scenario="wholesale",
    min_days_between_contacts=14,
    collector_rules=[
        CollectorRule(collector="paul", client_type="public"),
        CollectorRule(
            collector="sophie", min_balance={"EUR": "10000.00", "JPY": 1_500_000}, min_days_late=30
        ),
        CollectorRule(collector="marie"),
    ],
    scenarios=[
        Scenario(
            name="wholesale",
            repeat=Repeat(every_days=30, max_times=2, fee=Fee(fixed="5.00")),
            steps=[
                Step(
                    name="invoice reminder",
                    channel="EMAIL",
                    trigger=Trigger.leader_issued(45),
                    template="#total_due is due.",
                    automatic=True,
                    fallback=Channel.CALL,
                ),
                Step(
                    name="statement",
                    channel="INTERACTIVE_EMAIL",
                    trigger=Trigger.end_of_month(0),
                    template="#items_list_overdue",
                    fallback=Fallback(channel="LETTER", template="#items_list_overdue"),
                    when=Condition(min_overdue_items=2, min_days_late=5),
                ),
                Step(
                    name="formal notice",
                    channel="REGISTERED_LETTER",
                    trigger=Trigger.end_of_month(30),
                    template="#items_list_overdue\nFees: #fees",
                    when=Condition(min_balance={"EUR": "1000.00", "JPY": 150_000}),
                    fee=Fee(fixed="15.00", percent="0.01"),
                    credit_hold=True,
                ),
            ],
        )
    ],
)


def test_a_toml_policy_with_every_cadence_key_reads_as_built_in_python(tmp_path: Path) -> None:
    loaded = load_policy(write(tmp_path, "policy.toml", CADENCE_TOML))
    assert loaded == CADENCE_POLICY
    reminder, statement, notice = loaded.scenarios[0].steps
    assert reminder.fallback == Fallback(channel=Channel.CALL)  # the bare channel
    assert statement.fallback.template == "#items_list_overdue"
    assert notice.fee.percent == Decimal("0.01")  # a TOML float, read through str()
    assert notice.when.min_balance == {"EUR": Decimal("1000.00"), "JPY": Decimal(150_000)}
    assert [s.trigger.kind for s in loaded.scenarios[0].steps] == [
        TriggerKind.LEADER_ISSUED, TriggerKind.END_OF_MONTH, TriggerKind.END_OF_MONTH,
    ]  # fmt: skip


def test_the_cadence_keys_are_written_and_read_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    save_policy(CADENCE_POLICY, path)
    assert load_policy(path) == CADENCE_POLICY
    written = json.loads(path.read_text(encoding="utf-8"))
    steps = written["scenarios"][0]["steps"]
    # Written as tables, amounts as exact strings; a bare channel comes back as a table.
    assert steps[0]["fallback"] == {"channel": "CALL", "template": None}
    assert steps[2]["when"]["min_balance"] == {"EUR": "1000.00", "JPY": "150000"}
    assert steps[2]["fee"] == {"fixed": "15.00", "percent": "0.01"}
    assert steps[2]["credit_hold"] is True
    assert steps[2]["trigger"] == {"kind": "END_OF_MONTH", "days": 30}
    assert written["scenarios"][0]["repeat"]["fee"] == {"fixed": "5.00", "percent": "0"}
    assert written["min_days_between_contacts"] == 14
    assert written["collector_rules"][1] == {
        "collector": "sophie", "client_type": None,
        "min_balance": {"EUR": "10000.00", "JPY": "1500000"}, "min_days_late": 30,
    }  # fmt: skip


def test_a_policy_without_the_cadence_keys_has_their_defaults(tmp_path: Path) -> None:
    text = 'format = 1\n[[scenarios]]\nname = "s"\nsteps = [{ name = "call", channel = "CALL", ' \
           'trigger = { kind = "LEADER_DUE", days = 5 } }]\n'  # fmt: skip
    loaded = load_policy(write(tmp_path, "policy.toml", text))
    step = loaded.scenarios[0].steps[0]
    assert (step.when, step.fee, step.credit_hold, step.fallback) == (None, None, False, None)
    assert (loaded.min_days_between_contacts, loaded.collector_rules) == (0, ())


def test_the_loaded_policy_works_like_the_built_one(tmp_path: Path) -> None:
    """What the file says is what the rules do: the fallback, the fee and the hold."""
    rules = load_policy(write(tmp_path, "policy.toml", CADENCE_TOML))
    acc = account(invoice("F-1", "2026-01-10", "1200.00", issued="2025-12-11"),
                  invoice("F-2", "2026-01-20", "300.00", issued="2025-12-21"))  # fmt: skip
    first = next_action(acc, rules, d("2026-01-25"))
    assert (first.step.name, first.due_on, first.channel) == (
        "invoice reminder", d("2026-01-25"), Channel.CALL,
    )  # fmt: skip  # 45 days after 11 December; no e-mail address: a call
    acc = record_action(acc, first, rules, d("2026-01-25"))
    second = next_action(acc, rules, d("2026-02-09"))
    assert (second.step.name, second.due_on, second.channel) == (
        "statement", d("2026-02-08"), Channel.LETTER,
    )  # fmt: skip  # the end of January, but 14 days after the call
    acc = record_action(acc, second, rules, d("2026-02-09"))
    notice = next_action(acc, rules, d("2026-03-15"))
    assert notice.step.name == "formal notice"
    acc = record_action(acc, notice, rules, d("2026-03-15"))
    assert acc.journal[-1].fee == Decimal("30.00")  # 15.00 + 1 % of 1,500.00
    hold = credit_hold(acc, rules, d("2026-03-16"))
    assert hold.amount == Decimal("1500.00")
    # The hold, a result a batch job stores, round-trips like every record.
    assert structure(json.loads(json.dumps(unstructure(hold))), type(hold)) == hold


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("when", '{ min_balance = { EURO = "5" } }',
         r"steps\[0\]\.when: condition: min_balance: 'EURO' is not an ISO 4217 code"),
        ("when", "{ min_overdue_items = 0 }",
         r"steps\[0\]\.when: condition: min_overdue_items must be at least 1, not 0"),
        ("when", "{ min_balanse = 5 }", r"steps\[0\]\.when: extra fields found \(min_balanse\)"),
        ("when", "{ min_balance = true }", r"steps\[0\]\.when: .*not an amount: True"),
        ("when", "{ min_balance = [5] }", r"steps\[0\]\.when: .*not an amount: \[5\]"),
        ("when", "500", r"steps\[0\]\.when: not a mapping: 500"),
        ("fee", "{ percent = 5 }", r"steps\[0\]\.fee: fee: percent is a fraction"),
        ("fee", '{ fixed = "-1" }', r"steps\[0\]\.fee: fee: fixed: must be at least 0, not -1"),
        ("fee", '{ fixed = { EUR = "abc" } }', r"steps\[0\]\.fee\.fixed: EUR: not an amount: 'abc'"),
        ("fee", "5", r"steps\[0\]\.fee: not a mapping: 5"),
        ("fallback", '"EMAIL"', r"steps\[0\]\.fallback: fallback: channel must not be an e-mail"),
        ("fallback", '"LETTER"', r"steps\[0\]\.fallback: fallback: LETTER actions need a template"),
        ("fallback", '"PIGEON"', r"steps\[0\]\.fallback\.channel: unknown Channel 'PIGEON'"),
        ("fallback", "5", r"steps\[0\]\.fallback: not a mapping: 5"),
        ("fallback", '{ channel = "CALL", automatic = true }',
         r"steps\[0\]\.fallback: extra fields found \(automatic\)"),
        ("credit_hold", '"yes"', r"steps\[0\]\.credit_hold: not true or false: 'yes'"),
        ("trigger", '{ kind = "LEADER_ISSUED", days = -1 }',
         r"steps\[0\]\.trigger: trigger: days must be at least 0, not -1"),
        ("trigger", '{ kind = "END_OF_MONTHS", days = 30 }',
         r"steps\[0\]\.trigger\.kind: unknown TriggerKind 'END_OF_MONTHS' \(one of .*END_OF_MONTH"),
    ],
)  # fmt: skip
def test_a_bad_step_value_names_the_file_and_the_path(
    tmp_path: Path, key: str, value: str, message: str
) -> None:
    trigger = "" if key == "trigger" else 'trigger = { kind = "LEADER_DUE", days = 1 }\n'
    text = (
        'format = 1\n[[scenarios]]\nname = "s"\n[[scenarios.steps]]\nname = "e-mail"\n'
        f'channel = "EMAIL"\ntemplate = "#total_due"\n{trigger}{key} = {value}\n'
    )
    path = write(tmp_path, "policy.toml", text)
    with pytest.raises(LoadError, match=rf"^{path}: policy\.scenarios\[0\]\.{message}") as error:
        load_policy(path)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("min_days_between_contacts = -1",
         r"policy: min_days_between_contacts must be at least 0, not -1"),
        ('min_days_between_contacts = "14"',
         r"policy\.min_days_between_contacts: not a whole number: '14'"),
        ('collector_rules = [{ collector = "" }]',
         r"policy\.collector_rules\[0\]: collector rule: collector must be a non-empty string"),
        ('collector_rules = [{ client_type = "public" }]',
         r"policy\.collector_rules\[0\]\.collector: required field missing"),
        ('collector_rules = [{ collector = "a", min_days_late = -1 }]',
         r"policy\.collector_rules\[0\]: collector rule 'a': min_days_late must be at least 0"),
        ('collector_rules = [{ collector = "a", min_balance = { EUR = "-5" } }]',
         r"policy\.collector_rules\[0\]: collector rule 'a': min_balance: must be at least 0 "
         r"\(EUR\), not -5"),
        ('collector_rules = { collector = "a" }',
         r"policy\.collector_rules\[0\]: not a mapping: 'collector'"),
        ('[[scenarios]]\nname = "s"\nrepeat = { every_days = 7, max_times = 2, fee = { fixed = "x" } }',
         r"policy\.scenarios\[0\]\.repeat\.fee\.fixed: not an amount: 'x'"),
        ('[[scenarios]]\nname = "s"\nrepeat = { every_days = 7, max_times = 2, fee = 3 }',
         r"policy\.scenarios\[0\]\.repeat\.fee: not a mapping: 3"),
    ],
)  # fmt: skip
def test_a_bad_policy_value_names_the_file_and_the_path(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, "policy.toml", f"format = 1\n{text}\n")
    with pytest.raises(LoadError, match=rf"^{path}: {message}"):
        load_policy(path)


def test_a_json_policy_reads_the_same_shapes(tmp_path: Path) -> None:
    data: dict[str, Any] = {"format": 1, **unstructure(CADENCE_POLICY)}
    data["scenarios"][0]["steps"][0]["fallback"] = "CALL"  # JSON may spell it bare too
    data["scenarios"][0]["steps"][2]["fee"]["percent"] = 0.01  # a JSON number, read exactly
    path = write(tmp_path, "policy.json", json.dumps(data))
    assert load_policy(path) == CADENCE_POLICY
    data["scenarios"][0]["steps"][0]["fallback"] = None
    assert (
        load_policy(write(tmp_path, "p2.json", json.dumps(data))).scenarios[0].steps[0].fallback
        is None
    )


# --- Properties -------------------------------------------------------------------------------

_CURRENCIES = st.sampled_from(["EUR", "USD", "JPY", "KWD", "CHF"])
_AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False)
_PER_CURRENCY = _AMOUNTS | st.dictionaries(_CURRENCIES, _AMOUNTS, min_size=1, max_size=4)


@given(
    st.builds(Condition, min_balance=st.none() | _PER_CURRENCY,
              min_overdue_items=st.none() | st.integers(1, 10**6),
              min_days_late=st.none() | st.integers(0, 10**6)),
    st.builds(Fee, fixed=_PER_CURRENCY,
              percent=st.decimals(min_value=0, max_value=1, places=4, allow_nan=False)),
    st.builds(CollectorRule, collector=st.sampled_from(["marie", "Zoë Ångström"]),
              client_type=st.none() | st.just("public"), min_balance=st.none() | _PER_CURRENCY,
              min_days_late=st.none() | st.integers(0, 400)),
)  # fmt: skip
def test_per_currency_amounts_round_trip_exactly(condition, fee, rule) -> None:
    for record in (condition, fee, rule):
        data = json.loads(json.dumps(unstructure(record)))
        back = structure(data, type(record))
        assert back == record
        # Exact: the same digits and exponent, not just an equal number.
        assert unstructure(back) == data


@tmp_files
@given(policies(min_steps=1))
def test_a_fallback_without_template_may_be_written_as_a_bare_channel(
    tmp_path_factory, rules
) -> None:
    data: dict[str, Any] = {"format": 1, **unstructure(rules)}
    bare = 0
    for scenario in data["scenarios"]:
        for step in scenario["steps"]:
            fallback = step.get("fallback")
            if fallback is not None and fallback["template"] is None:
                step["fallback"] = fallback["channel"]
                bare += 1
    event(f"bare fallbacks: {min(bare, 2)}")
    path = tmp_path_factory.mktemp("p") / "policy.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_policy(path) == rules


def test_the_example_policy_shows_every_cadence_setting() -> None:
    example = load_policy(ROOT / "examples" / "policy.toml")
    assert example == demo_policy()
    steps = [step for scenario in example.scenarios for step in scenario.steps]
    kinds = {step.trigger.kind for step in steps}
    assert {TriggerKind.LEADER_ISSUED, TriggerKind.END_OF_MONTH} <= kinds
    assert any(step.when is not None for step in steps)
    assert any(step.fee is not None for step in steps)
    assert any(step.credit_hold for step in steps)
    assert any(step.fallback is not None for step in steps)
    assert any(s.repeat is not None and s.repeat.fee is not None for s in example.scenarios)
    assert example.min_days_between_contacts > 0
    assert example.collector_rules


# --- Found while documenting (issue 16): the rule bugs, fixed ------------------------------------


def test_a_fallback_template_with_an_unknown_hashtag_is_refused() -> None:
    letter = Fallback(channel="LETTER", template="Dear #customer_name, #totl_due is due.")
    with pytest.raises(Exception, match=r"unknown hashtag #totl_due"):
        Policy(scenarios=[Scenario(name="s", steps=[
            Step(name="e-mail", channel="EMAIL", template="#total_due",
                 trigger=Trigger.leader_due(1), fallback=letter)])])  # fmt: skip


def test_a_late_entered_formal_notice_holds_the_account_whatever_the_journal_order() -> None:
    scenario = Scenario(name="standard", steps=[
        Step(name="call", channel="CALL", trigger=Trigger.leader_due(15)),
        Step(name="formal notice", channel="REGISTERED_LETTER", template="#total_due",
             trigger=Trigger.leader_due(45), credit_hold=True)])  # fmt: skip
    rules = Policy(scenarios=[scenario], default_scenario="standard")
    acc = account(invoice("F-1", "2026-01-10", "800.00"))
    acc = record_action(acc, next_action(acc, rules, d("2026-01-25")), rules, d("2026-01-25"))
    acc = pause(acc, d("2026-03-20"), d("2026-03-10"), "holiday")  # today, March 10
    # The formal notice sent on February 24 is entered after the pause.
    acc = record_action(acc, next_action(acc, rules, d("2026-02-24")), rules, d("2026-02-24"))
    assert credit_hold(acc, rules, d("2026-03-12")) is not None  # read up to March 12: held
    assert credit_hold(acc, rules, d("2026-03-01")) is not None  # but not up to March 1


def test_the_late_penalty_hashtags_do_not_count_the_fees_twice() -> None:
    rules = Policy(
        scenarios=[Scenario(name="s", steps=[Step(name="letter", channel="LETTER",
            template="#total_due", trigger=Trigger.leader_due(10), fee=Fee(fixed="15.00"))])],
        default_scenario="s", penalties=PenaltyRule(annual_rate="0.10", recovery_cost=40),
    )  # fmt: skip
    acc = attrs.evolve(account(invoice("F-1", "2026-01-10", "1000.00")), penalties_enabled=True)
    acc = record_action(acc, next_action(acc, rules, d("2026-01-20")), rules, d("2026-01-20"))
    context = template_context(acc, ["F-1"], rules, dt.date(2026, 1, 20))
    # 10 days of 10 % on 1,000.00 (2.74) and the 40.00 recovery cost; the fee apart.
    assert render("#items_amount_late_penalties / #fees", context) == "42.74 EUR / 15.00 EUR"


@pytest.mark.parametrize(
    ("trigger", "due"),
    [(Trigger.end_of_month(30), "2026-02-28"), (Trigger.leader_issued(60), "2026-02-09")],
)
def test_a_later_step_counts_from_the_leader_invoice_dates(trigger: Trigger, due: str) -> None:
    scenario = Scenario(name="s", steps=[
        Step(name="call", channel="CALL", trigger=Trigger.leader_due(15)),
        Step(name="letter", channel="LETTER", template="#total_due", trigger=trigger)])  # fmt: skip
    rules = Policy(scenarios=[scenario], default_scenario="s")
    acc = account(invoice("F-1", "2026-01-10", issued="2025-12-11"))
    acc = record_action(acc, next_action(acc, rules, d("2026-01-25")), rules, d("2026-01-25"))
    # January 10 + 30 = February 9, end of month February 28; December 11 + 60 = February 9.
    assert next_action(acc, rules, d("2026-01-26")).due_on == d(due)
