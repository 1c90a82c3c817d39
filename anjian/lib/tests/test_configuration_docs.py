"""README's "Configuration (environment)" table names every variable the code reads, and only
those: the table is how an operator learns that a setting exists.

The names read are found in the source (os.environ.get / os.environ[...] / os.getenv /
settings.env_bool with a literal name); the ones the code only sets, such as
DJANGO_SETTINGS_MODULE, are not settings and stay out of the table.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

ROOT = Path(settings.BASE_DIR)
SOURCES = ("config", "anjian", "bench", "e2e")
README_SECTION = "## Configuration (environment)"


def _is_os_environ(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _literal(args: list[ast.expr]) -> str | None:
    first = args[0] if args else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def _reads_the_environment(func: ast.expr) -> bool:
    """os.environ.get(...), os.getenv(...) or settings' env_bool(...)."""
    if isinstance(func, ast.Name):
        return func.id == "env_bool"
    return isinstance(func, ast.Attribute) and (
        (func.attr == "get" and _is_os_environ(func.value))
        or (func.attr == "getenv" and isinstance(func.value, ast.Name))
    )


def names_read(tree: ast.AST) -> set[str]:
    """The environment variables a module reads by a literal name."""
    found: set[str] = set()
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call) and _reads_the_environment(node.func):
            name = _literal(node.args)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and _is_os_environ(node.value)
        ):
            name = _literal([node.slice])
        if name:
            found.add(name)
    return found


def read_by_the_code() -> dict[str, set[str]]:
    """Each variable read anywhere in the project, with the files that read it."""
    where: dict[str, set[str]] = {}
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for name in names_read(ast.parse(path.read_text(encoding="utf-8"))):
                where.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return where


def documented_in_readme() -> set[str]:
    """The names in the first column of README's configuration table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(README_SECTION, 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


class ConfigurationTableTests(SimpleTestCase):
    def test_every_variable_the_code_reads_is_in_readmes_table(self) -> None:
        missing = {
            name: sorted(files)
            for name, files in read_by_the_code().items()
            if name not in documented_in_readme()
        }
        self.assertEqual(missing, {}, "add a row to README's Configuration (environment) table")

    def test_every_row_of_the_table_is_read_somewhere(self) -> None:
        stale = documented_in_readme() - set(read_by_the_code())
        self.assertEqual(stale, set(), "README documents variables nothing reads")

    def test_the_finder_sees_each_way_of_reading(self) -> None:
        source = """
import os
a = os.environ.get("A", "")
b = env_bool("B", False)
c = os.environ["C"]
d = os.getenv("D")
os.environ["SET_ONLY"] = "x"
os.environ.setdefault("DEFAULTED_ONLY", "x")
"""
        self.assertEqual(names_read(ast.parse(source)), {"A", "B", "C", "D"})

    def test_the_settings_are_among_what_is_found(self) -> None:
        read = read_by_the_code()
        for name in ("DATABASE_URL", "SECRET_KEY", "CSRF_TRUSTED_ORIGINS", "SECURE_COOKIES"):
            self.assertIn("config/settings.py", read.get(name, set()), name)
