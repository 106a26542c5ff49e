"""The suite's rule, enforced: nothing skips in CI.

A test whose real part is missing on a developer's machine may skip there, but
only through a helper that fails instead when `CI` is set
(`tests.conftest.skip_unless_available` and its like). A bare `skipif`,
`importorskip` or `pytest.skip` elsewhere would let a CI run go green
without running the test, so this scan refuses them.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _ci_guarded(function: ast.AST) -> bool:
    """The function fails when CI is set (it reads the CI variable and calls pytest.fail)."""
    source = ast.unparse(function)
    return "'CI'" in source and "pytest.fail" in source


def _problems(path: Path, root: Path = TESTS) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("skipif", "importorskip"):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "skip" and ast.unparse(node.func.value) == "pytest":
            scope = parents.get(node)
            while scope is not None and not isinstance(
                    scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                scope = parents.get(scope)
            if scope is None or not _ci_guarded(scope):
                found.append(f"{path.relative_to(root)}:{node.lineno}: pytest.skip outside a CI guard")
    return found


def test_no_test_can_skip_in_ci() -> None:
    problems = [p for path in sorted(TESTS.rglob("*.py")) for p in _problems(path)]
    assert problems == [], "skip through tests.conftest.skip_unless_available instead:\n" + "\n".join(problems)


def test_the_scan_catches_a_bare_skip(tmp_path: Path) -> None:
    bad = tmp_path / "test_bad.py"
    bad.write_text("import pytest\n@pytest.mark.skipif(True, reason='x')\ndef test_a():\n"
                   "    pytest.skip('no')\n", encoding="utf-8")
    assert len(_problems(bad, tmp_path)) == 2
    good = tmp_path / "test_good.py"
    good.write_text("import os, pytest\ndef helper(r):\n    if os.environ.get('CI'):\n"
                    "        pytest.fail(r)\n    pytest.skip(r)\n", encoding="utf-8")
    assert _problems(good, tmp_path) == []
