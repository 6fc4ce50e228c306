"""The notebook-style example runs as a plain script and produces its chart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``examples/<name>`` as a script, its charts written without a display."""
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )


def test_the_notebook_runs_as_a_script_and_writes_its_chart(tmp_path: Path) -> None:
    result = run_example("notebook.py", str(tmp_path))
    assert result.returncode == 0, result.stderr
    chart = tmp_path / "aged_balance.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "qualified:" in result.stdout
    lines = {
        line.split()[0]: line.split()
        for line in result.stdout.splitlines()
        if line.startswith("actions ")
    }
    current, stricter = int(lines["actions"][2]), int(lines["actions"][4])
    assert stricter < current  # the what-if changes the agenda


def test_the_what_if_compares_two_policies_in_three_charts(tmp_path: Path) -> None:
    result = run_example("what_if.py", str(tmp_path), "28")
    assert result.returncode == 0, result.stderr
    for name in ("workload.png", "cash_in.png", "aged_balance.png"):
        chart = (tmp_path / name).read_bytes()
        assert len(chart) > 1000
        assert chart[:8] == b"\x89PNG\r\n\x1a\n"
    assert "demo (call at +15):" in result.stdout
    assert "stricter (call at +5):" in result.stdout
