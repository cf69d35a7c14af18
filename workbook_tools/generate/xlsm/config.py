"""``workbook-tools excel setup``: tell xlwings which Python the buttons run.

xlwings' ``RunPython`` reads its settings from a sheet named ``xlwings.conf``, else a file
``xlwings.conf`` beside the workbook, else the user's file (``~/.xlwings/xlwings.conf`` on
Windows, ``~/Library/Containers/com.microsoft.Excel/Data/xlwings.conf`` on macOS, where
sandboxed Excel can read it). Each line is ``"KEY","value"``, the format of VBA's
``Write #``; VBA reads the file in the system's ANSI code page on Windows, so it is written
in that encoding there (UTF-8 elsewhere). Other keys already in the file are kept.
"""

from __future__ import annotations

import re
import site
import sys
from dataclasses import dataclass
from pathlib import Path

import workbook_tools
from workbook_tools.errors import OutputError, WorkbookToolsError
from workbook_tools.io.atomic import atomic_path

CONF_NAME = "xlwings.conf"
_LINE = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"\s*$')


@dataclass(frozen=True)
class ConfigWritten:
    path: Path
    settings: dict[str, str]  # the keys written by this run


def platform_note(platform: str = sys.platform) -> str | None:
    """What to tell a user who runs `excel setup` where Excel cannot run (Linux and others)."""
    if platform in ("win32", "darwin"):
        return None
    return ("注意：本机不是 Windows 或 macOS，无法运行 Excel 和 Excel 按钮；写入的 INTERPRETER_WIN 是本机的 "
            "Python 路径，在 Windows 电脑上无效。请在使用 Excel 的那台电脑上安装本工具后重新运行 "
            "workbook-tools excel setup。")


def interpreter_key(platform: str = sys.platform) -> str:
    return "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"


def user_config_path(platform: str = sys.platform, home: Path | None = None) -> Path:
    """Where xlwings looks for the user's configuration file on ``platform``."""
    home = home or Path.home()
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / CONF_NAME
    return home / ".xlwings" / CONF_NAME


def package_pythonpath() -> str | None:
    """The folder holding ``workbook_tools`` when it is not installed in site-packages."""
    parent = Path(workbook_tools.__file__).resolve().parent.parent
    folders = [*getattr(site, "getsitepackages", lambda: [])(), site.getusersitepackages()]
    installed = {Path(p).resolve() for p in folders if p}
    return None if parent in installed else str(parent)


def wanted_settings(platform: str = sys.platform, interpreter: str | None = None) -> dict[str, str]:
    settings = {interpreter_key(platform): interpreter or sys.executable}
    pythonpath = package_pythonpath()
    if pythonpath:
        settings["PYTHONPATH"] = pythonpath
    return settings


def write_xlwings_conf(path: str | Path, settings: dict[str, str],
                       platform: str = sys.platform) -> ConfigWritten:
    """Write ``settings`` into the xlwings.conf file ``path``, keeping its other keys."""
    path = Path(path)
    encoding = "mbcs" if platform == "win32" else "utf-8"
    lines = [line for line in _read_lines(path, encoding)
             if not (m := _LINE.match(line)) or m.group(1).upper() not in settings]
    for key, value in settings.items():
        if '"' in value or "\n" in value:
            raise WorkbookToolsError(f"{key} 的值“{value}”含有引号或换行，xlwings 无法读取")
        lines.append(f'"{key}","{value}"')
    try:
        data = "".join(line + "\r\n" for line in lines).encode(encoding)
    except UnicodeEncodeError:
        raise WorkbookToolsError(f"路径中有当前系统编码（{encoding}）无法表示的字符，xlwings 无法读取；"
                                 "请把 Python 安装到只含英文字母的路径下") from None
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return ConfigWritten(path, dict(settings))


def _read_lines(path: Path, encoding: str) -> list[str]:
    if not path.exists():
        return []
    try:
        text = path.read_bytes().decode(encoding, errors="replace")
    except OSError as exc:
        raise OutputError(f"无法读取 {path}：{exc.strerror or exc}") from None
    return [line for line in text.splitlines() if line.strip()]


def setup_xlwings(workbook: str | Path | None = None, *, user: bool = False,
                  interpreter: str | None = None, platform: str = sys.platform,
                  home: Path | None = None) -> list[ConfigWritten]:
    """Write the interpreter (and PYTHONPATH when needed) beside ``workbook`` and/or for the user."""
    if workbook is None and not user:
        raise WorkbookToolsError("请指定工作簿（在它所在的文件夹写入 xlwings.conf），或加 --user 写入当前用户的配置")
    settings = wanted_settings(platform, interpreter)
    written = []
    if workbook is not None:
        workbook = Path(workbook)
        if not workbook.exists():
            raise WorkbookToolsError(f"找不到 {workbook}，请检查路径")
        folder = (workbook if workbook.is_dir() else workbook.parent).resolve()
        written.append(write_xlwings_conf(folder / CONF_NAME, settings, platform))
    if user:
        written.append(write_xlwings_conf(user_config_path(platform, home), settings, platform))
    return written
