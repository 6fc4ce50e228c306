"""The stateful test: random sequences of every operation, with the invariants after each."""

from __future__ import annotations

from hypothesis.stateful import invariant

from collectlib.testing import CollectionMachine


class AccountMachine(CollectionMachine):
    """collectlib's own run of the machine it ships, with one invariant of ours added."""

    @invariant()
    def the_journal_only_grows_and_every_event_is_dated_in_order_of_work(self) -> None:
        if not hasattr(self, "account"):
            return
        assert all(event.on <= self.on for event in self.account.journal)


TestAccountMachine = AccountMachine.TestCase
