"""The seeded sample-data generator: realistic clean values, the injected mess exactly
where manifest.json says, and byte-for-byte determinism (including the committed
sample_data/). Files are read back with python-calamine directly."""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import phonenumbers
import pytest
import stdnum.cn.ric
import stdnum.cn.uscc
from click.testing import CliRunner
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_cell_to_rowcol

from workbook_tools.cli import cli
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.sampledata import generate_samples

AS_OF = date(2026, 11, 20)
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
REG, RECORDS, PLANS, TRADES = "客户档案登记表", "客户拜访记录", "客户拜访计划", "客户交易记录"
ALL_KINDS = {
    "title_row", "blank_before_header", "alias_header", "multiline_header", "unknown_column", "footer_row",
    "blank_row", "fullwidth_digits", "text_date", "old_industry_name", "choice_alias", "invalid_id_checksum",
    "invalid_mobile", "id_as_number", "cross_region_conflict", "near_duplicate", "near_duplicate_original",
    "duplicate_row",
}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The committed sample's parameters: 4 regions × 60 customers."""
    return generate_samples(tmp_path_factory.mktemp("small"), customers_per_region=60)


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    return generate_samples(tmp_path_factory.mktemp("default"))


def grid(path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def table(sample, f, sheet: str, form) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """Field key → column index, and (sheet row, values) of the non-blank data rows."""
    rows = grid(f.path, sheet)
    header = f.header_rows[sheet]
    columns = {form.match_header(h): i for i, h in enumerate(rows[header - 1]) if form.match_header(h)}
    data = [(n, r) for n, r in enumerate(rows[header:], header + 1)
            if any(v != "" for v in r) and not str(r[0]).startswith("填表人：")]
    return columns, data


def messy_cells(sample, f, sheet: str) -> set[tuple[int, str]]:
    return {(p.row, p.field) for p in sample.problems(file=f.path.name) if p.sheet == sheet and p.column}


def clean_values(sample, f, sheet: str, form, key: str) -> list:
    """Values of a field in rows where no problem was injected into that cell."""
    columns, data = table(sample, f, sheet, form)
    skip = messy_cells(sample, f, sheet)
    return [r[columns[key]] for n, r in data if (n, key) not in skip and r[columns[key]] != ""]


def gb32100_ok(code: str) -> bool:
    weights = [pow(3, i, 31) for i in range(17)]
    if len(code) != 18 or any(c not in USCC_CHARS for c in code):
        return False
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code, weights))
    return code[-1] == USCC_CHARS[(31 - total % 31) % 31]


# -- files and layout -------------------------------------------------------------------

def test_one_workbook_per_region_with_four_sheets(small, schema):
    names = [p.name for p in small.paths]
    assert names == [f"{r}_客户档案_2026-W47.xlsx" for r in ("华东", "华南", "华北", "西南")]
    titles = [schema.form(k).title for k in ("registration", "visit-record", "visit-plan", "trade")]
    for f in small.files:
        assert CalamineWorkbook.from_path(str(f.path)).sheet_names == titles
        assert f.rows[REG] >= 60 and f.rows[RECORDS] > 0 and f.rows[PLANS] == 15 and f.rows[TRADES] > 60


def test_trades_match_the_registration_rows(small, schema):
    """Every deal belongs to a registered customer and its 负责业务员; a customer's deals add up to
    its typed 交易次数/交易金额 and span its 首次–最近交易日期, except the few whose last deal is not
    entered yet; 回款 follows the 信誉等级 (A pays on time more often than C)."""
    reg, trade = schema.form("registration"), schema.form("trade")
    lagging, customers, paid_late = 0, 0, {"A": [0, 0], "C": [0, 0]}
    for f in small.files:
        rcols, rrows = table(small, f, REG, reg)
        people = {r[rcols["customer_id"]]: r for _, r in rrows}
        tcols, trows = table(small, f, TRADES, trade)
        deals: dict[str, list] = {}
        for _, r in trows:
            deals.setdefault(r[tcols["customer_id"]], []).append(r)
        assert set(deals) <= set(people)
        for cid, rows in deals.items():
            person = people[cid]
            assert {r[tcols["salesperson"]] for r in rows} == {person[rcols["owner"]]}
            typed_count = person[rcols["trade_count"]]
            if not isinstance(typed_count, (int, float)):
                continue   # a messed-up cell
            customers += 1
            total = round(sum(r[tcols["amount"]] for r in rows), 2)
            if len(rows) == typed_count:
                assert total == pytest.approx(person[rcols["trade_amount"]], abs=0.011)
                first, last = person[rcols["first_trade_date"]], person[rcols["last_trade_date"]]
                assert isinstance(first, str) or min(r[tcols["date"]] for r in rows) == first
                assert isinstance(last, str) or max(r[tcols["date"]] for r in rows) == last
            else:
                assert len(rows) == typed_count - 1
                lagging += 1
            grade = paid_late.get(person[rcols["credit"]])
            for r in rows if grade is not None else ():
                due, paid = r[tcols["due_date"]], r[tcols["paid_date"]]
                if due != "" and due < AS_OF:
                    grade[0] += 1
                    grade[1] += paid == "" or paid > due
    assert customers > 150 and 0 < lagging < customers * 0.1
    rate = {k: late / due for k, (due, late) in paid_late.items()}
    assert rate["A"] < 0.2 < 0.5 < rate["C"], rate


def test_header_rows_vary_and_match_schema_order(small, schema):
    form = schema.form("registration")
    assert {f.header_rows[REG] for f in small.files} == {1, 2, 3}
    for f in small.files:
        header = grid(f.path, REG)[f.header_rows[REG] - 1]
        keys = [form.match_header(h) for h in header if h != "微信号"]
        assert keys == form.keys
        assert f.header_rows[RECORDS] == f.header_rows[PLANS] == 1


def test_manifest_json_is_sorted_and_matches_result(small):
    data = json.loads(small.manifest_path.read_text(encoding="utf-8"))
    rows = [(p["file"], p["sheet"], p["row"], p["column"]) for p in data["problems"]]
    assert rows == sorted(rows)
    assert len(data["problems"]) == len(small.manifest)
    assert data["parameters"]["customers_per_region"] == 60


@pytest.mark.parametrize("fixture", ["small", "default"])
def test_every_kind_of_mess_is_present(fixture, request):
    sample = request.getfixturevalue(fixture)
    assert {p.kind for p in sample.manifest} == ALL_KINDS
    assert len(sample.problems("id_as_number")) == 1 and len(sample.problems("unknown_column")) == 1


def test_injected_rows_are_a_small_share(default):
    data_rows = sum(f.rows[REG] for f in default.files)
    rows = {(p.file, p.row) for p in default.manifest if p.sheet == REG and p.kind not in
            ("title_row", "blank_before_header", "alias_header", "multiline_header", "unknown_column", "footer_row")}
    assert 0.02 <= len(rows) / data_rows <= 0.06


# -- the mess is where the manifest says ------------------------------------------------

def test_every_problem_is_where_the_manifest_says(small):
    grids = {}
    for p in small.manifest:
        rows = grids.setdefault((p.file, p.sheet), grid(small.out_dir / p.file, p.sheet))
        row = rows[p.row - 1]
        if p.column:
            value = row[xl_cell_to_rowcol(f"{p.column}1")[1]]
            expected = repr(value) if isinstance(value, float) else str(value)
            assert expected == p.value, p
        elif p.kind in ("blank_row", "blank_before_header"):
            assert all(v == "" for v in row), p
        elif p.kind in ("title_row", "footer_row"):
            assert row[0] == p.value and all(v == "" for v in row[1:]), p
        elif p.kind == "duplicate_row":
            assert row == rows[p.related_row - 1] and row[0] == p.value, p
        else:
            assert p.kind == "near_duplicate_original" and row[1] == p.value, p


def test_title_row_is_merged_and_footer_is_last(small):
    for p in small.problems("title_row"):
        sheet = CalamineWorkbook.from_path(str(small.out_dir / p.file)).get_sheet_by_name(REG)
        width = len(sheet.to_python(skip_empty_area=False)[0])  # every header column, 微信号 included
        assert sheet.merged_cell_ranges == [((0, 0), (0, width - 1))] and "区客户档案登记表（2026年第47周）" in p.value
    for p in small.problems("footer_row"):
        rows = grid(small.out_dir / p.file, REG)
        assert len(rows) == p.row and rows[-1][0].startswith("填表人：") and all(v == "" for v in rows[-2])


def test_id_stored_as_number_is_a_float(small):
    (p,) = small.problems("id_as_number")
    value = grid(small.out_dir / p.file, REG)[p.row - 1][xl_cell_to_rowcol(f"{p.column}1")[1]]
    assert isinstance(value, float) and value > 1e17


def test_bad_ids_and_phones_are_really_bad(small):
    for p in small.problems("invalid_id_checksum"):
        assert len(p.value) == 18 and not stdnum.cn.ric.is_valid(p.value)
        assert stdnum.cn.ric.calc_check_digit(p.value) != p.value[-1]
    for p in small.problems("invalid_mobile"):
        assert re.fullmatch(r"1\d{9}", p.value)
    for p in small.problems("fullwidth_digits"):
        assert p.value != unicodedata.normalize("NFKC", p.value)
        assert phonenumbers.is_valid_number(phonenumbers.parse(unicodedata.normalize("NFKC", p.value), "CN"))
    for p in small.problems("text_date"):
        assert re.fullmatch(r"\d{4}(\.\d{1,2}\.\d{1,2}|年\d{1,2}月\d{1,2}日|/\d{2}/\d{2})", p.value)


def test_aliases_map_back_to_the_schema(small, schema):
    forms = {schema.form(k).title: schema.form(k) for k in ("registration", "visit-record", "visit-plan")}
    for p in small.problems("choice_alias") + small.problems("old_industry_name"):
        field = forms[p.sheet].field(p.field)
        assert p.value not in field.choice_values and field.choice_lookup()[p.value.lower()] in field.choice_values
    for p in small.problems("alias_header") + small.problems("multiline_header"):
        assert forms[p.sheet].match_header(p.value) == p.field
    assert {p.value for p in small.problems("alias_header")} >= {"手机号码", "公司名称", "信用等级"}


def test_customer_in_two_regions_has_conflicting_phone_and_revision(small, schema):
    form = schema.form("registration")
    a, b = small.problems("cross_region_conflict")
    assert a.file != b.file and (a.related_file, a.related_row) == (b.file, b.row)
    rows = []
    for p in (a, b):
        f = next(f for f in small.files if f.path.name == p.file)
        columns, data = table(small, f, REG, form)
        rows.append({k: dict(data)[p.row][i] for k, i in columns.items()})
    assert rows[0]["customer_id"] == rows[1]["customer_id"]
    assert rows[0]["mobile"] != rows[1]["mobile"] and rows[0]["revised"] != rows[1]["revised"]
    assert rows[0]["customer_name"] == rows[1]["customer_name"] and rows[0]["uscc"] == rows[1]["uscc"]


def test_near_duplicate_company(small, schema):
    (p,) = small.problems("near_duplicate")
    f = next(f for f in small.files if f.path.name == p.file)
    columns, data = table(small, f, REG, schema.form("registration"))
    new, old = dict(data)[p.row], dict(data)[p.related_row]
    assert new[columns["uscc"]] == old[columns["uscc"]]
    assert new[columns["customer_id"]] != old[columns["customer_id"]]
    place = re.search(r"（(.+)）", new[columns["customer_name"]])[1]
    assert re.sub(r"（.+）", "", new[columns["customer_name"]]) == old[columns["customer_name"]].removeprefix(place)


# -- clean values are valid and realistic -----------------------------------------------

def test_customer_ids_match_the_schema_pattern(small, schema):
    for key, sheet in (("registration", REG), ("visit-record", RECORDS), ("visit-plan", PLANS)):
        form = schema.form(key)
        pattern = re.compile(form.field("customer_id").pattern)
        for f in small.files:
            columns, data = table(small, f, sheet, form)
            assert all(pattern.match(r[columns["customer_id"]]) for _, r in data)


def test_clean_identity_numbers_are_valid(default, schema):
    form = schema.form("registration")
    for f in default.files:
        ids = clean_values(default, f, REG, form, "id_card")
        assert ids and all(stdnum.cn.ric.is_valid(i) for i in ids)
        assert all(18 <= (AS_OF - stdnum.cn.ric.get_birth_date(i)).days / 365.25 <= 80 for i in ids)
        codes = clean_values(default, f, REG, form, "uscc")
        assert codes and all(gb32100_ok(c) and stdnum.cn.uscc.is_valid(c) for c in codes)


def test_clean_phones_and_codes_are_valid(default, schema):
    form = schema.form("registration")
    postcodes = []
    for f in default.files:
        for mobile in clean_values(default, f, REG, form, "mobile"):
            number = phonenumbers.parse(mobile, "CN")
            assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE, mobile
            assert mobile[:2] in ("13", "15", "18", "19")
        for key in ("phone", "fax"):
            for line in clean_values(default, f, REG, form, key):
                assert phonenumbers.is_valid_number(phonenumbers.parse("-".join(line.split("-")[:2]), "CN")), line
        assert all(re.fullmatch(r"[\w.-]+@[\w-]+(\.[\w-]+)+", e) for e in clean_values(default, f, REG, form, "email"))
        postcodes += clean_values(default, f, REG, form, "postal_code")
    assert all(re.fullmatch(r"\d{6}", p) for p in postcodes) and any(p.startswith("0") for p in postcodes)


def test_clean_choices_come_from_the_schema(default, schema):
    form = schema.form("registration")
    for field in form.fields:
        if field.type == "choice":
            for f in default.files:
                assert set(clean_values(default, f, REG, form, field.key)) <= set(field.choice_values), field.key


def test_dates_and_trades_are_consistent(default, schema):
    form = schema.form("registration")
    for f in default.files:
        columns, data = table(default, f, REG, form)
        for _, r in data:
            v = {k: r[i] for k, i in columns.items()}
            if not all(isinstance(v[k], date) for k in ("created", "revised")):
                continue  # a date typed as text (listed in the manifest)
            assert v["created"] <= v["revised"] <= AS_OF
            first, last = v["first_trade_date"], v["last_trade_date"]
            if isinstance(first, date) and isinstance(last, date):
                assert v["created"] <= first <= last <= AS_OF and v["trade_count"] > 0
            elif v["trade_count"] == 0:
                assert first == last == ""


def test_realistic_distribution(default, schema):
    form = schema.form("registration")
    for f in default.files:
        columns, data = table(default, f, REG, form)
        people = sum(r[columns["customer_type"]] == "个人" for _, r in data)
        assert 0.08 <= people / len(data) <= 0.25
        amounts = sorted((r[columns["trade_amount"]] for _, r in data), reverse=True)
        assert sum(amounts[: len(amounts) // 10]) > 0.5 * sum(amounts)
        assert sum(r[columns["contact_cycle"]] == "" for _, r in data) > 0.8 * len(data)
        assert len({r[columns["owner"]] for _, r in data}) >= 3


def test_visit_records_and_plans_are_consistent(default, schema):
    plan, record = schema.form("visit-plan"), schema.form("visit-record")
    for f in default.files:
        columns, data = table(default, f, PLANS, plan)
        done = [r for _, r in data if r[columns["status"]] == "已完成"]
        assert done and all(r[columns["result"]] for r in done)
        assert all(r[columns["actual_date"]] <= AS_OF for r in done if isinstance(r[columns["actual_date"]], date))
        assert {r[columns["status"]] for _, r in data} <= set(plan.field("status").choice_values)
        columns, data = table(default, f, RECORDS, record)
        assert all(r[columns["date"]] <= AS_OF for _, r in data if isinstance(r[columns["date"]], date))


# -- determinism, options, CLI ----------------------------------------------------------

def test_committed_sample_data_is_reproducible(tmp_path):
    params = json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))["parameters"]
    result = generate_samples(tmp_path, seed=params["seed"], regions=params["regions"],
                              customers_per_region=params["customers_per_region"], week=params["week"],
                              messy=params["messy"], files_per_region=params["files_per_region"])
    for path in [*result.paths, result.manifest_path]:
        assert path.read_bytes() == (SAMPLE_DIR / path.name).read_bytes(), (
            f"sample_data/{path.name} drifted: regenerate it with the command in sample_data/README.md")


def test_same_parameters_same_bytes_in_any_number_of_processes(tmp_path):
    kwargs = dict(regions=["华东", "华南"], customers_per_region=30)
    one = generate_samples(tmp_path / "one", workers=1, **kwargs)
    two = generate_samples(tmp_path / "two", workers=2, **kwargs)
    other = generate_samples(tmp_path / "other", seed=7, **kwargs)
    for a, b, c in zip(one.paths, two.paths, other.paths):
        assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    assert one.manifest_path.read_bytes() == two.manifest_path.read_bytes()


def test_clean_option_injects_nothing(tmp_path):
    result = generate_samples(tmp_path, regions=["华中", "DB"], customers_per_region=20, messy=False)
    assert result.manifest == () and [f.region for f in result.files] == ["华中", "东北"]
    assert all(set(f.header_rows.values()) == {1} and f.rows[REG] == 20 for f in result.files)


def test_big_files_use_constant_memory(tmp_path, schema):
    result = generate_samples(tmp_path, regions=["西北"], customers_per_region=2100, files_per_region=2)
    assert [p.name for p in result.paths] == ["西北_客户档案_2026-W47_01.xlsx", "西北_客户档案_2026-W47_02.xlsx"]
    for f in result.files:
        assert "xl/sharedStrings.xml" not in zipfile.ZipFile(f.path).namelist()
        columns, data = table(result, f, REG, schema.form("registration"))
        assert len(data) == f.rows[REG] >= 2100
    ids = [set(r[0] for _, r in table(result, f, REG, schema.form("registration"))[1]) for f in result.files]
    assert len(ids[0] & ids[1]) == 1  # only the customer kept in two files (cross_region_conflict)
    for sheet, form, key, prefix in ((RECORDS, "visit-record", "record_id", "XB0{}-JL-"),
                                     (PLANS, "visit-plan", "plan_id", "XB0{}-JH-")):
        numbers = []
        for f in result.files:
            columns, data = table(result, f, sheet, schema.form(form))
            numbers.append([r[columns[key]] for _, r in data])
        for part, found in enumerate(numbers, 1):  # each file numbers its own series
            assert found and all(str(n).startswith(prefix.format(part)) for n in found)
        assert not set(numbers[0]) & set(numbers[1])


def test_bad_parameters_are_refused_in_chinese(tmp_path):
    with pytest.raises(WorkbookToolsError, match="未知的区域"):
        generate_samples(tmp_path, regions=["火星"])
    with pytest.raises(WorkbookToolsError, match="周次"):
        generate_samples(tmp_path, week="2026-W60")


def test_cli_reports_each_file(tmp_path):
    result = CliRunner().invoke(cli, ["sample", str(tmp_path), "--customers", "12", "--regions", "华东，HN"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("已生成") and "华东_客户档案_2026-W47.xlsx：客户档案登记表" in lines[0]
    assert "客户拜访记录" in lines[1] and lines[2].startswith("问题清单：")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", "华东_客户档案_2026-W47.xlsx",
                                                          "华南_客户档案_2026-W47.xlsx"]


def test_visit_scale_multiplies_the_visit_records(tmp_path):
    """The one-million benchmark asks for 3 visit records a customer (visit_scale ≈ 4.2)."""
    counts = {}
    for scale in (1.0, 4.2):
        folder = tmp_path / f"v{scale}"
        result = generate_samples(folder, regions=["华东"], customers_per_region=400, messy=False,
                                  visit_scale=scale)
        book = CalamineWorkbook.from_path(str(result.paths[0]))
        sheet = next(name for name in book.sheet_names if "拜访记录" in name)
        rows = book.get_sheet_by_name(sheet).to_python()
        counts[scale] = sum(1 for row in rows if str(row[0]).startswith("HD-JL-"))
        params = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["parameters"]
        assert params.get("visit_scale", 1.0) == scale
    assert 0.5 * 400 < counts[1.0] < 0.9 * 400
    assert 3.7 < counts[4.2] / counts[1.0] < 4.7
