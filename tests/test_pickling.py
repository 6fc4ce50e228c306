"""Every public record pickles, copies and hashes the same in another process (issue 21, item 7).

``multiprocessing`` ships policies, accounts and results between processes by pickle; a
record loaded in a process with another ``PYTHONHASHSEED`` must still be equal to, hash
like and be found in a set beside the same record built there.
"""

from __future__ import annotations

import copy
import datetime as dt
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import collectlib
from collectlib import (
    Behaviour,
    CollectError,
    CreditHold,
    Money,
    SalesPeriod,
    Settlement,
    Tally,
    aged_balance,
    agenda,
    cash_forecast,
    demo,
    dispute_resolution_time,
    dso,
    explain,
    exposure,
    next_action,
    overdue_ratio,
    payment_profile,
    penalties,
    plan_progress,
    predict_payment,
    qualification_rate,
    simulate,
    template_context,
)
from collectlib._frozen import FrozenMap
from test_model_records import RECORDS


def _results() -> list[Any]:
    """Records the rules return, over the demo portfolio (every kind of result)."""
    policy, accounts, on = demo.policy(), demo.portfolio().accounts, demo.AS_OF
    planned = next(a for a in accounts if a.plans)
    penalised = next(
        a
        for a in accounts
        if a.penalties_enabled and penalties(a, [i.id for i in a.items], policy, on).by_item
    )
    proposals = [p for a in accounts if (p := next_action(a, policy, on)) is not None]
    months = (SalesPeriod.month(2026, 1, "70000.00"), SalesPeriod.month(2026, 2, "80000.00"))
    context = template_context(penalised, [i.id for i in penalised.items], policy, on)
    paid = [
        Settlement(
            account_id="C-1", item_id=f"F-{n}", issue_date=dt.date(2026, 1, 2),
            due_date=dt.date(2026, 2, 1), settled_on=dt.date(2026, 2, 1 + 5 * n), amount=100,
            disputed=n == 3,
        )
        for n in (1, 2, 3)
    ]  # fmt: skip
    profile = payment_profile(paid, on, half_life_days=60)
    debit = next(i for a in accounts for i in a.items if i.is_debit)
    return [
        policy,
        *accounts,
        proposals[0],
        *(explain(a, policy, on) for a in accounts),
        agenda(accounts, policy, on, horizon_days=30),
        penalties(penalised, [i.id for i in penalised.items], policy, on),
        plan_progress(planned, planned.plans[0].id, on),
        aged_balance(accounts, on),
        exposure(
            [attrs.evolve(a, group="G", credit_limit=1000) if a.items else a for a in accounts],
            on,
        ),
        qualification_rate(accounts, on),
        overdue_ratio(accounts, on, beyond=30),
        dispute_resolution_time(accounts, policy, on),
        dso(Decimal("120000.00"), months),
        months[0],
        Tally(count=2, amount="12.50"),
        CreditHold(account_id="C-1", reason="step", since=on, amount=Decimal(5), item_ids={"F"}),
        Money(amount="12.5", currency="JPY"),
        FrozenMap({"a": FrozenMap({"b": 1})}),
        context,
        *paid,
        profile,
        predict_payment(debit, profile, policy, on),
        cash_forecast(accounts, {a.id: profile for a in accounts}, policy, on, weeks=13),
        Behaviour(profiles={"C-1": profile}, fallback=profile, seed=7),
        simulate(accounts, policy, on, on + dt.timedelta(days=10), Behaviour(fallback=profile), 2),
    ]


RESULTS = _results()


def _types(value: object) -> Iterator[type]:
    """The types of every record reachable from ``value``."""
    yield type(value)
    if attrs.has(type(value)):
        for field in attrs.fields(cast("Any", type(value))):
            yield from _types(getattr(value, field.name))
    elif isinstance(value, tuple | list | frozenset):
        for element in value:
            yield from _types(element)
    elif isinstance(value, FrozenMap):
        for key, element in value.items():
            yield from _types(key)
            yield from _types(element)


def _round_trips(record: object) -> None:
    for twin in (
        pickle.loads(pickle.dumps(record)),  # our own bytes
        copy.deepcopy(record),
        copy.copy(record),
    ):
        assert twin == record
        assert type(twin) is type(record)
        try:
            hash(record)
        except TypeError:  # a record holding a list (a report's rows): not hashable
            continue
        assert hash(twin) == hash(record)
        assert twin in {record}


def test_the_samples_hold_every_public_record_type() -> None:
    public = {
        value
        for name in collectlib.__all__
        if isinstance(value := getattr(collectlib, name), type)
        and (attrs.has(value) or hasattr(value, "_fields"))  # attrs records, NamedTuples
    }
    drawn = {t for t in public if t.__name__ in RECORDS or issubclass(t, collectlib.JournalEvent)}
    built = {t for sample in RESULTS for t in _types(sample)}
    assert public - drawn - built == set()


@pytest.mark.parametrize("record", RESULTS, ids=lambda r: type(r).__name__)
def test_a_result_pickles_and_copies_to_an_equal_record(record: object) -> None:
    _round_trips(record)


@pytest.mark.parametrize("kind", list(RECORDS))
@given(data=st.data())
def test_any_model_record_pickles_and_copies_to_an_equal_record(
    kind: str, data: st.DataObject
) -> None:
    _round_trips(data.draw(RECORDS[kind]))


def test_a_policy_pickles_with_its_lookups() -> None:
    policy = demo.policy()
    loaded = pickle.loads(pickle.dumps(policy))  # our own bytes
    for status in policy.statuses:
        assert loaded.status(status.code) == status
    for scenario in policy.scenarios:
        assert loaded.scenario(scenario.name) == scenario
    assert loaded.held_statuses == policy.held_statuses
    assert copy.deepcopy(policy).status(policy.statuses[0].code) == policy.statuses[0]


def test_a_frozen_map_does_not_carry_its_cached_hash() -> None:
    frozen = FrozenMap({"public": "gentle"})
    hash(frozen)
    for twin in (pickle.loads(pickle.dumps(frozen)), copy.deepcopy(frozen), copy.copy(frozen)):
        assert twin._hash is None
        assert twin == frozen
        assert twin._data is not frozen._data


@pytest.mark.parametrize(
    "error", [getattr(collectlib, name) for name in collectlib.__all__ if name.endswith("Error")]
)
def test_an_error_pickles_with_its_message(error: type[CollectError]) -> None:
    loaded = pickle.loads(pickle.dumps(error("item 'F-1': amount: not an amount: 'x'")))
    assert type(loaded) is error
    assert str(loaded) == "item 'F-1': amount: not an amount: 'x'"


# --- Across processes ------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import pickle, sys
    sys.path.insert(0, sys.argv[1])
    from test_pickling import RESULTS
    for record in RESULTS:
        try:
            hash(record)  # fills every cached hash before pickling
        except TypeError:
            pass
    sys.stdout.buffer.write(pickle.dumps((hash("collectlib"), RESULTS)))
    """
)


def test_records_pickled_under_another_hash_seed_are_found_in_sets_here() -> None:
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    child = subprocess.run(  # this interpreter, our script
        [sys.executable, "-c", _CHILD, os.path.dirname(__file__)],
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        check=True,
        timeout=120,
    )
    their_hash, loaded = pickle.loads(child.stdout)  # our own child's bytes
    if os.environ.get("PYTHONHASHSEED") is None:
        assert their_hash != hash("collectlib")  # the seeds do differ
    assert len(loaded) == len(RESULTS)
    for theirs, ours in zip(loaded, RESULTS, strict=True):
        assert theirs == ours
        try:
            hash(ours)
        except TypeError:
            continue
        assert hash(theirs) == hash(ours)
        assert theirs in {ours}
        assert ours in {theirs}


def test_a_process_pool_ships_a_policy_and_accounts_and_their_agenda_back() -> None:
    policy, accounts = demo.policy(), demo.portfolio().accounts
    on = demo.AS_OF
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        shipped = pool.apply(agenda, (accounts, policy, on), {"horizon_days": 7})
    assert shipped == agenda(accounts, policy, on, horizon_days=7)
    assert isinstance(shipped[0].due_on, dt.date)
