"""The layers of STYLE §2 hold: domain and store run without Streamlit, pages never touch the database directly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATABASE_MODULES = {"sqlalchemy", "duckdb", "duckdb_engine"}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, wherever the import statement sits."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def offenders(paths: list[Path], forbidden: set[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        bad = sorted(imported_modules(path) & forbidden)
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_core_modules_import_without_streamlit():
    script = (
        "import sys\n"
        "import accompaniment.domain.models, accompaniment.domain.rules\n"
        "import accompaniment.store.database, accompaniment.store.schema\n"
        "import accompaniment.access\n"
        "loaded = sorted(name for name in sys.modules if name == 'streamlit' or name.startswith('streamlit.'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr


def test_pages_and_app_never_import_the_database_libraries():
    paths = sorted((ROOT / "pages").glob("*.py"))
    if (ROOT / "app.py").exists():
        paths.append(ROOT / "app.py")
    assert offenders(paths, DATABASE_MODULES) == {}


def test_domain_imports_neither_the_database_nor_the_ui():
    paths = sorted((ROOT / "accompaniment" / "domain").rglob("*.py"))
    assert paths
    assert offenders(paths, DATABASE_MODULES | {"streamlit"}) == {}


def test_the_import_scan_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from sqlalchemy import text\n    import duckdb.typing\n", encoding="utf-8"
    )
    assert imported_modules(sample) == {"sqlalchemy", "duckdb"}


def accompaniment_modules(path: Path) -> set[str]:
    """Full names of the project modules ``path`` imports (``from accompaniment.ui import x`` gives
    accompaniment.ui), wherever the import statement sits."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("accompaniment"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("accompaniment"):
            names.add(node.module)
    return names


def test_pages_and_app_reach_the_project_only_through_the_ui_and_the_pure_domain():
    """A page that reads the store itself skips the ui layer's cached, role-keyed reads (STYLE §2)."""
    allowed = ("accompaniment.ui", "accompaniment.domain")
    paths = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
    found = {
        str(path.relative_to(ROOT)): sorted(
            name for name in accompaniment_modules(path) if not name.startswith(allowed)
        )
        for path in paths
    }
    assert {path: names for path, names in found.items() if names} == {}
