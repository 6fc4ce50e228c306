"""The stateful test: random sequences of every operation, with the invariants after each."""

from __future__ import annotations

from hypothesis.stateful import invariant

from collectlib.testing import CollectionMachine


class AccountMachine(CollectionMachine):
    """collectlib's own run of the machine it ships, plus one invariant of ours."""

    @invariant()
    def disputed_items_are_never_chased(self) -> None:
        if not hasattr(self, "account"):
            return
        proposal = self.proposal()
        disputed = {
            item.id
            for item in self.account.items
            if item.is_open and item.status and self.policy.status(item.status).is_dispute
        }
        held = {i for a in self.account.actions if a.is_open for i in a.item_ids}
        assert proposal is None or not proposal.item_ids & disputed & held


TestAccountMachine = AccountMachine.TestCase
