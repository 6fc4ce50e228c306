"""The domain records: immutable ``attrs`` classes, validated when built.

Every record is frozen, slotted and keyword-only; collections are tuples and
frozensets; ``attrs.evolve`` makes a changed copy (validated again).  The rules that
combine records are functions in ``collectlib.rules``; the records carry only data
and small derived properties.
"""

from collectlib.model.accounts import Account
from collectlib.model.actions import ActionTemplate, SpecificAction
from collectlib.model.calendar import BusinessCalendar
from collectlib.model.items import Item
from collectlib.model.journal import (
    AccountPaused,
    ActionCancelled,
    ActionCompleted,
    ActionCreated,
    ActionDeleted,
    ActionRescheduled,
    HoldReleased,
    ItemsReleased,
    ItemsSynced,
    JournalEvent,
    OwnerAssigned,
    PauseEnded,
    PlanCancelled,
    PlanCreated,
    PlanReviewed,
    ScenarioActionRecorded,
    StatusApplied,
)
from collectlib.model.plans import Installment, PaymentPlan
from collectlib.model.policy import (
    CollectorRule,
    PenaltyRule,
    Policy,
    QuickPromise,
    RateTimeline,
    SendingWindow,
)
from collectlib.model.scenarios import Condition, Fallback, Fee, Repeat, Scenario, Step, Trigger
from collectlib.model.statuses import Status

__all__ = [
    "Account",
    "AccountPaused",
    "ActionCancelled",
    "ActionCompleted",
    "ActionCreated",
    "ActionDeleted",
    "ActionRescheduled",
    "ActionTemplate",
    "BusinessCalendar",
    "CollectorRule",
    "Condition",
    "Fallback",
    "Fee",
    "HoldReleased",
    "Installment",
    "Item",
    "ItemsReleased",
    "ItemsSynced",
    "JournalEvent",
    "OwnerAssigned",
    "PauseEnded",
    "PaymentPlan",
    "PenaltyRule",
    "PlanCancelled",
    "PlanCreated",
    "PlanReviewed",
    "Policy",
    "QuickPromise",
    "RateTimeline",
    "Repeat",
    "Scenario",
    "ScenarioActionRecorded",
    "SendingWindow",
    "SpecificAction",
    "Status",
    "StatusApplied",
    "Step",
    "Trigger",
]
