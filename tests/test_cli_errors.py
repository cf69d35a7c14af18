"""click's own usage errors reach the user in Chinese, through the console entry point."""

from __future__ import annotations

import pytest

from workbook_tools.cli import main
from workbook_tools.cli.errors import message


def run(capsys, *args: str) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    return exit_info.value.code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("args, error", [
    (["validate"], "错误：缺少参数 文件或目录..."),
    (["validate", "--annotat", "x.xlsx"], "错误：没有 --annotat 这个选项；是不是要用 --annotate？"),
    (["validate", "--zzz", "x.xlsx"], "错误：没有 --zzz 这个选项"),
    (["sample", "out", "--customers", "abc"], "错误：--customers 的值无效：“abc”不是整数"),
    (["sample", "out", "--customers", "0"], "错误：--customers 的值无效：0 超出允许的范围（x>=1）"),
    (["plan", "m.xlsx", "--week", "2026-W48", "--max-per-day", "六", "-o", "p.xlsx"],
     "错误：--max-per-day 的值无效：“六”不是整数"),
    (["summary", "m.xlsx"], "错误：缺少选项 -o / --output"),
    (["inspect", "a.xlsx", "b", "c"], "错误：多余的参数：b c（文件名中有空格时请加引号）"),
    (["merge", "a.xlsx", "-o"], "错误：选项 -o 后面需要填写一个值"),
    (["nosuch"], "错误：没有名为“nosuch”的命令"),
])
def test_usage_errors_are_chinese_with_exit_code_2(capsys, args, error):
    code, lines = run(capsys, *args)
    assert code == 2 and lines[-1] == error
    if len(lines) > 1:  # the usage line and where to find help come first, in Chinese too
        assert lines[0].startswith("用法：workbook-tools") and lines[1].startswith("运行“workbook-tools")


def test_unrecognised_and_chinese_messages_are_left_alone():
    assert message("请指定 -o") == "请指定 -o"
    assert message("Something new in click 9.") == "Something new in click 9."
    assert message("'x' is not one of 'a', 'b'.") == "“x”不是可选的值（可选：'a', 'b'）"
