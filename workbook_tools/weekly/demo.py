"""`make demo`: a complete archive folder built from the seeded sample data (archive.yaml
written by `weekly init` from the sample files), then two weekly runs on it (the second after
the offices edited a few customers), both recorded in the history store, and the 客户资料卡 of
every customer for the second week (its 修改记录 from the store), and an old customer list
adopted into the standard form (旧台账/). Everything goes under one folder (build/demo by
default); incoming/ holds only the regional files."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.adopt import AdoptResult, adopt_files
from workbook_tools.card import CardResult, build_cards
from workbook_tools.card.blank import write_blank_cards
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.history import HistoryStore
from workbook_tools.generate import generate_template
from workbook_tools.sampledata import MANIFEST, generate_samples
from workbook_tools.sampledata.legacy import write_legacy_register
from workbook_tools.schema import load_schema
from workbook_tools.weekly.demo_edits import edit_for_next_week, resubmit
from workbook_tools.weekly.init import init_archive
from workbook_tools.weekly.run import WeeklyResult, iso_week, run_weekly

DEMO_AS_OF = dt.date(2026, 11, 22)  # the Sunday of the sample week 2026-W47
SECOND_AS_OF = dt.date(2026, 11, 29)  # 2026-W48: the same files, a few customers edited
REGIONS = ("华东", "华南", "华北", "西南")
CARDS = "客户资料卡_{week}.xlsx"   # 一户一档: every customer's card, next to the week's master
BLANK_CARD = "客户资料卡_空白.xlsx"  # in 模板/: the card printed blank, filled by hand
LEGACY = "旧台账"  # an old CRM import list (GBK CSV) adopted into the standard form (not in incoming/)


@dataclass
class DemoResult:
    folder: Path
    templates: list[Path]
    samples: list[Path]                 # the regional files as submitted in the last week
    weeks: list[WeeklyResult]
    edited: list[tuple[str, str]]      # (customer id, what the office changed for the second week)
    manifest: Path
    cards: CardResult | None = None
    adopted: AdoptResult | None = None

    @property
    def weekly(self) -> WeeklyResult:
        """The last week run (the one whose 变更记录 shows the edits)."""
        return self.weeks[-1]


def run_demo(folder: str | Path, *, customers: int = 300) -> DemoResult:
    folder = Path(folder)
    _start_afresh(folder)
    schema = load_schema()
    templates = [generate_template(schema, kind, folder / "模板" / f"{form.title}.xlsx", checks=True)
                 for kind, form in ((f.key, f) for f in schema.forms)]
    templates.append(write_blank_cards(schema, folder / "模板" / BLANK_CARD))   # to print and fill by hand
    # the manifest of injected problems goes beside incoming/, which holds only submissions
    samples = generate_samples(folder / "incoming", regions=list(REGIONS), customers_per_region=customers,
                               manifest=folder / MANIFEST)
    init_archive(folder, regions=REGIONS, sources=samples.paths, schema=schema, force=True)
    first = run_weekly(folder, as_of=DEMO_AS_OF)
    edited = edit_for_next_week(first.merge.result, schema, folder / "incoming")
    submitted = resubmit(folder / "incoming", first.week, iso_week(SECOND_AS_OF))
    second = run_weekly(folder, as_of=SECOND_AS_OF)
    with HistoryStore(second.history) as store:
        cards = build_cards(second.merge.output, second.out_dir / CARDS.format(week=second.week), schema=schema,
                            as_of=SECOND_AS_OF, changes_for=store.changes_for,
                            archived_visits=store.archived_visits())
    return DemoResult(folder, templates, submitted, [first, second], edited, samples.manifest_path, cards,
                      adopt_legacy(folder / LEGACY, schema))


def _start_afresh(folder: Path) -> None:
    """A previous demo in ``folder`` is removed (its week-48 files would otherwise be merged
    again with the new week-47 ones); any other non-empty folder is refused, never emptied."""
    if not folder.exists() or not any(folder.iterdir()):
        return
    if (folder / MANIFEST).is_file() and (folder / "archive.yaml").is_file() and (folder / "incoming").is_dir():
        shutil.rmtree(folder)
        return
    raise WorkbookToolsError(f"演示目录 {folder} 已有其他文件；请指定一个空目录或不存在的目录（演示会在其中生成全部文件）")


def adopt_legacy(folder: Path, schema) -> AdoptResult:
    """The 华东 office's old customer list (CRM import layout, GBK CSV) adopted into the form."""
    legacy = write_legacy_register(folder / "旧客户名单.csv")
    return adopt_files([legacy], folder / "客户档案登记表_华东_迁移.xlsx", schema, region="华东", owner="张三",
                       as_of=SECOND_AS_OF)
