"""click's own usage errors in Chinese: an unknown option, a missing argument, "abc" given
where a number belongs. Our commands raise Chinese messages themselves; click's messages
are English, so :func:`localize` rewrites them from the exception's fields and, for the
value checks of click's types, from click's message templates (anything not recognised
is shown as click wrote it)."""

from __future__ import annotations

import re

import click

from workbook_tools.cli.common import ChineseUsageError

# click's English messages (as formatted) → Chinese; {0}, {1} are the pattern's groups.
_MESSAGES = [(re.compile(pattern, re.DOTALL), text) for pattern, text in (
    (r"'(.*)' is not a valid integer(?: range)?\.", "“{0}”不是整数"),
    (r"'(.*)' is not a valid float(?: range)?\.", "“{0}”不是数字"),
    (r"'(.*)' is not a valid boolean\.", "“{0}”不是是/否的值"),
    (r"(.*) is not in the range (.*)\.", "{0} 超出允许的范围（{1}）"),
    (r"'(.*)' is not (?:one of )?(.*)\.", "“{0}”不是可选的值（可选：{1}）"),
    (r"(?:File|Directory|Path) '(.*)' does not exist\.", "“{0}”不存在"),
    (r"(?:File|Directory|Path) '(.*)' is a file\.", "“{0}”是文件，这里需要文件夹"),
    (r"(?:File|Directory|Path) '(.*)' is a directory\.", "“{0}”是文件夹，这里需要文件"),
    (r"(?:File|Directory|Path) '(.*)' is not readable\.", "没有权限读取“{0}”"),
    (r"(?:File|Directory|Path) '(.*)' is not writable\.", "没有权限写入“{0}”"),
    (r"Got unexpected extra arguments? \((.*)\)", "多余的参数：{0}（文件名中有空格时请加引号）"),
    (r"Option '(.*)' requires an argument\.", "选项 {0} 后面需要填写一个值"),
    (r"Option '(.*)' does not take a value\.", "选项 {0} 后面不能带值"),
    (r"Missing command\.", "请指定要运行的命令"),
)]


def localize(exc: click.ClickException) -> click.ClickException:
    """The exception to show: a Chinese ChineseUsageError for click's usage errors, else
    ``exc`` itself (our own messages are Chinese already)."""
    if isinstance(exc, ChineseUsageError) or not isinstance(exc, click.UsageError):
        return exc
    if isinstance(exc, click.NoSuchOption):
        text = f"没有 {exc.option_name} 这个选项"
        if exc.possibilities:
            text += f"；是不是要用 {'、'.join(sorted(exc.possibilities))}？"
    elif isinstance(exc, click.MissingParameter):
        kind = "参数" if isinstance(exc.param, click.Argument) else "选项"
        text = f"缺少{kind} {_hint(exc)}"
    elif isinstance(exc, click.BadParameter):
        text = f"{_hint(exc)} 的值无效：{message(exc.message)}"
    else:
        text = message(exc.message)
    return ChineseUsageError(text, exc.ctx)


def message(text: str) -> str:
    """One of click's messages in Chinese (unchanged when not recognised, e.g. already Chinese)."""
    for pattern, chinese in _MESSAGES:
        match = pattern.fullmatch(text.strip())
        if match:
            return chinese.format(*match.groups())
    return text


def _hint(exc: click.BadParameter) -> str:
    """The parameter as the user wrote it: --customers, or the argument's metavar."""
    if exc.param_hint is not None:
        hint = exc.param_hint if isinstance(exc.param_hint, str) else " / ".join(exc.param_hint)
    elif exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx) if exc.ctx is not None else exc.param.name or ""
    else:
        return "参数"
    return hint.replace("'", "")
