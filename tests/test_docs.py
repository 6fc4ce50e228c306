"""The documentation cannot rot: every public name is documented, the examples run.

The ``>>>`` examples of ``docs/`` run as doctests (pytest's ``--doctest-glob='*.md'``).
The README is outside the doctest paths, and its example is a plain script: it is run
here, and what it prints is compared with what the README says it prints.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import collectlib

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"
README = ROOT / "README.md"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _fenced_blocks(markdown: str) -> list[tuple[str, str]]:
    """Return the fenced code blocks of ``markdown`` as (language, text), in order."""
    return re.findall(r"^```(\w*)\n(.*?)^```", markdown, flags=re.S | re.M)


def _documents(name: str, page: str) -> bool:
    """Whether ``page`` names ``name`` in a heading or in backticks (``Item``, ``Item(...``)."""
    escaped = re.escape(name)
    in_backticks = rf"`(?:collectlib\.)?{escaped}(?:`|\()"
    in_heading = rf"^#+ .*\b{escaped}\b"
    return bool(re.search(in_backticks, page) or re.search(in_heading, page, flags=re.M))


@pytest.mark.parametrize("name", collectlib.__all__)
def test_every_public_name_has_a_reference_entry(name: str) -> None:
    pages = sorted(REFERENCE.glob("*.md"))
    assert any(_documents(name, _read(page)) for page in pages), (
        f"{name} is exported by collectlib but no docs/reference page documents it"
    )


def test_a_name_in_prose_only_is_not_documented() -> None:
    assert _documents("Item", "## `Item`\n")
    assert _documents("Item", "`Item(id, kind)`: one line")
    assert _documents("__version__", "`collectlib.__version__` is the version")
    assert not _documents("Item", "an Item is a line")
    assert not _documents("Item", "`ItemKind`, `Items`")


def test_the_readme_example_prints_what_the_readme_shows() -> None:
    blocks = _fenced_blocks(_read(README))
    scripts = [i for i, (language, _) in enumerate(blocks) if language == "python"]
    assert scripts, "README.md has no python example"
    for i in scripts:
        language, shown = blocks[i + 1] if i + 1 < len(blocks) else ("", "")
        assert language == "text", "the README's python example is followed by its output"
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(blocks[i][1], str(README), "exec"), {})  # our own README
        assert printed.getvalue() == shown


def _console_scripts() -> set[str]:
    pyproject = _read(ROOT / "pyproject.toml")
    section = re.search(r"^\[project\.scripts\]\n(.*?)(?:^\[|\Z)", pyproject, flags=re.S | re.M)
    assert section, "pyproject.toml declares no [project.scripts]"
    return set(re.findall(r"^([\w-]+)\s*=", section.group(1), flags=re.M))


def test_the_readme_gives_two_commands_that_install_and_run() -> None:
    commands = [
        text.strip() for language, text in _fenced_blocks(_read(README)) if language == "sh"
    ]
    assert len(commands) == 2, "README.md gives exactly two set-up commands"
    main_job, tests = commands
    for command in commands:
        assert "\n" not in command, "each set-up command is one line to copy"
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -e ")
    assert tests.endswith(".venv/bin/python -m pytest -n auto")
    # CI runs the same test command (plus its coverage options).
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -n auto --cov" in ci
    assert '-e ".[dev]"' in tests
    # The main job runs a script of the repository or a command the package installs.
    run = main_job.split(" && ")[-1].split()
    if run[0] == ".venv/bin/python":
        assert (ROOT / run[1]).is_file(), f"the README runs {run[1]}, which does not exist"
    else:
        assert run[0].removeprefix(".venv/bin/") in _console_scripts(), (
            f"the README runs {run[0]}, which pyproject.toml does not install"
        )


def _console_sessions() -> list[tuple[str, list[str], str]]:
    """Every ``$ collectlib ...`` line of the ```console blocks in docs/: page, args, output."""
    sessions = []
    for page in sorted(DOCS.rglob("*.md")):
        for language, block in _fenced_blocks(_read(page)):
            if language != "console":
                continue
            for command in re.split(r"^(?=\$ )", block, flags=re.M):
                if command:
                    line, _, shown = command.partition("\n")
                    args = shlex.split(line.removeprefix("$ "))
                    assert args[0] == "collectlib", f"{page}: a console line runs {args[0]}"
                    sessions.append((page.relative_to(DOCS).as_posix(), args[1:], shown))
    return sessions


@pytest.mark.parametrize(("page", "args", "shown"), _console_sessions())
def test_console_examples_print_what_the_docs_show(page: str, args: list[str], shown: str) -> None:
    script = shutil.which("collectlib", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "collectlib"]
    env = {**os.environ, "COLUMNS": "80"}  # argparse wraps its usage lines to the terminal
    result = subprocess.run(
        [*command, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.stdout + result.stderr == shown, f"{page}: collectlib {' '.join(args)}"
    assert (result.returncode == 0) is ("error:" not in shown)


def test_every_docs_page_is_linked_from_the_index() -> None:
    index = _read(DOCS / "index.md")
    for page in sorted(DOCS.rglob("*.md")):
        relative = page.relative_to(DOCS).as_posix()
        if relative != "index.md":
            assert f"({relative})" in index, f"docs/index.md does not link {relative}"


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as dashes."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(markdown: str) -> set[str]:
    without_code = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    return {_anchor(h) for h in re.findall(r"^#+ (.*)$", without_code, flags=re.M)}


def test_anchor_follows_github() -> None:
    assert _anchor("7. A late start: step by step, or catch up") == (
        "7-a-late-start-step-by-step-or-catch-up"
    )
    assert _anchor("How-to guides: a task at hand") == "how-to-guides-a-task-at-hand"


@pytest.mark.parametrize(
    "page",
    [README, *sorted(DOCS.rglob("*.md"))],
    ids=lambda page: page.relative_to(ROOT).as_posix(),
)
def test_every_relative_link_leads_somewhere(page: Path) -> None:
    for target in re.findall(r"\]\(([^)\s]+)\)", _read(page)):
        if re.match(r"[a-z]+:", target):
            continue  # https: and the like
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.is_file(), f"{page.name} links {target}: no such file"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(_read(linked)), f"{page.name} links {target}: no such heading"


def test_the_quickstart_prints_the_agenda() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Collection agenda of 2026-03-16 (and the next 3 days)",
        "",
        "due         late  account  collector  action             channel              amount",
        "2026-01-04    71  C-005    sophie     Formal notice      registered_letter  3,150.00",
        "2026-02-15    29  C-003    marie      Courtesy e-mail    email                310.00",
        "2026-03-02    14  C-001    marie      Reminder letter    letter             1,650.00",
        "2026-03-13     3  C-002    paul       Courtesy e-mail    email                980.00",
        "2026-03-17     0  C-003    marie      Dispute follow-up  call               2,400.00",
        "",
        "5 actions, 8,490.00 at stake.",
        "Atelier Roux owes 35.00, below the 50.00 minimum: nothing to do.",
    ]
