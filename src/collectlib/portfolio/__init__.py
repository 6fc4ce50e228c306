"""Whole portfolios: the collection agenda (and, later, the reports)."""

from collectlib.portfolio.agenda import AgendaEntry, agenda, due_actions

__all__ = ["AgendaEntry", "agenda", "due_actions"]
