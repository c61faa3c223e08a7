"""Structural rules of the codebase."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "simulator"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_engine_never_imports_a_provider():
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.startswith("simulator.providers"))
        for path in (ROOT / "engine").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_toolkit_imports_no_provider():
    """What every provider is built from names none of them (nor their common base)."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.startswith("simulator.providers"))
        for path in (ROOT / "toolkit").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_providers_do_not_import_each_other():
    providers = [p.name for p in (ROOT / "providers").iterdir() if p.is_dir() and not p.name.startswith("_")]
    for name in providers:
        for path in (ROOT / "providers" / name).rglob("*.py"):
            others = [
                m
                for m in imported_modules(path)
                if any(m.startswith(f"simulator.providers.{o}") for o in providers if o != name)
            ]
            assert others == [], f"{path} imports {others}"


def test_no_module_reads_wall_time_or_global_randomness_outside_the_clock():
    allowed = {"engine/clock.py", "engine/scheduler.py", "console.py", "settings.py", "server.py"}
    allowed |= {"providers/sumsub/client.py"}  # the client's side: a Sumsub request signature carries real time
    banned = ("datetime.now(", "datetime.utcnow(", "uuid.uuid4(", "uuid4(", "time.time(", "random.random(")
    for path in ROOT.rglob("*.py"):
        rel = str(path.relative_to(ROOT))
        if rel in allowed or rel.startswith("testing/"):
            continue
        text = path.read_text()
        assert not [b for b in banned if b in text], f"{rel} reads wall time or global randomness"


def test_start_up_imports_no_heavy_module_once_the_catalogue_is_cached(tmp_path):
    """Faker, jsonschema, Jinja2 and the PDF/image libraries load on first use, not when the server starts."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from simulator.app import create_app\n"
        "from simulator.settings import Settings\n"
        "create_app(Settings(seed=1))\n"
        "print(sorted(m for m in ('jsonschema', 'faker', 'fpdf', 'PIL', 'jinja2') if m in sys.modules))\n"
    )
    env = {**os.environ, "KYCSIM_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)  # fills the cache
    warm = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    assert warm.stdout.strip() == "[]"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in ROOT.rglob("*.py")}


def run_time_imports(module: str) -> set[str]:
    """The package's modules ``module`` imports when it runs: at module level or inside a function.

    A function-local import is an edge like any other: kycsim imports lazily to keep start-up cheap
    (Faker, jsonschema, whole subsystems a command does not use), never to get round a cycle. An
    import under ``if TYPE_CHECKING:`` is not: it never runs, it only names a type (a provider names
    the simulator it is bound to, the simulator names the providers it holds).
    """
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the package, up level - 1
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # ``from package import module`` imports the module; ``from module import name`` the module
                for alias in node.names:
                    names.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
            for field in ("body", "orelse", "finalbody", "handlers"):
                visit([n for n in getattr(node, field, []) if isinstance(n, ast.stmt | ast.excepthandler)])

    visit(ast.parse(path.read_text()).body)
    found = set()
    for name in names:
        while name and name not in MODULES:  # ``simulator.x.function`` -> ``simulator.x``
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                found.append(sorted([*component, node]))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycle():
    graph = {module: run_time_imports(module) for module in MODULES}
    explained = [[f"{m} -> {sorted(graph[m] & set(cycle))}" for m in cycle] for cycle in cycles(graph)]
    assert explained == []


def test_the_cycle_check_sees_lazy_imports_and_cycles():
    """The check above can fail: a lazy import counts, and a cycle through three modules is found."""
    assert "simulator.app" in run_time_imports("simulator.server")  # imported inside a function
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_the_entry_points_import_the_app():
    """``app.py`` is the top: it wires everything, so a module below it that imported it (even to
    name a type) would import the whole package back. They name ``simulator.simulator.Simulator``."""
    entry_points = ("simulator.cli", "simulator.server", "simulator.testing")
    importers = sorted(
        module
        for module, path in MODULES.items()
        if "simulator.app" in imported_modules(path) and not module.startswith(entry_points)
    )
    assert importers == []


def test_ruff_format_owns_the_layout():
    """No hand-kept layout: ``ruff format --check`` (in ``.ci/run``) passes with nothing switched off."""
    repo = ROOT.parent
    switched_off = [
        f"{path.relative_to(repo)}:{number}"
        for folder in ("simulator", "tests", "benchmarks")
        for path in (repo / folder).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"#\s*fmt:\s*(skip|off)", line)
    ]
    assert switched_off == []


# A provider is named only in its own package: simulator/providers/<name>/ (the demo's is
# tests/support/demo_provider/). Everything else reaches it through the registry. The allow-list is
# where naming one cannot be helped, with the reason. Prose is free: docstrings, comments and the
# brand names ("Checkout.com", "Sumsub") in help texts describe what kycsim simulates; the check is
# on the lowercase name as code uses it (a path, a key, a comparison, an identifier, an import), in
# Python and in the dashboard's JavaScript, HTML and CSS.
NAMES_ALLOWED = {
    "providers/__init__.py": "the registry: one line per provider",
}


def provider_names() -> set[str]:
    from tests.support.demo_provider import DemoProvider

    return {p.name for p in (ROOT / "providers").iterdir() if (p / "__init__.py").is_file()} | {DemoProvider.name}


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def code_words(path: Path) -> list[tuple[int, str]]:
    """``(line, text)`` of everything in ``path`` that is code, not prose."""
    if path.suffix != ".py":
        return list(enumerate(path.read_text().splitlines(), 1))
    tree = ast.parse(path.read_text())
    skip = docstrings(tree)
    words: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            words.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            words.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            words.append((node.lineno, node.attr))
        elif isinstance(node, ast.keyword) and node.arg:
            words.append((node.lineno, node.arg))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            words.append((node.lineno, node.name))
        elif isinstance(node, ast.arg):
            words.append((node.lineno, node.arg))
        elif isinstance(node, ast.ImportFrom) and node.module:
            words.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            words.extend((node.lineno, alias.name) for alias in node.names)
    return words


def names_outside_their_package() -> list[str]:
    names = provider_names()
    found = []
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if path.suffix not in (".py", ".js", ".html", ".css") or str(rel) in NAMES_ALLOWED:
            continue
        owner = rel.parts[1] if rel.parts[0] == "providers" and len(rel.parts) > 2 else None
        for name in names - {owner}:
            pattern = re.compile(rf"(?<![A-Za-z0-9]){name}(?![a-z0-9])")  # checkout, /checkout/, checkout_url
            found += [f"{rel}:{line}: {text!r}" for line, text in code_words(path) if pattern.search(text)]
    return found


def test_no_provider_is_named_outside_its_package():
    assert names_outside_their_package() == []


def test_the_name_check_sees_literals_identifiers_and_imports_but_not_prose(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Sumsub and checkout in a docstring are prose."""\n'
        "# so is checkout in a comment\n"
        "import simulator.providers.sumsub.client\n"
        'PATH = f"/_sim/checkout/{x}"\n'
        "token = settings.sumsub_app_token\n"
        'HELP = "a Checkout.com key"\n'
    )
    words = [text for _, text in code_words(sample)]
    assert "/_sim/checkout/" in words and "sumsub_app_token" in words and "simulator.providers.sumsub.client" in words
    assert not any("docstring" in w or "comment" in w for w in words)


MAX_MODULE_LINES = 400


def test_no_module_is_over_400_lines():
    """Small modules, one concern each: past 400 lines a module is split by what its parts do."""
    long = {
        str(path.relative_to(ROOT)): lines
        for path in ROOT.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


COPY_LINES = 6  # as many lines as make a copied block (the `duplicates` tool's unit)


def code_lines(path: Path) -> list[tuple[int, str]]:
    """``(line number, text)`` of the lines that carry code: white space folded; blank lines, comments,
    imports and lone punctuation left out."""
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        text = " ".join(line.split())
        if text.startswith(("#", "import ", "from ", "{#")) or not any(ch.isalnum() for ch in text):
            continue
        found.append((number, text))
    return found


def blocks(package: Path) -> dict[tuple[str, ...], str]:
    """Every run of ``COPY_LINES`` code lines in ``package`` (Python and templates), with where it starts."""
    found: dict[tuple[str, ...], str] = {}
    for path in sorted(package.rglob("*")):
        if path.suffix not in (".py", ".html", ".js", ".css"):
            continue
        lines = code_lines(path)
        for start in range(len(lines) - COPY_LINES + 1):
            run = tuple(text for _, text in lines[start : start + COPY_LINES])
            found.setdefault(run, f"{path.relative_to(ROOT)}:{lines[start][0]}")
    return found


def test_no_block_of_six_lines_is_copied_from_one_provider_to_another():
    """What two providers share belongs in the toolkit (or the base class), written once."""
    packages = sorted(p for p in (ROOT / "providers").iterdir() if (p / "__init__.py").is_file())
    runs = {package.name: blocks(package) for package in packages}
    copies = [
        f"{runs[a][run]} = {runs[b][run]}"
        for i, a in enumerate(runs)
        for b in list(runs)[i + 1 :]
        for run in runs[a].keys() & runs[b].keys()
    ]
    assert copies == []
