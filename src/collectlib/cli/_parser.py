"""The command line's arguments: the parser, and the types that read each option."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from collectlib import __version__
from collectlib._checks import read_date
from collectlib.io.files import ITEM_COLUMNS, PORTFOLIO_MAX_BYTES
from collectlib.money import is_currency

__all__ = ["CSV_OPTIONS", "is_csv", "is_stdin", "parser"]

CSV_OPTIONS = ("delimiter", "column", "currency", "decimal_comma", "date_format", "encoding")
"""The options of a CSV portfolio (their ``args`` names), refused with a JSON one."""


def _date(text: str) -> dt.date:
    day = read_date(text)  # the one reading of dates
    if day is None:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")
    return day


def _at_least(minimum: int, what: str) -> Callable[[str], int]:
    """Return the reader of a whole number at least ``minimum`` (``what`` names it)."""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"not {what}: {text!r}")
        return value

    return read


_days = _at_least(0, "a number of days")
_weeks = _at_least(1, "a number of weeks (1 or more)")
_half_life = _at_least(1, "a half-life in days (1 or more)")
_mebibytes = _at_least(1, "a size in MiB")
_actions = _at_least(0, "a number of actions")


def _history_options(parser: argparse.ArgumentParser, when: str) -> None:
    """``--history`` and ``--half-life``: the paid invoices a prediction reads."""
    parser.add_argument(
        "--history",
        type=Path,
        metavar="PAID",
        help=f"the invoices paid before, CSV or JSON{' ' + when if when else ''} (needed "
        "with PORTFOLIO; default: the demo's)",
    )
    parser.add_argument(
        "--half-life",
        type=_half_life,
        metavar="DAYS",
        help="how fast old payments count less: one DAYS old counts half (default: 90)",
    )


def _buckets(text: str) -> tuple[int, ...]:
    """Read ``30,60,90``: whole numbers of days; their order is the report's to check."""
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not days separated by commas, like 30,60,90: {text!r}"
        ) from None


def _currency(text: str) -> str:
    if not is_currency(text):
        raise argparse.ArgumentTypeError(f"not an ISO 4217 currency code like EUR: {text!r}")
    return text


def _column(text: str) -> tuple[str, str]:
    field, equals, name = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"not FIELD=NAME: {text!r}")
    if field not in ITEM_COLUMNS:
        raise argparse.ArgumentTypeError(f"no field {field!r} (fields: {', '.join(ITEM_COLUMNS)})")
    return field, name


def _delimiter(text: str) -> str:
    r"""Read a delimiter: one character, or ``tab`` (also ``\t``, as a shell passes it)."""
    return "\t" if text in ("tab", "\\t") else text


def is_stdin(args: argparse.Namespace) -> bool:
    """Tell whether the command's portfolio is ``-``: a CSV of open items on the standard input."""
    return args.portfolio is not None and str(args.portfolio) == "-"


def is_csv(args: argparse.Namespace) -> bool:
    """Tell whether the command's portfolio is a CSV of open items (by its suffix, or ``-``)."""
    return args.portfolio is not None and (
        args.portfolio.suffix.lower() == ".csv" or is_stdin(args)
    )


def parser() -> argparse.ArgumentParser:
    """Return the parser of ``collectlib``: a command, its arguments and options."""
    made = argparse.ArgumentParser(
        prog="collectlib", description="Receivables collection: agenda, policy checks, reports."
    )
    made.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    made.add_argument("--debug", action="store_true", help="show tracebacks")
    # --debug is also accepted after the command; SUPPRESS keeps the one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    commands = made.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        one = commands.add_parser(name, help=summary, description=summary, parents=[common])
        one.set_defaults(usage=one)  # a usage error shows the command's own usage
        return one

    show = _portfolio_options(
        command("agenda", "the actions due across the portfolio"),
        "the policy file, TOML or JSON (needed with PORTFOLIO)",
    )
    show.add_argument(
        "--horizon", type=_days, default=0, metavar="DAYS", help="also what falls due in DAYS days"
    )
    show.add_argument("--collector", metavar="NAME", help="only this collector's actions")
    show.add_argument(
        "--order",
        choices=("date", "risk"),
        default="date",
        help="date: by due date (default); risk: by amount at risk (amount x expected days "
        "late, from --history), the riskiest first in each currency",
    )
    _history_options(show, "with --order risk")
    _formats(show)

    cash = _portfolio_options(
        command("forecast", "the cash expected per week, from the history of paid invoices"),
        "the policy file, TOML or JSON (needed with PORTFOLIO)",
    )
    _history_options(cash, "")
    cash.add_argument(
        "--weeks", type=_weeks, default=13, metavar="N", help="the weeks forecast (default: 13)"
    )
    cash.add_argument(
        "--items",
        action="store_true",
        help="each open invoice's expected payment date instead of the weeks",
    )
    _formats(cash)

    check = command("check", "validate and summarise a policy file")
    check.add_argument("policy_file", type=Path, metavar="POLICY")

    explained = _portfolio_options(
        command("next", "explain the next action of one account"),
        "the policy file, TOML or JSON (needed with PORTFOLIO)",
        ("account", "the account id"),
    )
    explained.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table for people (default), json for programs",
    )
    message = explained.add_argument_group("the message of the next action")
    message.add_argument(
        "--message",
        action="store_true",
        help="also write the message the next action sends, in the account's language "
        "(the template's text for it, else its default text)",
    )
    message.add_argument(
        "--locale",
        metavar="LOCALE",
        help="write the message's amounts and dates the way of LOCALE (fr_FR, de_CH...; "
        "'account': the account's language), with Babel (collectlib[i18n]); "
        "by default they are locale-neutral (1,234.56 EUR, 2026-03-16)",
    )

    report = command("report", "portfolio reports (they use no policy)")
    report.add_argument("report", choices=("aged", "qualification", "holds", "exposure"))
    _portfolio_options(report, "a policy file, checked but not used by the reports")
    report.add_argument(
        "--buckets",
        type=_buckets,
        metavar="DAYS,...",
        help="the aged balance's edges in days late (default: 30,60,90)",
    )
    _formats(report)

    simulated = _portfolio_options(
        command("simulate", "replay the policy day by day: the work, cash and receivable"),
        "the policy file, TOML or JSON (needed with PORTFOLIO)",
        dates=("--start", "--on"),
    )
    simulated.add_argument(
        "--end",
        type=_date,
        metavar="DATE",
        help="the last day replayed, YYYY-MM-DD (default: 13 weeks from the start)",
    )
    simulated.add_argument(
        "--capacity",
        type=_actions,
        metavar="N",
        help="the actions a collector performs a day at most (default: no limit)",
    )
    simulated.add_argument(
        "--seed", type=int, default=0, metavar="S", help="the draws' seed (default: 0)"
    )
    simulated.add_argument(
        "--history",
        type=Path,
        metavar="PAID",
        help="the history of paid items, CSV or JSON, the customers pay as they did "
        "(default: the payments in the accounts' journals, else typical delays)",
    )
    _formats(simulated)
    return made


def _portfolio_options(
    parser: argparse.ArgumentParser,
    policy: str,
    *then: tuple[str, str],
    dates: tuple[str, ...] = ("--on",),
) -> argparse.ArgumentParser:
    parser.add_argument(
        "portfolio",
        nargs="?",
        type=Path,
        metavar="PORTFOLIO",
        help="a portfolio JSON file, a CSV of open items, or - for a CSV on the standard "
        "input (default: the demo portfolio)",
    )
    for name, text in then:  # positionals after the optional portfolio
        parser.add_argument(name, metavar=name.upper(), help=text)
    parser.add_argument("--policy", type=Path, metavar="FILE", help=policy)
    parser.add_argument(
        *dates,
        dest="on",
        type=_date,
        metavar="DATE",
        help="the date, YYYY-MM-DD (default: the portfolio's, else today)",
    )
    extract = parser.add_argument_group("a CSV of open items (PORTFOLIO.csv, or - for stdin)")
    extract.add_argument(
        "--delimiter",
        type=_delimiter,
        metavar="CHAR",
        help="the column separator: one character, or tab (default: ',')",
    )
    extract.add_argument(
        "--column",
        type=_column,
        action="append",
        metavar="FIELD=NAME",
        help="the file's name for a column (repeat for each); fields: " + ", ".join(ITEM_COLUMNS),
    )
    extract.add_argument(
        "--currency",
        type=_currency,
        metavar="CODE",
        help="without a currency column (default: EUR)",
    )
    extract.add_argument(
        "--decimal-comma",
        action="store_true",
        help="amounts with a decimal comma: 1.200,50 or 1 200,50 (default: 1200.50)",
    )
    extract.add_argument(
        "--date-format",
        metavar="FORMAT",
        help="how dates are written, e.g. %%d.%%m.%%Y or %%d/%%m/%%Y (default: ISO, 2026-03-31)",
    )
    extract.add_argument(
        "--encoding",
        metavar="NAME",
        help="the file's encoding, e.g. latin-1 or cp1252 (default: utf-8)",
    )
    parser.add_argument(
        "--max-size",
        type=_mebibytes,
        metavar="MIB",
        help="the largest JSON portfolio read, in MiB "
        f"(default: {PORTFOLIO_MAX_BYTES // 2**20}; a CSV is streamed)",
    )
    return parser


def _formats(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table for people (default), json or csv for programs",
    )
    parser.add_argument(
        "--raw-csv",
        action="store_true",
        help="CSV cells exactly as they are, for programs (by default a cell that a "
        "spreadsheet would run as a formula, like =HYPERLINK(...), starts with a quote)",
    )
