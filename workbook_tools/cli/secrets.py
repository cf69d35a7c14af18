"""Options shared by commands that read or write password-protected workbooks, and --ledger.

Passwords are read from a file or an environment variable (never given on the command
line, never printed)."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.io.crypto import read_password


def password_options(func):
    """--password-file F / --password-env VAR → keyword ``password`` (str or None)."""
    func = click.option("--password-env", "password_env", metavar="变量名",
                        help="从这个环境变量读取密码（与 --password-file 二选一）。")(func)
    return click.option("--password-file", "password_file", metavar="密码文件",
                        type=click.Path(path_type=Path),
                        help="从这个文件的第一行读取密码（密码不会出现在命令行和输出中）。")(func)


def password_from(password_file, password_env) -> str | None:
    return read_password(password_file, password_env)


def ledger_option(func):
    return click.option("--ledger", "ledger", metavar="发放登记.db", type=click.Path(path_type=Path),
                        help="发放登记（借阅/发放登记簿）文件；默认为当前文件夹中的 发放登记.db。")(func)
