"""Architecture rules from DESIGN.md that a reviewer would otherwise have to check by hand."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

import framing

PACKAGE = Path(framing.__file__).resolve().parent
UPPER_LAYERS = {"plot", "reporting", "cli"}


def _modules() -> dict[str, list[Path]]:
    """Every framing submodule (a ``.py`` file or a package folder) and its source files."""
    found: dict[str, list[Path]] = {}
    for path in sorted(PACKAGE.iterdir()):
        if path.suffix == ".py" and path.stem != "__init__":
            found[path.stem] = [path]
        elif path.is_dir() and (path / "__init__.py").is_file():
            found[path.name] = sorted(path.rglob("*.py"))
    return found


# Modules that must never import the upper layers (plot, report, cli): every other module, found
# on disk, so a new module or one split into a package is checked without editing this list.
LOWER_LAYERS = sorted(set(_modules()) - UPPER_LAYERS)


def _framing_imports(path: Path) -> set[str]:
    """Names of framing submodules imported anywhere in ``path`` (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "framing" and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if node.level == 0 and parts[0] == "framing":
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.level == 1:
                found.add(parts[0])
    return found


# The layer order of DESIGN.md ("data flows one way"), top first. A module may import modules of
# lower layers only: never a module of its own layer or of a layer above. Every module found on
# disk must be placed here, so a new module (or one split into a package) is checked at once.
# `scoring` stands above `classify` because score(model=) applies a trained classifier.
LAYERS: list[set[str]] = [
    {"cli"},
    {"reporting", "plot"},
    {"engine", "dask", "diagnose", "validate", "features"},
    {"scoring", "aggregate"},
    {"classify", "dictionary"},
    {"encoder", "datasets", "context"},
    {"matcher", "model_io"},
    {"lexicon", "store"},
    {"corpus", "segment", "modifiers"},
    {"_text", "_html"},
    {"errors"},
]


class Import(NamedTuple):
    """One use of another framing module: ``from framing.x import name`` or ``x.name``."""

    source: str  # the importing module
    target: str  # the framing module imported from
    name: str  # the name taken ("" for the module itself)
    where: str  # file:line

    def __str__(self) -> str:
        taken = f"{self.target}.{self.name}" if self.name else self.target
        return f"{self.where}: {self.source} uses {taken}"


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_imports(module: str) -> list[Import]:
    """Every use of another framing module in ``module``'s files, at any depth (also inside
    functions), and every attribute taken from a framing module bound to a local name
    (``from framing import corpus as C; C._name``)."""
    modules = _modules()
    found: list[Import] = []
    for path in modules[module]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(PACKAGE.parent).as_posix()
        package = path.parent != PACKAGE  # a file inside a sub-package of framing
        aliases: dict[str, str] = {}  # local name -> framing module it is bound to

        def add(target: str, name: str, node: ast.AST, where: str = where) -> None:
            if target != module and target in modules:
                found.append(Import(module, target, name, f"{where}:{node.lineno}"))

        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "framing" and len(parts) > 1:
                        add(parts[1], "", node)
                        if alias.asname:
                            aliases[alias.asname] = parts[1]
            elif isinstance(node, ast.ImportFrom):
                parts = (node.module or "").split(".") if node.module else []
                if node.level == 0 and parts and parts[0] == "framing":
                    parts = parts[1:]
                elif node.level == 0:
                    continue
                elif node.level > 1 or (package and node.level == 1):
                    parts = parts  # relative import inside a sub-package: stays in the module
                    if node.level == 1:
                        continue
                if parts:
                    for alias in node.names:
                        add(parts[0], alias.name if len(parts) == 1 else "", node)
                else:  # from framing import corpus / from . import corpus / __version__
                    for alias in node.names:
                        if alias.name in modules:
                            add(alias.name, "", node)
                            aliases[alias.asname or alias.name] = alias.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                add(aliases[node.value.id], node.attr, node)
    return found


def _import_graph() -> dict[str, set[str]]:
    return {m: {imp.target for imp in _module_imports(m)} for m in _modules()}


def test_the_layer_lists_name_real_modules():
    placed = [m for layer in LAYERS for m in layer]
    assert len(placed) == len(set(placed)), "a module is placed in two layers"
    assert set(placed) == set(_modules()), (
        f"modules on disk but in no layer: {sorted(set(_modules()) - set(placed))}; "
        f"layers naming no module: {sorted(set(placed) - set(_modules()))}"
    )


def test_imports_follow_the_layer_order():
    rank = {m: i for i, layer in enumerate(LAYERS) for m in layer}
    bad = [
        f"{imp} (layer {rank[imp.source]} may import only layers below it, "
        f"{imp.target} is in layer {rank[imp.target]})"
        for m in _modules()
        for imp in _module_imports(m)
        if rank[imp.target] <= rank[imp.source]
    ]
    assert not bad, "imports against the layer order of DESIGN.md:\n" + "\n".join(sorted(set(bad)))


def test_no_private_names_are_imported_across_modules():
    """Private modules (``_text``, ``_html``) may be imported; private names of another module
    may not: make them public and documented, or move them to the module that uses them."""
    bad = sorted(
        {str(imp) for m in _modules() for imp in _module_imports(m) if _is_private(imp.name)}
    )
    assert not bad, "private names used across framing modules:\n" + "\n".join(bad)


def test_there_are_no_import_cycles():
    """Also imports deferred into functions: a cycle hidden in a function is still a cycle."""
    graph = _import_graph()
    cycles: list[list[str]] = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph[node]):
                if nxt == start and min(path) == start:
                    cycles.append(path + [start])
                elif nxt not in path and nxt > start:
                    stack.append((nxt, path + [nxt]))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_import_finder_sees_deferred_aliased_and_private_imports(tmp_path, monkeypatch):
    """The contracts above would pass vacuously if the finder missed an import form."""
    pkg = tmp_path / "framing"
    (pkg / "split").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "low.py").write_text("")
    (pkg / "_util.py").write_text("")
    (pkg / "split" / "__init__.py").write_text("from .inner import x\n")
    (pkg / "split" / "inner.py").write_text(
        "def f():\n"
        "    from framing import low as L\n"
        "    from framing._util import helper\n"
        "    from ..low import _private\n"
        "    return L._hidden, helper, _private\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    assert set(_modules()) == {"low", "_util", "split"}
    uses = {(i.target, i.name) for i in _module_imports("split")}
    assert uses == {("low", ""), ("low", "_hidden"), ("_util", "helper"), ("low", "_private")}
    assert [i.name for i in _module_imports("split") if _is_private(i.name)].count("_hidden") == 1


def test_the_upper_layers_name_real_modules():
    modules = _modules()
    assert UPPER_LAYERS <= set(modules), f"upper layers missing: {UPPER_LAYERS - set(modules)}"
    for core in ("corpus", "segment", "lexicon", "matcher", "scoring", "aggregate", "classify"):
        assert core in LOWER_LAYERS


@pytest.mark.parametrize("module", LOWER_LAYERS)
def test_lower_layers_never_import_plot_report_or_cli(module):
    bad: set[str] = set()
    for path in _modules()[module]:
        bad |= _framing_imports(path) & UPPER_LAYERS
    assert not bad, f"framing/{module} imports upper layer(s) {sorted(bad)}; data flows one way"


def test_matplotlib_is_imported_only_inside_plotting_functions():
    offenders = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "matplotlib" for n in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, f"module-level matplotlib imports: {offenders}"


def test_import_framing_is_light():
    """``import framing`` must not pull in scikit-learn or matplotlib (lazy public API)."""
    code = (
        "import sys, framing; "
        "heavy = [m for m in ('sklearn', 'matplotlib', 'pandas') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_public_name_resolves():
    missing = []
    for name in framing.__all__:
        if name == "dask":  # optional extra framing[dask]
            continue
        try:
            getattr(framing, name)
        except (AttributeError, ImportError) as exc:
            missing.append(f"{name}: {exc}")
    assert not missing, "public names that do not resolve:\n" + "\n".join(missing)


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        framing.nonexistent  # noqa: B018


def test_public_functions_are_not_shadowed_by_submodules():
    """Importing a submodule first must not replace a public function of the same name.

    This is why the modules are called ``scoring`` and ``reporting``: a module ``score.py``
    would turn ``framing.score`` into a module as soon as anything imported it.
    """
    code = (
        "import importlib, pkgutil, framing; "
        "[importlib.import_module('framing.' + m.name) for m in pkgutil.iter_modules(framing.__path__)"
        " if m.name not in ('cli', 'dask')]; "
        "import types; "
        "bad = [n for n in framing._EXPORTS if isinstance(getattr(framing, n), types.ModuleType)]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_wheel_carries_lexicons_and_data_and_works_from_any_directory(tmp_path):
    """The editable install maps lexicons/ straight from the checkout, so only a real wheel
    shows that the package data (bundled lexicons, Punkt parameters, demo corpus) ships."""
    pytest.importorskip(
        "setuptools",
        minversion="77",
        reason="dev extra setuptools>=77 builds "
        "the wheel offline; install it with pip install -e '.[dev]'",
    )
    import shutil
    import zipfile

    root = PACKAGE.parent
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(root / "framing", src / "framing", ignore=ignore)
    shutil.copytree(root / "lexicons", src / "lexicons", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(root / name, src / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("framing-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    bundled = {f"framing/lexicons/{p.name}" for p in (root / "lexicons").glob("*.yaml")}
    assert len(bundled) == 4 and bundled <= names
    assert {
        "framing/_data/punkt_news.json",
        "framing/_data/demo_corpus.jsonl",
        "framing/py.typed",
    } <= names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "notebooks/"))]
    code = (
        "import framing, sys; "
        "assert framing.__file__.startswith(sys.argv[1]), framing.__file__; "
        "lex = framing.load_lexicon(framing.list_lexicons()); "
        "docs = framing.datasets.demo_corpus(); "
        "print(len(lex.entries), len(docs), "
        "framing.sentence_spans('Maj. Gen. Lee spoke at 9 a.m. on Monday. He left.'))"
    )
    env = {"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "site")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    n_entries, n_docs, spans = out.stdout.split(" ", 2)
    assert int(n_entries) > 1900 and int(n_docs) == len(framing.datasets.demo_corpus())
    assert spans.strip() == "[(0, 40), (41, 49)]"
