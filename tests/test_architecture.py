"""The layers of the package (STYLE "Layers you can see in the tree"), enforced on the source.

Layer 0 values, layer 1 model, layer 2 rules, layer 3 forecast, layer 4 portfolio: a
module imports only from lower layers and from the modules before it in its own layer's
order; the core (layers 0-4 and ``collectlib/__init__.py``) imports only the standard
library, attrs and python-dateutil (the forecast: attrs only), and never the outer ring.  Optional integrations (a module that
wraps an optional dependency, like ``_babel``) are imported by the core only inside a
function, so ``import collectlib`` works without the extra.

A module's ``__all__`` is its public line: any module of the package (core or outer
ring) imports from another only the names in its ``__all__``, or any name of a private
(``_``) module such as ``_checks``.

A new module must be given its place in the orders below, where its imports allow it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

import collectlib

PACKAGE = "collectlib"
SOURCE = Path(collectlib.__file__).parent

# Each layer's modules, in the order they may import each other (a module imports only
# the modules before it).  Modules listed but absent are allowed (they may come later).
LAYERS: dict[int, tuple[str, tuple[str, ...]]] = {
    0: ("", ("errors", "_frozen", "money", "enums", "_checks", "languages", "hashtags")),
    1: (
        "model",
        (
            "calendar",
            "items",
            "actions",
            "statuses",
            "scenarios",
            "plans",
            "journal",
            "policy",
            "accounts",
        ),
    ),
    2: (
        "rules",
        (
            "selection",
            "sending",
            "dunning",
            "groups",
            "cadence",
            "explain",
            "actions",
            "qualification",
            "promises",
            "plans",
            "sync",
            "penalties",
            "templates",
        ),
    ),
    3: (
        "forecast",
        ("_stats", "settlements", "profiles", "_arguments", "_estimate", "predictions"),
    ),
    4: ("portfolio", ("agenda", "exposure", "holds", "reports", "simulation")),
}
# A package inside a layer's package: its modules, in the order they may import each other,
# all at the package's place in its layer (the package itself comes after them).
SUBPACKAGES: dict[str, tuple[str, ...]] = {
    "portfolio.reports": (
        "_report",
        "qualification",
        "aged",
        "overdue",
        "disputes",
        "days_sales_outstanding",
    ),
}
# The third-party packages each layer may import (beside the standard library).
THIRD_PARTY: dict[int, frozenset[str]] = {
    0: frozenset({"attrs"}),  # money.Money is an attrs record
    1: frozenset({"attrs"}),
    2: frozenset({"attrs", "dateutil"}),
    3: frozenset({"attrs", "dateutil"}),
    4: frozenset({"attrs"}),
}
# Modules wrapping an optional dependency: they import it and layer 0; the core imports
# them only inside a function.
OPTIONAL: dict[str, frozenset[str]] = {"_babel": frozenset({"babel"})}
# The outer ring: may import everything; never imported by the core.
OUTER = frozenset({"io", "cli", "__main__", "demo", "strategies", "testing", "frames", "calendars"})
FORBIDDEN_NAMES = frozenset({"utils", "util", "helpers", "helper"})
CLOCK_READS = frozenset({"today", "now", "utcnow"})


@dataclass(frozen=True)
class Place:
    """Where a module stands: its ring and, in the core, its layer and position."""

    ring: str  # "core", "facade", "optional", "outer"
    layer: int = -1
    position: int = -1
    inner: int = 0  # the position inside a subpackage (see SUBPACKAGES)
    subpackage: str = ""  # "portfolio.reports" for its modules and itself

    @property
    def rank(self) -> tuple[int, int, int]:
        return (self.layer, self.position, self.inner)


@dataclass(frozen=True)
class Import:
    """One imported module name, where it is imported and how."""

    target: str
    line: int
    lazy: bool  # inside a function: imported when called, not when the module is
    type_only: bool  # under ``if TYPE_CHECKING:``: never imported at run time


@dataclass(frozen=True)
class Module:
    """A module of the package: its dotted name, file, and parsed source."""

    name: str
    path: str
    tree: ast.Module
    is_package: bool


# --- Reading the tree ---------------------------------------------------------------------


def read_package(root: Path) -> dict[str, Module]:
    """Parse every module of the package in ``root``."""
    modules: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        modules[name] = Module(
            name=name,
            path=str(path.relative_to(root.parent)),
            tree=ast.parse(path.read_text(encoding="utf-8"), filename=str(path)),
            is_package=is_package,
        )
    return modules


def modules_from_sources(sources: Mapping[str, str]) -> dict[str, Module]:
    """Modules from ``{dotted name: source}``; a name ending in ``.__init__`` is a package."""
    modules = {}
    for dotted, text in sources.items():
        is_package = dotted.endswith(".__init__")
        name = dotted.removesuffix(".__init__")
        modules[name] = Module(name, dotted.replace(".", "/") + ".py", ast.parse(text), is_package)
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_from(module: Module, node: ast.ImportFrom) -> str:
    """The absolute name of the module ``from ... import`` reads (relative imports resolved)."""
    base = node.module or ""
    if node.level:
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    return base


def imports(module: Module, known: Mapping[str, Module]) -> Iterator[Import]:
    """Every module name ``module`` imports, resolved to absolute names.

    ``from package import name`` imports the submodule ``package.name`` when there is
    one, else ``package`` itself.
    """

    def walk(node: ast.AST, lazy: bool, type_only: bool) -> Iterator[Import]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno, lazy, type_only)
        elif isinstance(node, ast.ImportFrom):
            base = imported_from(module, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                target = submodule if submodule in known else base
                yield Import(target, node.lineno, lazy, type_only)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                yield from walk(statement, lazy, True)
            for statement in node.orelse:
                yield from walk(statement, lazy, type_only)
        else:
            inner = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            for child in ast.iter_child_nodes(node):
                yield from walk(child, inner, type_only)

    yield from walk(module.tree, False, False)


# --- Placing modules ----------------------------------------------------------------------


def place(name: str) -> Place | None:
    """Where the module ``name`` of the package stands, or None if it has no place yet."""
    if name == PACKAGE:
        return Place("facade")
    parts = name.split(".")[1:]
    if parts[0] in OUTER:
        return Place("outer")
    if len(parts) == 1 and parts[0] in OPTIONAL:
        return Place("optional")
    for layer, (package, order) in LAYERS.items():
        if not package:
            if len(parts) == 1 and parts[0] in order:
                return Place("core", layer, order.index(parts[0]))
        elif parts[0] == package:
            if len(parts) == 1:  # the package itself, after all its modules
                return Place("core", layer, len(order))
            if parts[1] not in order:
                return None
            position = order.index(parts[1])
            subpackage = ".".join(parts[:2])
            inner = SUBPACKAGES.get(subpackage)
            if inner is None:
                return Place("core", layer, position) if len(parts) == 2 else None
            if len(parts) == 2:  # the subpackage itself, after all its modules
                return Place("core", layer, position, len(inner), subpackage)
            if len(parts) == 3 and parts[2] in inner:
                return Place("core", layer, position, inner.index(parts[2]), subpackage)
    return None


def _layer_list(layer: int, subpackage: str = "") -> str:
    if subpackage:
        return f"{subpackage}: {', '.join(SUBPACKAGES[subpackage])}"
    package, order = LAYERS[layer]
    return f"{package or 'top level'}: {', '.join(order)}"


def _is_stdlib(name: str) -> bool:
    return name.partition(".")[0] in sys.stdlib_module_names or name == "__future__"


def unplaced(modules: Mapping[str, Module]) -> list[str]:
    """One message per module that is in no layer, ring or order list."""
    return [
        f"{module.path}: {name} has no place in the layers; add it to LAYERS (in the order "
        "its imports allow), OPTIONAL or OUTER in tests/test_architecture.py"
        for name, module in modules.items()
        if place(name) is None
    ]


def import_violations(modules: Mapping[str, Module]) -> list[str]:
    """One message per import that breaks the layering rules."""
    problems: list[str] = []
    for name, module in modules.items():
        source = place(name)
        if source is None or source.ring == "outer":
            continue
        for imported in imports(module, modules):
            where = f"{module.path}:{imported.line}: {name} imports {imported.target}"
            target = imported.target
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                problem = _internal_problem(source, place(target), imported)
            else:
                problem = _external_problem(source, name, imported)
            if problem:
                problems.append(f"{where}: {problem}")
    return problems


def _internal_problem(source: Place, target: Place | None, imported: Import) -> str:
    if target is None:
        return ""  # reported by unplaced()
    if target.ring == "outer":
        return "the core never imports the outer ring"
    if target.ring == "facade":
        return "only users import the facade; import the defining module"
    if target.ring == "optional":
        if source.ring == "optional":
            return "an optional integration imports no other one"
        if not (imported.lazy or imported.type_only):
            return "an optional integration is imported inside the function that needs it"
        return ""
    if source.ring == "facade":
        return ""
    if source.ring == "optional":
        return "" if target.layer == 0 else "an optional integration imports layer 0 only"
    if target.rank >= source.rank:
        if target.layer == source.layer:
            same = target.position == source.position and source.subpackage
            inside = source.subpackage if same else ""
            return (
                f"a module imports only the modules before it in layer {source.layer} "
                f"({_layer_list(source.layer, inside)})"
            )
        return f"layer {source.layer} imports only lower layers, not layer {target.layer}"
    return ""


def _external_problem(source: Place, name: str, imported: Import) -> str:
    if _is_stdlib(imported.target):
        return ""
    top = imported.target.split(".")[0]
    if source.ring == "optional":
        allowed = OPTIONAL[name.rpartition(".")[2]]
    elif source.ring == "facade":
        allowed = frozenset()
    else:
        allowed = THIRD_PARTY[source.layer]
        if imported.type_only:  # annotations may name an optional dependency's types
            allowed = allowed.union(*OPTIONAL.values())
    if top in allowed:
        return ""
    if source.ring == "core" and top in {"attrs", "dateutil"}:
        return f"layer {source.layer} may import only {sorted(allowed) or 'no package'}"
    return (
        f"third-party package {top!r}: the core imports only the standard library, attrs and "
        "python-dateutil (an optional dependency goes in its own module, see OPTIONAL)"
    )


def _core(modules: Mapping[str, Module]) -> Iterator[Module]:
    for name, module in modules.items():
        found = place(name)
        if found is None or found.ring != "outer":
            yield module


def assert_violations(modules: Mapping[str, Module]) -> list[str]:
    """One message per ``assert`` statement outside the outer ring (gone under ``-O``)."""
    return [
        f"{module.path}:{node.lineno}: assert statement; raise a CollectError instead"
        for module in _core(modules)
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Assert)
    ]


def clock_violations(modules: Mapping[str, Module]) -> list[str]:
    """One message per read of the clock outside the outer ring (rules take the date)."""
    problems = []
    for module in _core(modules):
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Attribute) and node.attr in CLOCK_READS:
                problems.append(
                    f"{module.path}:{node.lineno}: .{node.attr} reads the clock; "
                    "take the date as an argument"
                )
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in {"time", "time_ns"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "time"
            ):
                problems.append(f"{module.path}:{node.lineno}: time.{node.attr} reads the clock")
    return problems


def public_names(module: Module) -> frozenset[str] | None:
    """The names in the module's ``__all__``, or None when it has none."""
    for node in module.tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
                assert node.value is not None
                return frozenset(ast.literal_eval(node.value))
    return None


def _is_private(name: str) -> bool:
    return name.rpartition(".")[2].startswith("_")


def public_line_violations(modules: Mapping[str, Module]) -> list[str]:
    """One message per name imported from another module of the package outside its ``__all__``.

    A module's ``__all__`` is its public line: another module (of the core or the outer
    ring) imports only those names, or any name of a private (``_``) module.  A
    submodule imported by name (``from collectlib import demo``) is not a name.
    """
    problems = []
    for name, module in modules.items():
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            base = imported_from(module, node)
            target = modules.get(base)
            if target is None or _is_private(base):
                continue
            exported = public_names(target)
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    continue
                if exported is None:
                    problem = f"{base} has no __all__"
                elif alias.name not in exported:
                    problem = f"{alias.name} is not in {base}.__all__"
                else:
                    continue
                problems.append(
                    f"{module.path}:{node.lineno}: {name} imports {alias.name} from {base}, "
                    f"but {problem}: export it there (with its docstring and reference entry) "
                    "or keep it inside its module (or move it to a private _ module)"
                )
    return problems


def name_violations(modules: Mapping[str, Module]) -> list[str]:
    """One message per module or package named like a grab-bag."""
    return [
        f"{module.path}: no {part!r} module; give each function the module of its concept"
        for name, module in modules.items()
        for part in name.split(".")
        if part in FORBIDDEN_NAMES
    ]


# --- The package obeys the rules ----------------------------------------------------------

PACKAGE_MODULES = read_package(SOURCE)


def test_every_module_has_a_place_in_the_layers() -> None:
    problems = unplaced(PACKAGE_MODULES)
    assert not problems, "\n".join(problems)


def test_modules_import_only_lower_layers_and_earlier_modules_of_their_layer() -> None:
    problems = import_violations(PACKAGE_MODULES)
    assert not problems, "\n".join(problems)


def test_no_assert_statement_outside_the_outer_ring() -> None:
    problems = assert_violations(PACKAGE_MODULES)
    assert not problems, "\n".join(problems)


def test_the_core_never_reads_the_clock() -> None:
    problems = clock_violations(PACKAGE_MODULES)
    assert not problems, "\n".join(problems)


def test_no_module_is_a_grab_bag() -> None:
    problems = name_violations(PACKAGE_MODULES)
    assert not problems, "\n".join(problems)


def test_modules_import_only_public_names_of_each_other() -> None:
    problems = public_line_violations(PACKAGE_MODULES)
    assert not problems, "\n".join(problems)


def test_the_public_line_is_really_read() -> None:
    # Guards the guard: __all__ lists are found, and a private module is one.
    assert "Item" in (public_names(PACKAGE_MODULES["collectlib.model.items"]) or ())
    assert "FrozenMap" in (public_names(PACKAGE_MODULES["collectlib"]) or ())
    assert _is_private("collectlib._checks")
    assert not _is_private("collectlib.money")


def test_the_layers_are_really_read() -> None:
    # Guards the guard: the tree is parsed and its imports are resolved.
    assert {"collectlib.model.items", "collectlib.rules.dunning"} <= set(PACKAGE_MODULES)
    targets = {
        i.target for i in imports(PACKAGE_MODULES["collectlib.rules.dunning"], PACKAGE_MODULES)
    }
    assert {"collectlib.model", "collectlib.rules.selection", "attrs"} <= targets


# --- The checks catch what they are for ---------------------------------------------------

CLEAN = {
    "collectlib.__init__": (
        "from collectlib.model import Item\nfrom collectlib.errors import CollectError\n"
        "from collectlib._frozen import FrozenMap\n"
        "__all__ = ['CollectError', 'FrozenMap', 'Item']\n"
    ),
    "collectlib.errors": "from __future__ import annotations\nimport re\n__all__ = ['CollectError']\n",
    "collectlib.money": "import attrs\nfrom collectlib.errors import CollectError\n__all__ = ['Money']\n",
    "collectlib._frozen": "class FrozenMap: ...\n",
    "collectlib.model.__init__": (
        "from collectlib.model.items import Item\n__all__: list[str] = ['Account', 'Item']\n"
    ),
    "collectlib.model.items": (
        "import attrs\nfrom collectlib.money import Money\n"
        "from collectlib._frozen import FrozenMap\n__all__ = ('Item',)\n"
    ),
    "collectlib.model.actions": "from collectlib.model.items import Item\nfrom . import items\n",
    "collectlib.rules.__init__": "from .selection import scan\n",
    "collectlib.rules.selection": "from collectlib.model import Item\n__all__ = ['scan']\n",
    "collectlib.portfolio.reports._report": "from collectlib.model import Account\n",
    "collectlib.portfolio.reports.aged": (
        "from collectlib.portfolio.reports._report import Report, _merged\n"
        "__all__ = ['AgedBalance']\n"
    ),
    "collectlib.portfolio.reports.__init__": (
        "from collectlib.portfolio.reports.aged import AgedBalance\n"
    ),
    "collectlib.rules.dunning": (
        "from dateutil.relativedelta import relativedelta\n"
        "from collectlib.rules.selection import scan\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from babel import Locale\n"
        "def f():\n    from collectlib import _babel\n"
    ),
    "collectlib._babel": "import babel\nfrom collectlib.errors import CollectError\n",
    "collectlib.strategies": "import hypothesis\nfrom collectlib import Item\nassert True\n",
    "collectlib.frames": (
        "import pandas\nimport datetime\ndatetime.date.today()\n"
        "from collectlib.model.items import Item as _Item\n"
    ),
    "collectlib.cli": "from collectlib import strategies\n",
}


def _check_all(sources: Mapping[str, str]) -> list[str]:
    modules = modules_from_sources(sources)
    return [
        *unplaced(modules),
        *import_violations(modules),
        *assert_violations(modules),
        *clock_violations(modules),
        *name_violations(modules),
        *public_line_violations(modules),
    ]


def test_a_clean_tree_passes() -> None:
    assert _check_all(CLEAN) == []


@pytest.mark.parametrize(
    ("module", "source", "message"),
    [
        pytest.param(
            "collectlib.model.items",
            "from collectlib.rules.selection import scan\n",
            "layer 1 imports only lower layers, not layer 2",
            id="upward import",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "from collectlib.rules import dunning\n",
            "a module imports only the modules before it in layer 2 (rules: selection, sending",
            id="later module of the same layer",
        ),
        pytest.param(
            "collectlib.model.items",
            "from collectlib.model import Item\n",
            "a module imports only the modules before it in layer 1",
            id="own package facade",
        ),
        pytest.param(
            "collectlib.model.items",
            "from .actions import Action\n",
            "collectlib.model.items imports collectlib.model.actions: a module imports only",
            id="relative import of a later module",
        ),
        pytest.param(
            "collectlib.errors",
            "from collectlib import money\n",
            "a module imports only the modules before it in layer 0 (top level: errors, _frozen, money",
            id="layer 0 out of order",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "from collectlib import Item\n",
            "only users import the facade",
            id="core imports the facade",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "def f():\n    from collectlib.frames import to_frame\n",
            "the core never imports the outer ring",
            id="lazy import of the outer ring",
        ),
        pytest.param(
            "collectlib.__init__",
            "from collectlib.strategies import items\n",
            "the core never imports the outer ring",
            id="facade imports the outer ring",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "import pandas\n",
            "third-party package 'pandas': the core imports only",
            id="third-party import",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "def f():\n    import babel\n",
            "third-party package 'babel'",
            id="optional dependency outside its module",
        ),
        pytest.param(
            "collectlib.model.items",
            "from dateutil.relativedelta import relativedelta\n",
            "layer 1 may import only ['attrs']",
            id="dateutil in the model",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "from collectlib import _babel\n",
            "an optional integration is imported inside the function that needs it",
            id="optional module at import time",
        ),
        pytest.param(
            "collectlib.rules.penalties_extra",
            "import decimal\n",
            "collectlib.rules.penalties_extra has no place in the layers; add it to LAYERS",
            id="unknown rules module",
        ),
        pytest.param(
            "collectlib.dates",
            "import datetime\n",
            "collectlib.dates has no place in the layers",
            id="unknown top-level module",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "def f(x):\n    assert x\n",
            "assert statement; raise a CollectError instead",
            id="assert",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "import datetime as dt\ndef f(on=None):\n    return on or dt.date.today()\n",
            ".today reads the clock",
            id="date.today",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "from datetime import datetime\nX = datetime.now()\n",
            ".now reads the clock",
            id="datetime.now",
        ),
        pytest.param(
            "collectlib.model.items",
            "import attrs, datetime\nF = attrs.Factory(datetime.date.today)\n",
            ".today reads the clock",
            id="clock as a default factory",
        ),
        pytest.param(
            "collectlib.rules.selection",
            "import time\nSTART = time.time()\n",
            "time.time reads the clock",
            id="time.time",
        ),
        pytest.param(
            "collectlib.utils",
            "import re\n",
            "no 'utils' module",
            id="utils module",
        ),
        pytest.param(
            "collectlib.rules.helpers.__init__",
            "import re\n",
            "no 'helpers' module",
            id="helpers package",
        ),
        pytest.param(
            "collectlib.rules.dunning",
            "from collectlib.rules.selection import leader\n",
            "collectlib.rules.dunning imports leader from collectlib.rules.selection, but leader "
            "is not in collectlib.rules.selection.__all__",
            id="core imports a name outside __all__",
        ),
        pytest.param(
            "collectlib.frames",
            "from collectlib.model.items import _new_item\n",
            "imports _new_item from collectlib.model.items, but _new_item is not in",
            id="outer ring imports a private name",
        ),
        pytest.param(
            "collectlib.rules.dunning",
            "def f():\n    from ..model import Policy as P\n",
            "imports Policy from collectlib.model, but Policy is not in",
            id="lazy relative import of a name outside __all__",
        ),
        pytest.param(
            "collectlib.model.actions",
            "from collectlib.rules import scan\n",
            "imports scan from collectlib.rules, but collectlib.rules has no __all__",
            id="module without __all__",
        ),
        pytest.param(
            "collectlib.portfolio.reports._report",
            "from collectlib.portfolio.reports.aged import aged_balance\n",
            "a module imports only the modules before it in layer 4 (portfolio.reports: _report,",
            id="later module of the same subpackage",
        ),
        pytest.param(
            "collectlib.portfolio.reports.aged",
            "from collectlib.portfolio.reports import OverdueRatio\n",
            "a module imports only the modules before it in layer 4 (portfolio.reports",
            id="own subpackage facade",
        ),
        pytest.param(
            "collectlib.portfolio.agenda",
            "from collectlib.portfolio.reports.aged import aged_balance\n",
            "a module imports only the modules before it in layer 4 (portfolio: agenda, exposure, holds, reports, simulation)",
            id="earlier module imports a later subpackage",
        ),
        pytest.param(
            "collectlib.portfolio.reports.trends",
            "import decimal\n",
            "collectlib.portfolio.reports.trends has no place in the layers",
            id="unknown subpackage module",
        ),
    ],
)
def test_each_check_reports_what_breaks_its_rule(module: str, source: str, message: str) -> None:
    problems = _check_all({**CLEAN, module: source})
    assert any(message in problem for problem in problems), problems
