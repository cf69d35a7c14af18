"""`workbook-tools history`: a customer's life in the archive, changes across customers,
or rebuilding the history store from the kept weekly masters."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, ChineseUsageError, _parse_date, schema_option
from workbook_tools.history import HistoryStore, changes_since, customer_life, resolve_store

HELP = """查询档案历史库（每周流程和 merge --history 记录的历次运行）：一位客户的完整经历，
或某日以来各客户的修改；也可从保留的历次总表重建历史库。身份证号、手机、银行账号只显示部分。

\b
用法：
  workbook-tools history 客户编号 [--json]
  workbook-tools history --changed-since 2026-09-01 [--field 手机]
  workbook-tools history rebuild 输出目录

\b
不加 --store 时，使用当前文件夹 archive.yaml 的历史库（键 history，默认 档案历史.sqlite）。
"""


@click.command("history", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="档案历史：客户的修改记录、某日以来的修改、重建历史库")
@click.argument("args", nargs=-1, metavar="[客户编号 | rebuild 输出目录]")
@click.option("--store", metavar="历史库文件", type=click.Path(path_type=Path),
              help="档案历史库文件，默认为当前文件夹 archive.yaml 中配置的历史库。")
@click.option("--changed-since", "since", metavar="日期", callback=_parse_date,
              help="列出这一天（含）以来所有客户的字段修改。")
@click.option("--field", metavar="字段", help="与 --changed-since 一起用：只看这个字段（如 手机）。")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=0), metavar="条数",
              help="--changed-since 最多列出的条数；0 表示全部。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供脚本使用）。")
@schema_option
def command(args, store, since, field, limit, as_json, schema_path):
    ctx = click.get_current_context()
    if args and args[0] == "rebuild":
        if len(args) != 2:
            raise ChineseUsageError("用法：workbook-tools history rebuild 输出目录", ctx)
        _rebuild(Path(args[1]), resolve_store(store), schema_path)
        return
    if since is None and len(args) != 1:
        raise ChineseUsageError("请指定一个客户编号，或用 --changed-since 日期 列出修改", ctx)
    if since is not None and args:
        raise ChineseUsageError("客户编号与 --changed-since 不能同时使用", ctx)
    if field and since is None:
        raise ChineseUsageError("--field 需要与 --changed-since 一起使用", ctx)
    with HistoryStore(resolve_store(store)) as history:
        if since is not None:
            _since(history, since, field, limit, as_json, ctx)
        else:
            _life(history, args[0], as_json)


def _rebuild(folder: Path, store: Path, schema_path) -> None:
    from workbook_tools.merge.recording import rebuild_history   # the queries need no workbook reader
    from workbook_tools.schema import load_schema

    runs = rebuild_history(folder, store, load_schema(schema_path))
    click.echo(f"已从 {len(runs)} 份总表重建档案历史库：{store}")
    for run in runs:
        n = run.counts()
        click.echo(f"  {run.week}（{run.run_date}）{run.master}：客户 {n['customers']} 位，新增 {n['new']}，"
                   f"有修改 {n['changed']}，本周未出现 {n['absent']}")


def _since(history, since, field, limit, as_json, ctx) -> None:
    try:
        listing = changes_since(history, since, field, limit)
    except ValueError as exc:
        raise ChineseUsageError(str(exc), ctx) from None
    if as_json:
        click.echo(json.dumps(listing.as_dict(), ensure_ascii=False, indent=2))
        return
    which = f"“{listing.field}”的" if listing.field else "字段"
    click.echo(f"{since} 以来{which}修改：{listing.total} 条，涉及 {listing.customers} 位客户")
    for c in listing.changes:
        click.echo(f"  {c.date}  {c.week}  {c.customer_id} {c.customer_name}  {c.field}：{c.old} → {c.new}"
                   f"（来源 {c.file}）")
    if len(listing.changes) < listing.total:
        click.echo(f"（仅列出前 {len(listing.changes)} 条；用 --limit 0 列出全部，或 --json 导出）")


def _life(history, customer_id: str, as_json: bool) -> None:
    life = customer_life(history, customer_id)
    if life is None:
        if as_json:
            click.echo(json.dumps({"customer_id": customer_id, "found": False}, ensure_ascii=False))
        raise click.ClickException(f"档案历史中没有客户 {customer_id}")
    if as_json:
        click.echo(json.dumps(life.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"客户 {life.customer_id} {life.customer_name}")
    how = "新增进入档案" if life.entered_new else "建立档案历史时已在总表中"
    click.echo(f"  进入档案：{life.entered_week}（{life.entered_date}，{how}；来源 {life.entered_file}）")
    click.echo(f"  修改记录：{len(life.changes)} 条")
    for c in life.changes:
        click.echo(f"    {c.week}  {c.date}  {c.field}：{c.old} → {c.new}（来源 {c.file}）")
    absent = f"{'、'.join(life.absent_weeks)}（共 {len(life.absent_weeks)} 周）" if life.absent_weeks else "无"
    click.echo(f"  本周未出现的周：{absent}")
    if life.kept_weeks:
        click.echo(f"  数据有误、保留上期记录的周：{'、'.join(life.kept_weeks)}")
    click.echo(f"  拜访记录 {life.visits} 条，投诉记录 {life.complaints} 条")
    _trades(life.trades)
    click.echo(f"  （档案历史：{life.weeks[0]} 至 {life.weeks[1]}）")


TRADES_SHOWN = 20   # the latest deals listed; --json gives all


def _trades(trades: list[dict]) -> None:
    if not trades:
        click.echo("  交易记录 0 笔")
        return
    amount = sum(_money(t.get("amount")) for t in trades)
    paid = sum(_money(t.get("paid_amount")) for t in trades)
    click.echo(f"  交易记录 {len(trades)} 笔，金额合计 {amount:,.2f} 元，已回款 {paid:,.2f} 元")
    if len(trades) > TRADES_SHOWN:
        click.echo(f"    （仅列出最近 {TRADES_SHOWN} 笔；--json 列出全部）")
    for t in trades[-TRADES_SHOWN:]:
        back = (f"回款 {t['paid_date']} {_money(t.get('paid_amount')):,.2f} 元" if t.get("paid_date")
                else "未回款")
        click.echo(f"    {t.get('date')}  {t.get('trade_id')}  {t.get('product') or ''}  "
                   f"{_money(t.get('amount')):,.2f} 元  {back}")


def _money(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0
