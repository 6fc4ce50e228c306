"""The rules: pure functions from records (and a date) to decisions or new records."""

from collectlib.rules.dunning import Proposal, idle_reason, next_action, record_action
from collectlib.rules.penalties import ItemPenalty, Penalties, penalties
from collectlib.rules.selection import (
    balance,
    collectable_items,
    excluded_item_ids,
    leader_invoice,
    scenario_for,
)
from collectlib.rules.sending import send_at
from collectlib.rules.templates import (
    Statement,
    StatementRow,
    format_amount,
    format_date,
    render,
    template_context,
)

__all__ = [
    "ItemPenalty",
    "Penalties",
    "Proposal",
    "Statement",
    "StatementRow",
    "balance",
    "collectable_items",
    "excluded_item_ids",
    "format_amount",
    "format_date",
    "idle_reason",
    "leader_invoice",
    "next_action",
    "penalties",
    "record_action",
    "render",
    "scenario_for",
    "send_at",
    "template_context",
]
