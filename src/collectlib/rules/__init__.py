"""The rules: pure functions from records (and a date) to decisions or new records."""

from collectlib.rules.actions import (
    cancel_action,
    complete_action,
    create_action,
    reschedule_action,
)
from collectlib.rules.cadence import CreditHold, credit_hold, end_pause, pause, release_hold
from collectlib.rules.dunning import Proposal, idle_reason, next_action, record_action
from collectlib.rules.explain import Excluded, Explanation, explain
from collectlib.rules.groups import Exposure, GroupExposure
from collectlib.rules.penalties import ItemPenalty, Penalties, penalties
from collectlib.rules.plans import (
    PlanProgress,
    cancel_plan,
    create_plan,
    plan_progress,
    review_plan,
    schedule,
)
from collectlib.rules.promises import quick_promise
from collectlib.rules.qualification import apply_status, assign_owner
from collectlib.rules.selection import (
    balance,
    collectable_items,
    excluded_item_ids,
    leader_invoice,
    scenario_for,
)
from collectlib.rules.sending import send_at
from collectlib.rules.sync import sync_items
from collectlib.rules.templates import (
    Statement,
    StatementRow,
    format_amount,
    format_date,
    render,
    template_context,
)

__all__ = [
    "CreditHold",
    "Excluded",
    "Explanation",
    "Exposure",
    "GroupExposure",
    "ItemPenalty",
    "Penalties",
    "PlanProgress",
    "Proposal",
    "Statement",
    "StatementRow",
    "apply_status",
    "assign_owner",
    "balance",
    "cancel_action",
    "cancel_plan",
    "collectable_items",
    "complete_action",
    "create_action",
    "create_plan",
    "credit_hold",
    "end_pause",
    "excluded_item_ids",
    "explain",
    "format_amount",
    "format_date",
    "idle_reason",
    "leader_invoice",
    "next_action",
    "pause",
    "penalties",
    "plan_progress",
    "quick_promise",
    "record_action",
    "release_hold",
    "render",
    "reschedule_action",
    "review_plan",
    "scenario_for",
    "schedule",
    "send_at",
    "sync_items",
    "template_context",
]
