"""Every audit action app/ writes is declared a read or a change (``app.audit``), read from the
source: a new action, or one renamed, fails here until it is declared, instead of counting
silently as a change (the demo's ``user_made``) or as a read.

The action names are the first argument of ``audit.record`` / ``record`` (imported from
``app.audit``) and of ``audit.declared`` (rows written in bulk), each written where this test can
read it: a string, a choice of strings, a module constant, or a module dict of strings indexed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask

from app import audit
from app.extensions import db

APP = Path(__file__).resolve().parents[2] / "app"
WRITERS = {"record", "declared"}


def _imports_writer(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "app.audit"
        and any(alias.name in WRITERS for alias in node.names)
        for node in ast.walk(tree)
    )


def _writes(call: ast.Call, bare: bool) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = func.value
        return func.attr in WRITERS and isinstance(owner, ast.Name) and owner.id == "audit"
    return bare and isinstance(func, ast.Name) and func.id in WRITERS


def _assigned(tree: ast.Module, name: str) -> list[ast.expr]:
    """Every value assigned to ``name`` anywhere in the module (constants and locals alike)."""
    values: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            values.append(node.value)  # type: ignore[arg-type]
    return values


def _names(tree: ast.Module, expr: ast.expr) -> set[str] | None:
    """The action names ``expr`` can be, or None when they cannot be read from the source."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        body, orelse = _names(tree, expr.body), _names(tree, expr.orelse)
        return None if body is None or orelse is None else body | orelse
    if isinstance(expr, ast.Name):
        values = _assigned(tree, expr.id)
        found = [_names(tree, v) for v in values]
        if not values or any(f is None for f in found):
            return None
        return set().union(*found)  # type: ignore[arg-type]
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
        tables = _assigned(tree, expr.value.id)
        if len(tables) != 1 or not isinstance(tables[0], ast.Dict):
            return None
        found = [_names(tree, v) for v in tables[0].values]
        return None if any(f is None for f in found) else set().union(*found)  # type: ignore[arg-type]
    return None


def written() -> tuple[dict[str, list[str]], list[str]]:
    """Every action app/ writes (with where), and the places whose action cannot be read."""
    actions: dict[str, list[str]] = {}
    unread: list[str] = []
    for path in sorted(APP.rglob("*.py")):
        if path == APP / "audit.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bare = _imports_writer(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _writes(node, bare)):
                continue
            where = f"{path.relative_to(APP.parent)}:{node.lineno}"
            names = _names(tree, node.args[0]) if node.args else None
            if names is None:
                unread.append(where)
                continue
            for name in names:
                actions.setdefault(name, []).append(where)
    return actions, unread


def test_every_action_written_is_declared_a_read_or_a_change() -> None:
    actions, unread = written()
    assert not unread, f"write these actions as strings the test can read: {unread}"
    assert len(actions) > 40  # the scan found the writers at all
    undeclared = {a: w for a, w in actions.items() if a not in audit.READS | audit.CHANGES}
    assert not undeclared, f"declare each in app.audit.READS or CHANGES: {undeclared}"


def test_every_declared_action_is_written_somewhere_and_only_once_declared() -> None:
    actions, _ = written()
    assert not audit.READS & audit.CHANGES
    assert sorted(audit.READS | audit.CHANGES) == sorted(actions)


def test_an_undeclared_action_is_refused_when_recorded(app: Flask) -> None:
    with pytest.raises(audit.UndeclaredAction, match="people.peek"):
        audit.record("people.peek", None, "person", 1)
    assert not db.session.new
