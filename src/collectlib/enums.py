"""The shared vocabulary: every enumeration of the domain, in one place.

Each enumeration's values are its members' names in upper case, which is also what
files and the command line use (``ItemKind("INVOICE") is ItemKind.INVOICE``).
"""

from __future__ import annotations

import enum

__all__ = [
    "ActionState",
    "Channel",
    "EntryKind",
    "FollowUp",
    "IdleReason",
    "ItemKind",
    "PlanState",
    "Restart",
    "StatusCategory",
    "TriggerKind",
]


class ItemKind(enum.Enum):
    """What an open item is: its kind fixes the sign of its amount."""

    INVOICE = "INVOICE"
    """A debit: the amount is positive."""
    CREDIT_NOTE = "CREDIT_NOTE"
    """A credit: the amount is negative."""
    PAYMENT = "PAYMENT"
    """An unallocated payment, a credit: the amount is negative."""
    OTHER = "OTHER"
    """Any other entry (miscellaneous transaction): debit or credit."""


class StatusCategory(enum.Enum):
    """The fixed category of a status; users define statuses inside these."""

    ONGOING = "ONGOING"
    PROMISE = "PROMISE"
    DISPUTE = "DISPUTE"
    DISPUTE_RESOLVED = "DISPUTE_RESOLVED"
    LITIGATION = "LITIGATION"
    PAYMENT_PLAN = "PAYMENT_PLAN"


class Channel(enum.Enum):
    """How an action reaches the customer (or a colleague)."""

    CALL = "CALL"
    EMAIL = "EMAIL"
    INTERACTIVE_EMAIL = "INTERACTIVE_EMAIL"
    INTERNAL_INTERACTIVE_EMAIL = "INTERNAL_INTERACTIVE_EMAIL"
    LETTER = "LETTER"
    REGISTERED_LETTER = "REGISTERED_LETTER"
    """A letter with acknowledgment of receipt."""
    SMS = "SMS"
    FAX = "FAX"
    LITIGATION = "LITIGATION"

    @property
    def is_message(self) -> bool:
        """Whether the channel sends a message, which needs a template.

        Every channel but ``CALL`` and ``LITIGATION`` is a message.
        """
        return self not in _NOT_MESSAGES


_NOT_MESSAGES = frozenset({Channel.CALL, Channel.LITIGATION})


class TriggerKind(enum.Enum):
    """What a scenario step's due date counts from."""

    LEADER_DUE = "LEADER_DUE"
    """From the leader invoice's due date."""
    AFTER_LAST_ACTION = "AFTER_LAST_ACTION"
    """From the previous scenario action performed in the cycle."""
    LEADER_ISSUED = "LEADER_ISSUED"
    """From the leader invoice's issue date (peers that count from the invoice date)."""
    END_OF_MONTH = "END_OF_MONTH"
    """The last day of the month of the leader's due date plus the days ("+30 end of month")."""

    @property
    def from_leader(self) -> bool:
        """Whether the step's date counts from the leader alone (not from the last action)."""
        return self is not TriggerKind.AFTER_LAST_ACTION


class Restart(enum.Enum):
    """Where a new cycle of the scenario starts (``Scenario.restart``).

    A new cycle starts when the leader changes (the old one paid, promised, disputed)
    or the account changes scenario.
    """

    FIRST_STEP = "FIRST_STEP"
    """At step 1, even for a long overdue leader (the seed's rule)."""
    CATCH_UP = "CATCH_UP"
    """At the latest leader-anchored step already due: a 100-day-old invoice gets the
    formal notice, not the courtesy e-mail."""
    RESUME = "RESUME"
    """After the highest step already sent while the new leader was overdue and among
    the items chased (escalation memory); at step 1 when there is none."""


class ActionState(enum.Enum):
    """Where a specific action stands."""

    OPEN = "OPEN"
    DONE = "DONE"
    CANCELLED = "CANCELLED"
    DELETED = "DELETED"
    """Closed automatically because all its items were closed."""


class FollowUp(enum.Enum):
    """What happens to items after a status is applied."""

    DEFAULT = "DEFAULT"
    """``FROM_STATUS`` when the status has an action, else ``KEEP``."""
    KEEP = "KEEP"
    """The items' exclusions stay as they are."""
    SCENARIO = "SCENARIO"
    """The items return to the scenario (they leave any open action)."""
    FROM_STATUS = "FROM_STATUS"
    """Create the status's own follow-up action on the items."""


class IdleReason(enum.Enum):
    """Why an account has no scenario action to propose."""

    NO_SCENARIO = "NO_SCENARIO"
    NO_LEADER = "NO_LEADER"
    BELOW_MINIMUM = "BELOW_MINIMUM"
    """The balance is below the policy's minimum amount, or rounds to zero."""
    SCENARIO_COMPLETED = "SCENARIO_COMPLETED"
    """Every step (and repeat) is done for this leader: a review row asks for a decision."""
    PAUSED = "PAUSED"
    """The account is paused (``pause``) until a date: the scenario resumes then."""


class EntryKind(enum.Enum):
    """Where an agenda entry comes from."""

    SCENARIO = "SCENARIO"
    """The scenario's next step."""
    SPECIFIC = "SPECIFIC"
    """An open specific action."""
    REVIEW = "REVIEW"
    """A decision to take: the scenario is completed and the balance still due, or a
    disputed item has no follow-up.  Never automatic."""


class PlanState(enum.Enum):
    """How a payment plan is going."""

    ON_TRACK = "ON_TRACK"
    LATE = "LATE"
    COMPLETED = "COMPLETED"
