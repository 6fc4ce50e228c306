"""Action templates and specific actions (actions attached to items, outside the scenario)."""

from __future__ import annotations

import datetime as dt
from typing import cast

import attrs

from collectlib._checks import (
    check_bool,
    check_date,
    check_enum,
    check_id,
    check_instances,
    check_int,
    fail,
    to_action_state,
    to_channel,
    to_frozenset,
)
from collectlib.enums import ActionState, Channel
from collectlib.languages import Template, check_template_texts, template_texts, to_template

__all__ = ["ActionTemplate", "SpecificAction", "check_channel_rules"]


def check_channel_rules(
    owner: str, channel: object, template: object, automatic: object, to_be_confirmed: object
) -> None:
    """Check the rules an action's channel imposes (shared by templates, steps, actions).

    A message channel (all but ``CALL`` and ``LITIGATION``) needs a ``template``
    (a text, or a mapping language -> text with a ``"default"``) whose every text is
    non-blank; only a message may be ``automatic``; ``to_be_confirmed`` needs
    ``automatic``.
    """
    check_enum(owner, "channel", channel, Channel)
    check_template_texts(owner, "template", template, optional=True)
    check_bool(owner, "automatic", automatic)
    check_bool(owner, "to_be_confirmed", to_be_confirmed)
    channel = cast(Channel, channel)  # checked just above
    if channel.is_message:
        if template is None:
            fail(owner, f"{channel.value} actions need a template")
        for language, text in template_texts(cast(Template, template)):
            if not text.strip():
                which = "" if language is None else f" (its {language!r} text is empty)"
                fail(owner, f"{channel.value} actions need a template{which}")
    elif automatic:
        fail(owner, f"{channel.value} actions cannot be automatic (only messages can)")
    if to_be_confirmed and not automatic:
        fail(
            owner,
            "to_be_confirmed needs automatic=True (it is an automatic action a person confirms)",
        )


@attrs.frozen(kw_only=True)
class ActionTemplate:
    """How to create an action: its channel, delay, sending mode and message template.

    ``delay_days`` is how long after the day the action is created it falls due.

    >>> ActionTemplate(name="Dispute follow-up", channel=Channel.CALL, delay_days=7)
    ActionTemplate(name='Dispute follow-up', channel=<Channel.CALL: 'CALL'>, delay_days=7, \
automatic=False, to_be_confirmed=False, template=None)
    >>> ActionTemplate(name="Reminder", channel="EMAIL")
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: action template 'Reminder': EMAIL actions need a template
    """

    name: str
    channel: Channel = attrs.field(converter=to_channel)
    delay_days: int = 0
    automatic: bool = False
    to_be_confirmed: bool = False
    template: Template | None = attrs.field(default=None, converter=to_template)
    """The message text with #hashtags (required for message channels), or a mapping
    language -> text with a ``"default"`` (see ``collectlib.languages``)."""

    def __attrs_post_init__(self) -> None:
        check_id("action template", "name", self.name)
        owner = f"action template {self.name!r}"
        check_int(owner, "delay_days", self.delay_days, minimum=0)
        check_channel_rules(
            owner, self.channel, self.template, self.automatic, self.to_be_confirmed
        )


@attrs.frozen(kw_only=True)
class SpecificAction:
    """An action attached to chosen items, which takes them out of the scenario while open.

    An item is *excluded* from the scenario exactly when an ``OPEN`` specific action
    holds it; an item is held by at most one open action (checked by ``Account``).
    ``closed_on`` is set exactly when the action is no longer ``OPEN``.
    """

    id: str
    name: str
    channel: Channel = attrs.field(converter=to_channel)
    item_ids: frozenset[str] = attrs.field(converter=to_frozenset)
    due_on: dt.date
    created_on: dt.date
    automatic: bool = False
    to_be_confirmed: bool = False
    template: Template | None = attrs.field(default=None, converter=to_template)
    state: ActionState = attrs.field(default=ActionState.OPEN, converter=to_action_state)
    closed_on: dt.date | None = None
    origin_status: str | None = None
    """The code of the status whose follow-up created the action, if any."""
    plan_id: str | None = None
    """The payment plan this action follows up, if any."""

    def __attrs_post_init__(self) -> None:
        check_id("action", "id", self.id)
        owner = f"action {self.id!r}"
        check_id(owner, "name", self.name)
        check_instances(owner, "item_ids", self.item_ids, str)
        if not self.item_ids:
            fail(owner, "item_ids must name at least one item")
        for item_id in sorted(self.item_ids):
            check_id(owner, "item_ids", item_id)
        check_date(owner, "due_on", self.due_on)
        check_date(owner, "created_on", self.created_on)
        check_channel_rules(
            owner, self.channel, self.template, self.automatic, self.to_be_confirmed
        )
        check_enum(owner, "state", self.state, ActionState)
        check_date(owner, "closed_on", self.closed_on, optional=True)
        if (self.state is ActionState.OPEN) is not (self.closed_on is None):
            fail(
                owner,
                f"closed_on is set exactly when the action is not OPEN (state {self.state.value})",
            )
        if self.origin_status is not None:
            check_id(owner, "origin_status", self.origin_status)
        if self.plan_id is not None:
            check_id(owner, "plan_id", self.plan_id)

    @property
    def is_open(self) -> bool:
        """Whether the action is ``OPEN`` (its items are out of the scenario)."""
        return self.state is ActionState.OPEN
