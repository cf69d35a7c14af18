"""The `workbook-tools` command line: the only package that imports click.

Each command lives in its own module and calls exactly one library function.
Library errors (WorkbookToolsError) reach the user as one Chinese line, exit code 2.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from workbook_tools import __version__
from workbook_tools.cli.common import ChineseGroup
from workbook_tools.cli.errors import localize
from workbook_tools.errors import WorkbookToolsError

_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click ≥ 8.2

# command name → module in this package defining a click command called `command`.
COMMANDS = {
    "template": "template",
    "inspect": "inspect",
    "sample": "sample",
    "validate": "validate",
    "adopt": "adopt",
    "merge": "merge",
    "summary": "summary",
    "plan": "plan",
    "card": "card",
    "export": "export",
    "ledger": "ledger",
    "weekly": "weekly",
    "history": "history",
    "demo": "demo",
    "excel": "excel",
}


class _Group(ChineseGroup):
    def list_commands(self, ctx):
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx, name):
        return self._load(name)

    @staticmethod
    def _load(name):
        module = COMMANDS.get(name)
        if module is None:
            return None
        try:
            mod = importlib.import_module(f"workbook_tools.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"workbook_tools.cli.{module}":
                return None
            raise
        return mod.command


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar="[选项]", subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, prog_name="workbook-tools", message="%(prog)s %(version)s",
                      help="显示版本并退出。")
def cli():
    """客户档案工作簿工具：生成标准表格、校验、合并各区域文件、汇总。"""


def main(argv=None):
    """Console entry point: run the CLI, turning library errors into one Chinese line."""
    try:
        code = cli.main(args=argv, prog_name="workbook-tools", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(130)
    except _NO_ARGS as exc:   # a bare `workbook-tools` (or group): the help, once, not as an error
        click.echo(exc.ctx.get_help())
        sys.exit(0)
    except click.ClickException as exc:
        localize(exc).show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except WorkbookToolsError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: still one Chinese line, details only on request
        if os.environ.get("WORKBOOK_TOOLS_DEBUG"):
            raise
        click.echo(f"内部错误：{type(exc).__name__}: {exc}（设置环境变量 WORKBOOK_TOOLS_DEBUG=1 可查看详细信息，"
                   "并请把该信息反馈给维护人员）", err=True)
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
