"""The documentation cannot rot: every public name is documented, examples run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import collectlib

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference"


def _reference_text() -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in sorted(REFERENCE.glob("*.md")))


@pytest.mark.parametrize("name", collectlib.__all__)
def test_every_public_name_has_a_reference_entry(name: str) -> None:
    assert re.search(rf"`(?:[\w.]*\.)?{re.escape(name)}[`(]", _reference_text()), (
        f"{name} is exported by collectlib but no docs/reference page documents it"
    )


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def test_the_readme_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in _python_blocks(readme) if ">>>" not in b]
    assert blocks, "README.md has no python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # our own README


def test_every_docs_page_is_linked_from_the_index() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").rglob("*.md")):
        relative = page.relative_to(ROOT / "docs").as_posix()
        if relative != "index.md":
            assert f"({relative})" in index, f"docs/index.md does not link {relative}"


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
    lines = result.stdout.splitlines()
    assert "2026-02-05    39  C-001    marie      Courtesy e-mail      1,650.00" in lines
    assert "2026-03-17     0  C-003    marie      Dispute follow-up    2,400.00" in lines
    assert not any("C-004" in line and "e-mail" in line for line in lines)
