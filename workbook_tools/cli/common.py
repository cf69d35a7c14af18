"""Shared pieces of the CLI: Chinese help/usage rendering."""

from __future__ import annotations

import click

from workbook_tools.cli.help import ChineseContext
from workbook_tools.errors import OutputError

force_option = click.option("-f", "--force", is_flag=True,
                            help="输出文件已存在时覆盖它（默认不覆盖，以免误删已有的文件）。")


def refuse_existing(output, force: bool) -> None:
    """Writing over an existing file needs --force (every command that writes a file)."""
    if output is not None and output.exists() and not force:
        raise OutputError(f"输出文件 {output} 已存在，未覆盖；如确需覆盖请加 --force")


class ChineseUsageError(click.UsageError):
    """A usage error shown entirely in Chinese."""

    def show(self, file=None) -> None:
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), err=True)
            click.echo(f"运行“{self.ctx.command_path} -h”查看帮助。", err=True)
        click.echo(f"错误：{self.format_message()}", err=True)


class ChineseCommand(click.Command):
    """A command whose help page headings are Chinese."""

    context_class = ChineseContext

    def format_usage(self, ctx, formatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx, formatter) -> None:
        records = [p.get_help_record(ctx) for p in self.get_params(ctx)
                   if not isinstance(p, click.Argument)]
        records = [r for r in records if r is not None]
        if records:
            with formatter.section("选项"):
                formatter.write_dl(records)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option


class ChineseGroup(click.Group):
    """The top-level group, with Chinese headings."""

    context_class = ChineseContext

    def format_usage(self, ctx, formatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx, formatter) -> None:
        ChineseCommand.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=60)))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    def resolve_command(self, ctx, args):
        name = click.utils.make_str(args[0])
        if self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            raise ChineseUsageError(f"没有名为“{name}”的命令", ctx)
        return super().resolve_command(ctx, args)


def _parse_date(ctx, param, value):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ChineseUsageError(f"日期“{value}”格式不对，请写成 2026-11-22", ctx) from None


def as_of_option(func):
    """--as-of DATE: the day the run is 'as of' (default: today)."""
    return click.option("--as-of", "as_of", metavar="日期", callback=_parse_date,
                        help="按这一天计算（如 2026-11-22），默认今天。")(func)


def schema_option(func):
    """--schema PATH: a company's own schema YAML."""
    from pathlib import Path

    return click.option("--schema", "schema_path", metavar="schema.yaml",
                        type=click.Path(path_type=Path),
                        help="使用自定义的 schema 文件（默认使用自带的 templates/archive_schema.yaml）。")(func)


def form_option(func):
    """--form 表格类型: read every sheet as this form (key, Chinese title or alias)."""
    return click.option("--form", "form", metavar="表格类型",
                        help="只按这种表格识别：registration / visit-plan / visit-record / complaint / trade，"
                             "也可写中文表名，如“客户拜访计划”。")(func)


def form_key(schema, form: str | None, ctx=None) -> str | None:
    """The schema key of the form named on the command line (a usage error if unknown)."""
    if form is None:
        return None
    try:
        return schema.form(form).key
    except KeyError as exc:
        raise ChineseUsageError(exc.args[0], ctx or click.get_current_context()) from None
