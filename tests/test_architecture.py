"""Structural rules of the codebase."""

import ast
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
