"""Which store a command reads: --store FILE, else the store of archive.yaml in the
current folder (its ``history`` key, default 档案历史.sqlite beside it)."""

from __future__ import annotations

from pathlib import Path

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.schema.yamlsrc import load_yaml

CONFIG_NAME = "archive.yaml"
STORE_NAME = "档案历史.sqlite"


def store_of(folder: str | Path = ".") -> Path | None:
    """The history store configured by FOLDER/archive.yaml; None without an archive.yaml."""
    config = Path(folder) / CONFIG_NAME
    if not config.is_file():
        return None
    data = load_yaml(config.read_text(encoding="utf-8"), str(config)) or {}
    name = data.get("history") if hasattr(data, "get") else None
    return config.parent / (str(name).strip() if name else STORE_NAME)


def resolve_store(store: str | Path | None = None, folder: str | Path = ".") -> Path:
    """``store`` when given, else the store of archive.yaml in ``folder``."""
    if store is not None:
        return Path(store)
    found = store_of(folder)
    if found is None:
        raise WorkbookToolsError(f"当前文件夹中没有 {CONFIG_NAME}，不知道档案历史库在哪里；"
                                 "请用 --store 指定历史库文件，或在 archive.yaml 所在的文件夹中运行")
    return found
