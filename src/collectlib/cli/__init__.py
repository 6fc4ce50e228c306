r"""The ``collectlib`` command: the collection agenda, policy checks, explanations, reports.

    collectlib agenda [PORTFOLIO] [--policy FILE] [--on DATE] [--horizon DAYS]
                      [--collector NAME] [--order date|risk [--history PAID]]
                      [--format table|json|csv]
    collectlib forecast [PORTFOLIO] [--history PAID] [--policy FILE] [--on DATE]
                        [--weeks N] [--half-life DAYS] [--items] [--format table|json|csv]
    collectlib check POLICY
    collectlib next [PORTFOLIO] ACCOUNT [--policy FILE] [--on DATE] [--format table|json]
                    [--message [--locale LOCALE|account]]
    collectlib report aged|qualification|holds [PORTFOLIO] [--on DATE] [--buckets DAYS,...]
                      [--format table|json|csv]
    collectlib simulate [PORTFOLIO] [--policy FILE] [--start DATE] [--end DATE]
                        [--capacity N] [--seed S] [--history PAID] [--format table|json|csv]
    collectlib --version

A CSV PORTFOLIO (``-``: the standard input) also takes [--delimiter CHAR|tab]
[--column FIELD=NAME]... [--currency CODE] [--decimal-comma] [--date-format FORMAT]
[--encoding NAME]; a JSON PORTFOLIO [--max-size MIB].  ``--format csv`` takes [--raw-csv].
``next --message`` writes the next action's message in the account's language;
``--locale`` formats its amounts and dates (``account``: the account's language).
``simulate`` replays the policy from ``--start`` (``--on``) to ``--end`` (13 weeks by
default), the customers paying as the ``--history`` of paid items says (else as the
accounts' journals say, else with typical delays).

Without a portfolio, the commands run on the demo portfolio and policy shipped with
collectlib, as of the demo's date (``forecast`` on the demo's history of paid
invoices).  With a portfolio, ``agenda``, ``next`` and ``forecast`` need ``--policy``
(the reports use none), ``forecast`` and ``agenda --order risk`` the ``--history`` of
paid invoices, and ``--on`` defaults to the portfolio's ``as_of`` date, else today.
Exit codes: 0 ok, 1 a rule, configuration or file error (one line on stderr; a
portfolio without accounts is one), 2 a usage error, 130 interrupted (Ctrl-C).
``--debug`` (before or after the command) shows the traceback of an error.

What is printed for people (tables, ``check``, ``next``, errors; CSV too on a terminal)
shows control characters as escapes (``\x1b``), so that no name can drive the
terminal; JSON escapes them as JSON does (``\u001b``).  CSV text cells that a
spreadsheet would run as formulas get a quote in front (``safe_cell``); ``--raw-csv``
writes them as they are.  Amounts for people are in their currency, rounded to its
minor unit (``1,200.00 EUR``, ``150,000 JPY``), and totals are per currency.

The package: ``_parser`` reads the arguments, ``_commands`` runs them (``_forecast``
the forecast and the risk order, ``_simulate`` the simulation), ``_writers``
writes tables, JSON and CSV, ``_progress`` draws the progress line of a long run.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import TextIO, cast

from collectlib.cli import _commands, _forecast, _simulate
from collectlib.cli._parser import parser
from collectlib.cli._progress import Progress
from collectlib.cli._writers import Visible, visible
from collectlib.errors import CollectError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 error, 2 usage, 130 interrupted)."""
    args = parser().parse_args(argv)
    out = out or sys.stdout
    if getattr(args, "format", "table") == "table" or out.isatty():
        # for people: every command's text goes through here, so no value that a file
        # holds can send escape sequences to a terminal
        out = cast("TextIO", Visible(out))
    progress = Progress.for_stderr()
    # The records hold no reference cycles: reference counting frees them, and the cyclic
    # collector would only walk millions of live items again and again.  A program may
    # decide this for itself; the library never does.  A caller of main() gets its
    # collector back as it was.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run(args, out, progress)
    except CollectError as error:
        if args.debug:
            raise
        sys.stderr.write(f"collectlib: error: {visible(str(error))}\n")
        return 1
    except MemoryError:  # a portfolio larger than this machine's memory
        if args.debug:
            raise
        sys.stderr.write("collectlib: error: out of memory\n")
        return 1
    except KeyboardInterrupt:  # Ctrl-C: one line, the shell's code for SIGINT
        if args.debug:
            raise
        sys.stderr.write("collectlib: interrupted\n")
        return 130
    except BrokenPipeError:  # pragma: no cover - `collectlib agenda | head`
        return 0
    finally:
        if collecting:
            gc.enable()
    return 0


def _run(args: argparse.Namespace, out: TextIO, progress: Progress) -> None:
    """Run the command; the progress line is gone when it ends, however it ends."""
    try:
        if args.command == "agenda":
            _commands.agenda_command(args, out, progress)
        elif args.command == "check":
            _commands.check_command(args, out, progress)
        elif args.command == "next":
            _commands.next_command(args, out, progress)
        elif args.command == "simulate":
            _simulate.simulate_command(args, out, progress)
        elif args.command == "forecast":
            _forecast.forecast_command(args, out, progress)
        else:
            _commands.report_command(args, out, progress)
    finally:
        progress.clear()
