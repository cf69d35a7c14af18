"""The user's column map (``--map MAP.yaml``): one ``源列: 字段`` line per legacy header;
字段 is a standard column name (客户名称), a field key (customer_name) or an alias; 忽略
(or 其他信息) keeps the column in the 其他信息 columns. ``adopt --plan`` writes a template of
it with the proposed mapping and the scores as comments."""

from __future__ import annotations

from pathlib import Path

import yaml

from workbook_tools.adopt.mapping import HOW_KEPT, IGNORE_WORDS, ColumnMap
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.io.atomic import atomic_path
from workbook_tools.schema.model import Form, header_variants, normalize_header

IGNORE = "忽略"


def load_map(path: str | Path, form: Form) -> dict[str, str | None]:
    """Normalised legacy header → field key (None: 忽略). Raises WorkbookToolsError (Chinese,
    with the line) for an unreadable file or a 字段 that is not a field of the form."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.safe_load(text) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkbookToolsError(f"无法读取列对应文件 {path}：{exc.__class__.__name__}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise WorkbookToolsError(f"列对应文件 {path}{where}格式错误：每行应为“源列: 字段”") from None
    if not isinstance(data, dict):
        raise WorkbookToolsError(f"列对应文件 {path} 格式错误：每行应为“源列: 字段”，如“名称: 客户名称”")
    out: dict[str, str | None] = {}
    for header, target in data.items():
        out[normalize_header(header)] = _target(path, text, form, header, target)
    return out


def _target(path: Path, text: str, form: Form, header, target) -> str | None:
    name = "" if target is None else str(target).strip()
    if not name or normalize_header(name) in {normalize_header(w) for w in IGNORE_WORDS}:
        return None
    if name in form.keys:
        return name
    key = form.match_header(name)
    if key is None:
        line = next((i for i, ln in enumerate(text.splitlines(), 1) if ln.lstrip().startswith(str(header))), None)
        where = f"第 {line} 行" if line else ""
        raise WorkbookToolsError(
            f"列对应文件 {path}{where}：“{name}”不是{form.title}的列名；请写标准列名（如 客户名称、手机）或“{IGNORE}”")
    return key


def map_template(columns: list[tuple[str, ColumnMap]], form: Form) -> str:
    """The MAP.yaml text for ``columns`` (source file name, column), one line per distinct
    header, the proposed target and a comment saying how it was found."""
    lines = ["# 列对应表（workbook-tools adopt --plan 生成）。每行“源列: 字段”：字段写标准列名，",
             f"# 或写“{IGNORE}”（该列保留在登记表的“其他信息”列中，不会丢失）。改好后运行：",
             "#   workbook-tools adopt 旧台账... -o 客户档案登记表.xlsx --map 本文件", ""]
    seen: set[str] = set()
    for source, col in columns:
        key = header_variants(col.header)[0]
        if not key or key in seen:
            continue
        seen.add(key)
        target = form.field(col.field).label if col.field else IGNORE
        note = col.how + (f" {col.score:g}" if col.score is not None and col.how != HOW_KEPT else "")
        lines.append(f"{_quote(col.header)}: {_quote(target)}  # {note}（{source} {col.letter} 列）")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    plain = yaml.safe_dump(text, allow_unicode=True, default_style=None).strip()
    if plain.endswith("\n...") or plain.endswith("..."):
        plain = plain.rsplit("\n", 1)[0].strip()
    return plain


def write_map_template(path: str | Path, text: str) -> Path:
    path = Path(path)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path
