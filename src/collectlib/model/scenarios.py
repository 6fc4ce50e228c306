"""Scenarios: the standard dunning sequence, step by step."""

from __future__ import annotations

import datetime as dt

import attrs

from collectlib._checks import (
    check_enum,
    check_id,
    check_instances,
    check_int,
    fail,
    to_enum,
    to_tuple,
)
from collectlib.enums import Channel, Restart, TriggerKind
from collectlib.model.actions import check_channel_rules

__all__ = ["Repeat", "Scenario", "Step", "Trigger"]


def _trigger_kind(value: TriggerKind | str) -> TriggerKind:
    return to_enum(TriggerKind, value)


def _channel(value: Channel | str) -> Channel:
    return to_enum(Channel, value)


def _restart(value: Restart | str) -> Restart:
    return to_enum(Restart, value)


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

    kind: TriggerKind = attrs.field(converter=_trigger_kind)
    days: int
    delta: dt.timedelta = attrs.field(init=False, repr=False, eq=False)
    """``days`` as a ``timedelta`` (derived)."""

    def __attrs_post_init__(self) -> None:
        check_enum("trigger", "kind", self.kind, TriggerKind)
        minimum = 0 if self.kind is TriggerKind.AFTER_LAST_ACTION else None
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

    def __str__(self) -> str:
        if self.kind is TriggerKind.LEADER_DUE:
            return f"leader due {self.days:+d}"
        return f"last action +{self.days}"


@attrs.frozen(kw_only=True)
class Step:
    """One step of a scenario: an action on a channel, due by its trigger.

    Message channels need a ``template``; only messages may be ``automatic``;
    ``to_be_confirmed`` needs ``automatic`` (the rules of ``ActionTemplate``).
    """

    name: str
    channel: Channel = attrs.field(converter=_channel)
    trigger: Trigger
    template: str | None = None
    automatic: bool = False
    to_be_confirmed: bool = False

    def __attrs_post_init__(self) -> None:
        check_id("step", "name", self.name)
        owner = f"step {self.name!r}"
        if not isinstance(self.trigger, Trigger):
            fail(owner, f"trigger must be a Trigger, not {self.trigger!r}")
        check_channel_rules(
            owner, self.channel, self.template, self.automatic, self.to_be_confirmed
        )

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

    def __attrs_post_init__(self) -> None:
        check_int("repeat", "every_days", self.every_days, minimum=1)
        check_int("repeat", "max_times", self.max_times, minimum=1)
        try:
            dt.timedelta(days=self.every_days * self.max_times)
        except OverflowError:
            fail("repeat", f"every_days {self.every_days} times {self.max_times} is out of range")


@attrs.frozen(kw_only=True)
class Scenario:
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
    restart: Restart = attrs.field(default=Restart.FIRST_STEP, converter=_restart)
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
