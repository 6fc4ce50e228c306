"""Statuses: the qualifications collectors apply to items after a customer contact."""

from __future__ import annotations

import attrs

from collectlib._checks import check_enum, check_id, check_text, fail, to_status_category
from collectlib.enums import StatusCategory
from collectlib.model.actions import ActionTemplate

__all__ = ["Status"]

_NEED_ACTION = frozenset({StatusCategory.DISPUTE, StatusCategory.LITIGATION})


@attrs.frozen(kw_only=True)
class Status:
    """A qualification in one of the fixed categories, with an optional follow-up action.

    ``action`` is the follow-up action created when the status is applied.  A
    ``DISPUTE`` or ``LITIGATION`` status must have one: a disputed item always leaves
    the scenario for its own follow-up.

    >>> Status(code="promise", category=StatusCategory.PROMISE).label
    'promise'
    >>> Status(code="price-dispute", category="DISPUTE")
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: status 'price-dispute': a DISPUTE status needs an action \
(its follow-up takes the items out of the scenario)
    """

    code: str
    label: str = attrs.field(default=attrs.Factory(lambda self: self.code, takes_self=True))
    category: StatusCategory = attrs.field(
        default=StatusCategory.ONGOING, converter=to_status_category
    )
    action: ActionTemplate | None = None

    def __attrs_post_init__(self) -> None:
        check_id("status", "code", self.code)
        owner = f"status {self.code!r}"
        check_text(owner, "label", self.label)
        check_enum(owner, "category", self.category, StatusCategory)
        if self.action is not None and not isinstance(self.action, ActionTemplate):
            fail(owner, f"action must be an ActionTemplate, not {self.action!r}")
        if self.category in _NEED_ACTION and self.action is None:
            fail(
                owner,
                f"a {self.category.value} status needs an action "
                "(its follow-up takes the items out of the scenario)",
            )

    @property
    def is_dispute(self) -> bool:
        """Whether the status is a ``DISPUTE`` or ``LITIGATION`` one."""
        return self.category in _NEED_ACTION
