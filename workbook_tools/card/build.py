"""The one library call behind `workbook-tools card`: master → 客户资料卡 workbook (and PDF)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from workbook_tools.card.cards import CardMaker, ChangesFor
from workbook_tools.card.derived import compute_figures
from workbook_tools.card.model import Card, FullView, View
from workbook_tools.card.pdf import render_pdf
from workbook_tools.card.source import Customer, MasterTables, add_archived_visits, read_tables
from workbook_tools.card.writer import write_cards
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.merge.rows import norm_id
from workbook_tools.schema.loader import load_schema
from workbook_tools.schema.model import Form, Schema, normalize_choice


class NoCustomers(WorkbookToolsError):
    """No customer of the master matches the selection."""


@dataclass
class CardResult:
    path: Path
    master: Path
    as_of: dt.date
    cards: list[Card]
    pdf: Path | None = None
    notices: list[str] = field(default_factory=list)   # Chinese lines for the user (unknown ids, no PDF)

    @property
    def customers(self) -> list[str]:
        return [c.customer_id for c in self.cards]


@dataclass(frozen=True)
class Selection:
    """Which customers get a card: ids (any of), and region / owner / category (all of)."""

    customers: tuple[str, ...] = ()
    region: str | None = None
    owner: str | None = None
    category: str | None = None


def build_cards(master: str | Path, output: str | Path, *, schema: Schema | None = None,
                as_of: dt.date | None = None, select: Selection = Selection(), view: View | None = None,
                changes_for: ChangesFor | None = None, pdf: bool = False,
                archived_visits: Sequence[Mapping[str, Any]] = ()) -> CardResult:
    """One 客户资料卡 per selected customer of ``master`` in the workbook ``output``.

    ``view``: the field-visibility filter (confidentiality role; default: everything shown).
    ``changes_for(客户编号)``: the customer's change history (e.g. HistoryStore.changes_for);
    without it 修改记录 comes from the master's 变更记录 sheet. ``pdf``: also write
    output.pdf through LibreOffice when it is installed (a notice otherwise).
    ``archived_visits``: visit records moved to the history store (HistoryStore.archived_visits(),
    archive.yaml visit_history_weeks), listed and counted with the master's."""
    schema = schema or load_schema()
    as_of = as_of.date() if isinstance(as_of, dt.datetime) else (as_of or dt.date.today())
    master, output = Path(master), Path(output)
    tables = read_tables(master, schema)
    add_archived_visits(tables, list(archived_visits), schema.form("visit-record"))
    chosen, notices = select_customers(tables, schema.form("registration"), select)
    notices = [*tables.problems, *notices]
    if not chosen:
        raise NoCustomers(f"总表 {master.name} 中没有符合条件的客户，未生成资料卡")
    figures = compute_figures(master, schema, as_of, archived_visits)
    maker = CardMaker(schema, tables, figures, view or FullView(), changes_for)
    cards = [maker.card(c) for c in chosen]
    path = write_cards(cards, output, created=dt.datetime.combine(as_of, dt.time()), inputs=[master])
    result = CardResult(path, master, as_of, cards, notices=notices)
    if pdf:
        target = path.with_suffix(".pdf")
        problem = render_pdf(path, target)
        result.pdf = None if problem else target
        if problem:
            result.notices.append(problem)
    return result


def select_customers(tables: MasterTables, reg: Form, select: Selection) -> tuple[list[Customer], list[str]]:
    """The selected customers in master order, and a notice per requested id not found."""
    notices = []
    wanted = {norm_id(i): i for i in select.customers if norm_id(i)}
    found = {norm_id(c.id) for c in tables.customers}
    for key, asked in wanted.items():
        if key not in found:
            notices.append(f"总表中没有客户编号 {asked}，已跳过")
    tests = [(k, _canonical(reg, k, v)) for k, v in (("region", select.region), ("owner", select.owner),
                                                      ("category", select.category)) if v]
    out = [c for c in tables.customers
           if (not wanted or norm_id(c.id) in wanted)
           and all(normalize_choice(c.values.get(k)) == v for k, v in tests)]
    return out, notices


def _canonical(reg: Form, key: str, value: str) -> str:
    """A filter value as compared: choice aliases (华东区 → 华东) resolved, NFKC, no spaces."""
    f = reg.field(key)
    text = normalize_choice(value)
    return normalize_choice(f.choice_lookup().get(text, value)) if f.choices else text


def card_paths(output: Path) -> Iterable[Path]:
    return (output, output.with_suffix(".pdf"))
