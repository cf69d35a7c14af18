"""Visit records kept in the history store instead of the master (archive.yaml
``visit_history_weeks``), added back to a loaded master so that follow-ups, the
salesperson figures, plans and cards count every visit."""

from __future__ import annotations

import dataclasses
from typing import Mapping, Sequence

import pandas as pd

from workbook_tools.schema.model import Schema
from workbook_tools.summary.load import MasterData, typed_values


def with_archived_visits(data: MasterData, visits: Sequence[Mapping], schema: Schema) -> MasterData:
    """``data`` with ``visits`` (HistoryStore.archived_visits(): field key → value, dates as
    ISO text) before its own 拜访记录, typed like the loaded columns."""
    if not visits:
        return data
    form = schema.form("visit-record")
    frame = pd.DataFrame({key: typed_values(form.field(key), [v.get(key) for v in visits])
                          for key in data.visits.columns})
    both = pd.concat([frame, data.visits], ignore_index=True) if len(data.visits) else frame
    return dataclasses.replace(data, visits=both, archived_visits=len(visits))
