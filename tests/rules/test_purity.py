"""The rules core stays pure: no Django, no clock, and file reading only in rulesets.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import doorstroom.rules

PACKAGE = Path(doorstroom.rules.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("time", "time")}
IO_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob"}


def _imports(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    return names


def _called(tree: ast.AST) -> list[tuple[str, str]]:
    """Return (owner, name) of every call `owner.name(...)`, and ("", name) of `name(...)`."""
    calls: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else ""
            owner_name = owner.id if isinstance(owner, ast.Name) else owner_name
            calls.append((owner_name, func.attr))
        elif isinstance(func, ast.Name):
            calls.append(("", func.id))
    return calls


def test_it_finds_the_modules():
    assert {path.name for path in MODULES} >= {"clock.py", "rulesets.py", "financing.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_it_imports_no_django(path):
    imports = _imports(ast.parse(path.read_text(encoding="utf-8")))
    assert not [name for name in imports if name.split(".")[0] == "django"]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_it_reads_no_clock(path):
    calls = _called(ast.parse(path.read_text(encoding="utf-8")))
    assert not CLOCK_CALLS & set(calls)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_it_does_io_only_when_loading_rule_sets(path):
    if path.name == "rulesets.py":
        return
    calls = _called(ast.parse(path.read_text(encoding="utf-8")))
    assert not {name for _owner, name in calls} & IO_CALLS


@pytest.mark.parametrize(
    "source",
    [
        "import django",
        "from django.utils import timezone",
        "date.today()",
        "datetime.datetime.now()",
        "datetime.utcnow()",
        "time.time()",
    ],
)
def test_the_checks_catch_forbidden_code(source):
    tree = ast.parse(source)
    assert any(n.split(".")[0] == "django" for n in _imports(tree)) or CLOCK_CALLS & set(
        _called(tree)
    )
