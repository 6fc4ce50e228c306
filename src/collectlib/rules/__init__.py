"""The rules: pure functions from records (and a date) to decisions or new records."""

from collectlib.rules.dunning import Proposal, idle_reason, next_action, record_action
from collectlib.rules.selection import (
    balance,
    collectable_items,
    excluded_item_ids,
    leader_invoice,
    scenario_for,
)

__all__ = [
    "Proposal",
    "balance",
    "collectable_items",
    "excluded_item_ids",
    "idle_reason",
    "leader_invoice",
    "next_action",
    "record_action",
    "scenario_for",
]
