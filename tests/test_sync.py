"""SPEC §4: merging the ERP's open-items extract."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import CALL_BACK, account, d, invoice, policy, qualifying_policy
from collectlib import (
    ActionDeleted,
    ActionState,
    ItemsReleased,
    ItemsSynced,
    ValidationError,
    apply_status,
    create_action,
    next_action,
    record_action,
    sync_items,
)
from collectlib.strategies import accounts, dates, items

ON = d("2026-03-02")


def customer():
    return account(
        invoice("F-1", "2026-01-10", 500),
        invoice("F-2", "2026-02-10", 300),
        invoice("F-3", "2026-03-10", 200),
    )


def test_new_items_are_added_known_ones_updated_missing_ones_closed() -> None:
    acc = apply_status(
        customer(), ["F-2"], "ongoing", qualifying_policy(), ON, comment="called", owner="anna"
    )
    extract = [
        invoice("F-2", "2026-02-20", 300, open_amount=120),
        invoice("F-3", "2026-03-10", 200),
        invoice("F-4", "2026-04-10", 900),
    ]
    synced = sync_items(acc, extract, d("2026-03-03"), by="erp")
    assert [(i.id, str(i.open_amount)) for i in synced.items] == [
        ("F-1", "0"),
        ("F-2", "120"),
        ("F-3", "200"),
        ("F-4", "900"),
    ]
    kept = synced.item("F-2")
    assert (kept.due_date, kept.status, kept.comment, kept.owner) == (
        d("2026-02-20"),
        "ongoing",
        "called",
        "anna",
    )
    assert synced.item("F-1").amount == 500
    assert synced.journal[-1] == ItemsSynced(
        on=d("2026-03-03"), by="erp", added={"F-4"}, updated={"F-2"}, closed={"F-1"}
    )


def test_closed_items_leave_their_actions_and_empty_actions_are_deleted() -> None:
    acc = create_action(customer(), ["F-1", "F-2"], CALL_BACK, ON)
    acc = create_action(acc, ["F-3"], CALL_BACK, ON)
    synced = sync_items(acc, [invoice("F-2", "2026-02-10", 300)], d("2026-03-04"), by="erp")
    first, second = synced.actions
    assert (first.state, first.item_ids) == (ActionState.OPEN, {"F-2"})
    assert (second.state, second.closed_on) == (ActionState.DELETED, d("2026-03-04"))
    assert (
        ItemsReleased(on=d("2026-03-04"), by="erp", action_id="A1", item_ids={"F-1"})
        in synced.journal
    )
    assert ActionDeleted(on=d("2026-03-04"), by="erp", action_id="A2") in synced.journal


def test_a_paid_leader_that_comes_back_restarts_the_scenario() -> None:
    pol = policy()
    acc = customer()
    acc = record_action(acc, next_action(acc, pol, d("2026-01-11")), pol, d("2026-01-11"))
    acc = sync_items(acc, acc.items[1:], d("2026-01-20"))  # F-1 paid
    acc = sync_items(acc, customer().items, d("2026-01-25"))  # the payment was reversed
    proposal = next_action(acc, pol, d("2026-01-25"))
    assert (proposal.leader_id, proposal.step_index) == ("F-1", 0)


def test_an_extract_with_an_item_twice_or_a_non_item_is_refused() -> None:
    with pytest.raises(ValidationError, match="sync_items: item 'F-1' is twice in the extract"):
        sync_items(customer(), [invoice("F-1", "2026-01-10"), invoice("F-1", "2026-01-10")], ON)
    with pytest.raises(
        ValidationError, match=r"^sync_items: items\[0\] must be an Item, not 'F-1'$"
    ):
        sync_items(customer(), ["F-1"], ON)  # type: ignore[list-item]


@given(accounts(), st.lists(items(), max_size=8, unique_by=lambda i: i.id), dates(), st.data())
def test_sync_keeps_ids_growing_and_the_extract_wins_on_amounts(acc, fresh, on, data) -> None:
    keep = (
        data.draw(st.lists(st.sampled_from(acc.items), unique_by=lambda i: i.id))
        if acc.items
        else []
    )
    extract = [*keep, *(i for i in fresh if i.id not in {k.id for k in acc.items})]
    snapshot = (acc, hash(acc))
    synced = sync_items(acc, extract, on)
    assert snapshot == (acc, hash(acc))
    ids = [i.id for i in synced.items]
    assert ids[: len(acc.items)] == [i.id for i in acc.items]
    by_id = {i.id: i for i in synced.items}
    for item in extract:
        assert (by_id[item.id].amount, by_id[item.id].open_amount) == (
            item.amount,
            item.open_amount,
        )
    extracted = {i.id for i in extract}
    for item in acc.items:
        if item.id not in extracted:
            assert by_id[item.id].is_closed
    for action in synced.actions:
        if action.is_open:
            assert all(by_id[i].is_open for i in action.item_ids)
    assert attrs.evolve(synced) == synced
