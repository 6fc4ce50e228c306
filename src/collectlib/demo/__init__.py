"""The demo portfolio and policy shipped with collectlib (what ``collectlib agenda`` shows).

Three dozen realistic customer files as of ``AS_OF``: overdue invoices, credit notes,
disputes in their follow-up actions, promises to pay, a payment plan, paid items, several
collectors and client types with their own scenarios, and the history of the invoices
those customers paid before (what ``collectlib forecast`` reads).  The files are
package data in collectlib's file formats (``policy.toml``, ``portfolio.json``,
``history.csv``), written by ``python -m collectlib.demo.build``.
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import as_file, files

from collectlib.forecast import Settlement
from collectlib.io.files import Portfolio, load_policy, load_portfolio, load_settlements
from collectlib.model import Policy

__all__ = ["AS_OF", "history", "policy", "portfolio"]

AS_OF = dt.date(2026, 3, 16)
"""The date the demo portfolio describes."""


def policy() -> Policy:
    """Return the demo policy (``policy.toml``)."""
    with as_file(files(__package__) / "policy.toml") as path:
        return load_policy(path)


def portfolio() -> Portfolio:
    """Return the demo portfolio (``portfolio.json``), as of ``AS_OF``."""
    with as_file(files(__package__) / "portfolio.json") as path:
        return load_portfolio(path)


def history() -> tuple[Settlement, ...]:
    """Return the invoices the demo's customers paid before ``AS_OF`` (``history.csv``)."""
    with as_file(files(__package__) / "history.csv") as path:
        return load_settlements(path)
