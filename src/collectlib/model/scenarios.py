"""Scenarios: the standard dunning sequence, step by step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from collectlib._checks import (
    check_amount,
    check_bool,
    check_enum,
    check_id,
    check_instances,
    check_int,
    check_per_currency,
    fail,
    to_channel,
    to_restart,
    to_trigger_kind,
    to_tuple,
)
from collectlib.enums import Channel, Restart, TriggerKind
from collectlib.languages import Template, to_template
from collectlib.model.actions import check_channel_rules
from collectlib.money import (
    ZERO,
    PerCurrency,
    coerce_amount,
    coerce_per_currency,
    per_currency_text,
)

__all__ = ["Condition", "Fallback", "Fee", "Repeat", "Scenario", "Step", "Trigger"]


@attrs.frozen(kw_only=True)
class Trigger:
    """When a step falls due: days from the leader's due date, or from the last action.

    Build one with :meth:`leader_due` or :meth:`after_last_action`.

    >>> Trigger.leader_due(-5)
    Trigger(kind=<TriggerKind.LEADER_DUE: 'LEADER_DUE'>, days=-5)
    >>> Trigger.after_last_action(-1)
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: trigger: days must be at least 0, not -1
    """

    kind: TriggerKind = attrs.field(converter=to_trigger_kind)
    days: int
    delta: dt.timedelta = attrs.field(init=False, repr=False, eq=False)
    """``days`` as a ``timedelta`` (derived)."""

    def __attrs_post_init__(self) -> None:
        check_enum("trigger", "kind", self.kind, TriggerKind)
        minimum = (
            0 if self.kind in (TriggerKind.AFTER_LAST_ACTION, TriggerKind.LEADER_ISSUED) else None
        )
        check_int("trigger", "days", self.days, minimum=minimum)
        try:
            delta = dt.timedelta(days=self.days)
        except OverflowError:
            fail("trigger", f"days {self.days} is out of range")
        object.__setattr__(self, "delta", delta)

    @classmethod
    def leader_due(cls, days: int) -> Trigger:
        """Due ``days`` after the leader invoice's due date (negative: before it)."""
        return cls(kind=TriggerKind.LEADER_DUE, days=days)

    @classmethod
    def after_last_action(cls, days: int) -> Trigger:
        """Due ``days >= 0`` after the previous scenario action of the cycle.

        For a first step, after the leader's due date.
        """
        return cls(kind=TriggerKind.AFTER_LAST_ACTION, days=days)

    @classmethod
    def leader_issued(cls, days: int) -> Trigger:
        """Due ``days >= 0`` after the leader invoice's issue date."""
        return cls(kind=TriggerKind.LEADER_ISSUED, days=days)

    @classmethod
    def end_of_month(cls, days: int) -> Trigger:
        """Due on the last day of the month of the leader's due date + ``days``.

        ``Trigger.end_of_month(30)`` is "30 days end of month": an invoice due on
        10 January is chased on 28 February.
        """
        return cls(kind=TriggerKind.END_OF_MONTH, days=days)

    def __str__(self) -> str:
        if self.kind is TriggerKind.LEADER_DUE:
            return f"leader due {self.days:+d}"
        if self.kind is TriggerKind.LEADER_ISSUED:
            return f"leader issued +{self.days}"
        if self.kind is TriggerKind.END_OF_MONTH:
            return f"leader due {self.days:+d}, end of month"
        return f"last action +{self.days}"


@attrs.frozen(kw_only=True)
class Condition:
    """When a step applies: thresholds on the collectable items, read on the date asked.

    ``min_balance`` (an amount, or a mapping currency -> amount): the balance;
    ``min_overdue_items``: the number of collectable overdue debits; ``min_days_late``:
    the leader's days late.  ``None`` sets no threshold.  A step whose condition does
    not hold is skipped: the next step is considered (Kill Bill's conditions).

    >>> Condition(min_overdue_items=0)
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: condition: min_overdue_items must be at least 1, not 0
    """

    min_balance: PerCurrency | None = attrs.field(default=None, converter=coerce_per_currency)
    min_overdue_items: int | None = None
    min_days_late: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.min_balance is not None:
            check_per_currency("condition", "min_balance", self.min_balance)
        if self.min_overdue_items is not None:
            check_int("condition", "min_overdue_items", self.min_overdue_items, minimum=1)
        if self.min_days_late is not None:
            check_int("condition", "min_days_late", self.min_days_late, minimum=0)

    def __str__(self) -> str:
        parts = []
        if self.min_balance is not None:
            parts.append(f"balance >= {per_currency_text(self.min_balance)}")
        if self.min_overdue_items is not None:
            parts.append(f"overdue items >= {self.min_overdue_items}")
        if self.min_days_late is not None:
            parts.append(f"days late >= {self.min_days_late}")
        return ", ".join(parts) or "always"


@attrs.frozen(kw_only=True)
class Fee:
    """A fee charged when a step is recorded: fixed, plus a percentage of the balance.

    ``fixed`` is an amount or a mapping currency -> amount; ``percent`` a fraction
    (``Decimal("0.05")`` for 5 %, at most 1).  The fee is quantized to the account's
    currency (Tryton's dunning fees, OCA's level fees, Invoice Ninja's late fees).

    >>> Fee(percent=5)
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: fee: percent is a fraction (0.05 for 5 %), at most 1, not 5
    """

    fixed: PerCurrency = attrs.field(default=ZERO, converter=coerce_per_currency)
    percent: Decimal = attrs.field(default=ZERO, converter=coerce_amount)

    def __attrs_post_init__(self) -> None:
        check_per_currency("fee", "fixed", self.fixed)
        check_amount("fee", "percent", self.percent, minimum=ZERO)
        if self.percent > 1:
            fail("fee", f"percent is a fraction (0.05 for 5 %), at most 1, not {self.percent}")

    def __str__(self) -> str:
        parts = []
        if self.fixed:
            parts.append(per_currency_text(self.fixed))
        if self.percent:
            parts.append(f"{(self.percent * 100).normalize():f} %")
        return " + ".join(parts) or "no fee"


_EMAILS = frozenset({Channel.EMAIL, Channel.INTERACTIVE_EMAIL})


@attrs.frozen(kw_only=True)
class Fallback:
    """The channel an e-mail step takes for an account without an e-mail address.

    Never an e-mail channel; a message channel needs its ``template`` (a letter, say).
    """

    channel: Channel = attrs.field(converter=to_channel)
    template: Template | None = attrs.field(default=None, converter=to_template)

    def __attrs_post_init__(self) -> None:
        check_enum("fallback", "channel", self.channel, Channel)
        if self.channel in _EMAILS:
            fail("fallback", f"channel must not be an e-mail channel, not {self.channel.value}")
        check_channel_rules("fallback", self.channel, self.template, False, False)


def _fallback(value: Fallback | Channel | str | None) -> Fallback | None:
    """Read a step's fallback: a ``Fallback``, or a bare channel (without template)."""
    if value is None or isinstance(value, Fallback):
        return value
    if isinstance(value, Channel | str):
        return Fallback(channel=value)
    return value  # type: ignore[unreachable]  # reported by Step


@attrs.frozen(kw_only=True)
class Step:
    """One step of a scenario: an action on a channel, due by its trigger.

    Message channels need a ``template``; only messages may be ``automatic``;
    ``to_be_confirmed`` needs ``automatic`` (the rules of ``ActionTemplate``).
    """

    name: str
    channel: Channel = attrs.field(converter=to_channel)
    trigger: Trigger
    template: Template | None = attrs.field(default=None, converter=to_template)
    """The message (for message channels): a text, or a mapping language -> text with
    a ``"default"`` that the account's language picks from (``collectlib.languages``)."""
    automatic: bool = False
    to_be_confirmed: bool = False
    when: Condition | None = None
    """The step applies only when this holds on the date asked; else it is skipped."""
    fee: Fee | None = None
    """Charged when the step is recorded."""
    credit_hold: bool = False
    """Recording the step puts the account on credit hold (its overdue items)."""
    fallback: Fallback | None = attrs.field(default=None, converter=_fallback)
    """For an e-mail step: the channel used when the account has no e-mail address."""

    def __attrs_post_init__(self) -> None:
        check_id("step", "name", self.name)
        owner = f"step {self.name!r}"
        if not isinstance(self.trigger, Trigger):
            fail(owner, f"trigger must be a Trigger, not {self.trigger!r}")
        check_channel_rules(
            owner, self.channel, self.template, self.automatic, self.to_be_confirmed
        )
        for field, value, kind in (
            ("when", self.when, Condition),
            ("fee", self.fee, Fee),
            ("fallback", self.fallback, Fallback),
        ):
            if value is not None and not isinstance(value, kind):
                fail(owner, f"{field} must be a {kind.__name__}, not {value!r}")
        check_bool(owner, "credit_hold", self.credit_hold)
        if self.fallback is not None and self.channel not in _EMAILS:
            fail(owner, f"a fallback is for an e-mail step, not a {self.channel.value} one")

    @property
    def needs_confirmation(self) -> bool:
        """Whether the step is an automatic message that a person confirms first."""
        return self.automatic and self.to_be_confirmed


@attrs.frozen(kw_only=True)
class Repeat:
    """The last step again, every ``every_days`` days, at most ``max_times`` times.

    Once the last step of a scenario is recorded and the balance is still due, it
    comes back ``every_days`` after the previous recording (Lago's attempts, Invoice
    Ninja's endless reminder, capped), each repeat recorded like a step with its
    repeat count.  After the last repeat the scenario is completed: a review row asks
    for a decision.

    >>> Repeat(every_days=0, max_times=3)
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: repeat: every_days must be at least 1, not 0
    """

    every_days: int
    max_times: int
    fee: Fee | None = None
    """Charged with each repeat (none by default: the step's own fee is charged once)."""

    def __attrs_post_init__(self) -> None:
        check_int("repeat", "every_days", self.every_days, minimum=1)
        check_int("repeat", "max_times", self.max_times, minimum=1)
        if self.fee is not None and not isinstance(self.fee, Fee):
            fail("repeat", f"fee must be a Fee, not {self.fee!r}")
        try:
            dt.timedelta(days=self.every_days * self.max_times)
        except OverflowError:
            fail("repeat", f"every_days {self.every_days} times {self.max_times} is out of range")


class _Derived:
    """A scenario's facts derived from its fields, kept out of them (see ``Account``)."""

    __slots__ = ("_has_conditions",)
    _has_conditions: bool

    @property
    def has_conditions(self) -> bool:
        """Whether some step has a condition (``Step.when``)."""
        try:
            return self._has_conditions
        except AttributeError:  # unpickled or copied: attrs restores the fields only
            known = any(step.when is not None for step in self.steps)  # type: ignore[attr-defined]
            object.__setattr__(self, "_has_conditions", known)
            return known


@attrs.frozen(kw_only=True)
class Scenario(_Derived):
    """A named sequence of steps, where a new cycle starts, and what follows the last step.

    ``restart`` (``Restart``) says where a new cycle starts when the leader changes:
    at step 1 (``FIRST_STEP``), at the latest step already due (``CATCH_UP``), or
    after the highest step already sent while the new leader was overdue
    (``RESUME``).  ``repeat`` sends the last step again (``Repeat``);
    ``review_after_days`` is when a completed scenario whose balance is still due
    shows a review row on the agenda, counted from the last scenario action.

    ``leader_due`` steps, read in order, must not go back in time; step names are
    unique.  A scenario with no step is allowed (accounts handled by hand only).

    >>> Scenario(name="standard", steps=(
    ...     Step(name="letter", channel="LETTER", template="Pay", trigger=Trigger.leader_due(15)),
    ...     Step(name="call", channel="CALL", trigger=Trigger.leader_due(10)),
    ... ))
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: scenario 'standard': step 'call' (leader due +10) \
goes back in time after step 'letter' (leader due +15)
    """

    name: str
    steps: tuple[Step, ...] = attrs.field(default=(), converter=to_tuple)
    restart: Restart = attrs.field(default=Restart.FIRST_STEP, converter=to_restart)
    """Where a new cycle starts (``Restart``); replaces the earlier ``catch_up`` flag."""
    repeat: Repeat | None = None
    """The last step again, capped (``Repeat``); ``None``: no repeat."""
    review_after_days: int = 0
    """Days after the last scenario action when a completed scenario asks for a decision."""

    def __attrs_post_init__(self) -> None:
        check_id("scenario", "name", self.name)
        owner = f"scenario {self.name!r}"
        check_instances(owner, "steps", self.steps, Step)
        check_enum(owner, "restart", self.restart, Restart)
        if self.repeat is not None and not isinstance(self.repeat, Repeat):
            fail(owner, f"repeat must be a Repeat, not {self.repeat!r}")
        check_int(owner, "review_after_days", self.review_after_days, minimum=0)
        self.has_conditions  # noqa: B018  # derived now, in a slot outside the fields
        try:
            dt.timedelta(days=self.review_after_days)
        except OverflowError:
            fail(owner, f"review_after_days {self.review_after_days} is out of range")
        seen: set[str] = set()
        previous: Step | None = None
        for step in self.steps:
            if step.name in seen:
                fail(owner, f"two steps are named {step.name!r}")
            seen.add(step.name)
            if step.trigger.kind is TriggerKind.LEADER_DUE:
                if previous is not None and step.trigger.days < previous.trigger.days:
                    fail(
                        owner,
                        f"step {step.name!r} ({step.trigger}) goes back in time after "
                        f"step {previous.name!r} ({previous.trigger})",
                    )
                previous = step
