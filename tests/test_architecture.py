"""The pipeline's import rules, read from the source: stages import one way
(schema → io → generate → validate → merge → summary/plan → weekly → buttons, cli), only cli/
imports click, and only the buttons adapter imports xlwings — inside its functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workbook_tools"
# stage → rank; a module may import its own stage and lower ranks only
RANK = {
    "(root)": 0, "errors": 0, "resources": 0,
    "schema": 1,
    "privacy": 1.5,  # 权限分配表 views, masks, the 发放 ledger: pure, below every writer
    "io": 2,
    "generate": 3, "sampledata": 3,
    "validate": 4,
    "adopt": 4.2,  # 迁移旧台账: legacy registers → the standard form (reads, validates, writes forms)
    "history": 4.5,  # the archive's memory (embedded database); merge and weekly record into it
    "accounts": 4.8,  # per-customer trade figures, classes and 信用评估 (pure; merge writes them)
    "merge": 5,
    "summary": 6,
    "plan": 7,
    "card": 7.5, "export": 7.5,  # 客户资料卡 and 发放 exports: read the master, summary figures, history
    "weekly": 8,
    "button_actions": 9,
    "buttons": 10, "cli": 10,
    "__main__": 11,
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        stage = "(root)" if parts == ("__init__",) else parts[0]
        out.append((stage, path))
    return out


def _imports(path: Path, top_level_only: bool = False) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


def _stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(root)"


def test_every_stage_has_a_rank():
    assert {stage for stage, _ in _modules()} <= set(RANK)


@pytest.mark.parametrize("stage, path", _modules(), ids=lambda v: str(v))
def test_stages_import_one_way(stage, path):
    for module, line in _imports(path):
        if module == "workbook_tools" or module.startswith("workbook_tools."):
            target = _stage_of(module)
            assert RANK[target] <= RANK[stage], f"{path.relative_to(PACKAGE)}:{line} imports {module}"


def test_only_cli_imports_click_and_only_buttons_imports_xlwings_lazily():
    for stage, path in _modules():
        for module, line in _imports(path):
            root = module.split(".")[0]
            where = f"{path.relative_to(PACKAGE)}:{line}"
            assert root != "click" or stage == "cli", where
            assert root != "xlwings" or path.name == "buttons.py", where
    buttons = PACKAGE / "buttons.py"
    assert all(m.split(".")[0] != "xlwings" for m, _ in _imports(buttons, top_level_only=True))
    assert any(m == "xlwings" for m, _ in _imports(buttons))
