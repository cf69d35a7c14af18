"""`weekly init DIR`: a commented archive.yaml that loads, salespeople from the files given,
incoming/ created, next steps printed; mistakes made while editing it still get file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli, main
from workbook_tools.errors import SchemaError
from workbook_tools.io.reader import read_workbook
from workbook_tools.merge.files import merge_files
from workbook_tools.sampledata import generate_samples
from workbook_tools.weekly import KEYS, load_config
from workbook_tools.weekly import init as init_module
from workbook_tools.weekly.init import INIT_VALUES, init_archive


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    folder = tmp_path_factory.mktemp("samples")
    generate_samples(folder / "incoming", regions=["华东", "华南"], customers_per_region=12,
                     manifest=folder / "manifest.json")
    return folder / "incoming"


def owners(path: Path, schema) -> set[str]:
    table = read_workbook(path, schema, form="registration").sheets[0]
    return {table.value(r, "owner") for r in table.records if table.value(r, "owner")}


def run(*args):
    return CliRunner().invoke(cli, ["weekly", "init", *map(str, args)])


def test_init_writes_commented_config_that_loads(samples, tmp_path, schema):
    folder = tmp_path / "客户档案"
    result = run(folder, "--regions", "华东,华南,东北", "--from", samples)
    assert result.exit_code == 0, result.output
    cfg = load_config(folder)
    east, south = (owners(samples / f"{r}_客户档案_2026-W47.xlsx", schema) for r in ("华东", "华南"))
    assert cfg.regions == ("华东", "华南", "东北")
    assert cfg.salespeople == {"华东": tuple(sorted(east)), "华南": tuple(sorted(south)), "东北": ()}
    assert cfg.contact_cycles == schema.settings["contact_cycles"]
    assert cfg.purchase_cycles == schema.settings["purchase_cycles"]
    assert (cfg.incoming, cfg.previous, cfg.output, cfg.ignore) == (folder / "incoming", None, folder / "output", ())
    assert (folder / "incoming").is_dir() and not list((folder / "incoming").iterdir())
    lines = result.output.splitlines()
    assert lines[0] == f"已写出 {folder / 'archive.yaml'}：区域 华东、华南、东北"
    assert lines[1] == f"  华东 业务员 {len(east)} 人：{'、'.join(sorted(east))}"
    assert "  东北 业务员 0 人：（待填写）" in lines
    assert f"已建立文件夹 {folder / 'incoming'}" in lines
    assert "  1. 打开 archive.yaml 核对区域和业务员名单（东北 还没有业务员），需要时修改联系周期和购买周期；" in lines
    assert f"  3. 运行 workbook-tools weekly {folder}，结果写到 {folder / 'output'}/<年>-W<周>/。" in lines


def test_every_key_is_written_after_its_explanation(samples, tmp_path):
    text = init_archive(tmp_path, regions=["华东"], sources=[samples]).config.read_text(encoding="utf-8")
    lines = text.splitlines()
    for key, (required, explanation) in KEYS.items():
        at = next(i for i, line in enumerate(lines) if re.match(rf"(# )?{key}:", line))
        comments = []
        for line in reversed(lines[:at]):
            if not line.startswith("# "):
                break
            comments.insert(0, line[2:])
        written = " ".join(comments).split()  # wrapped at spaces or between Chinese characters
        assert "".join(written) == "".join((("必需。" if required else "可选。") + explanation).split()), key
        assert lines[at].startswith("# ") == (key in ("schema", "history", "visit_history_weeks")), key  # examples, commented out
    assert "  华东: [" in text and "# schema: my_schema.yaml" in text
    assert set(INIT_VALUES) <= set(KEYS)


def test_a_new_key_without_an_init_value_is_written_commented_out(tmp_path, monkeypatch):
    monkeypatch.setitem(init_module.KEYS, "archive_owner", (False, "档案管理员"))
    text = init_archive(tmp_path, regions=["华东"]).config.read_text(encoding="utf-8")
    assert text.endswith("# 可选。档案管理员\n# archive_owner:\n")
    monkeypatch.undo()
    assert load_config(tmp_path).salespeople == {"华东": ()}
    assert "  华东: []  # 请填写该区域业务员的姓名\n" in text


def test_edited_mistakes_still_report_file_and_line(samples, tmp_path):
    config = init_archive(tmp_path, regions=["华东", "华南"], sources=[samples]).config
    text = config.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = lines.index("max_per_day: 6") + 1
    config.write_text(text.replace("max_per_day: 6", "max_per_dya: 6"), encoding="utf-8")
    with pytest.raises(SchemaError, match=rf"archive.yaml:{line}: archive.yaml中有未知的键“max_per_dya”"):
        load_config(tmp_path)
    line = lines.index("regions: [华东, 华南]") + 1
    config.write_text(text.replace("regions: [华东, 华南]", "regions: [华东, 火星]"), encoding="utf-8")
    with pytest.raises(SchemaError, match=rf"archive.yaml:{line}: “regions”中的“火星”不是已知区域"):
        load_config(tmp_path)
    line = lines.index("ignore: []") + 1
    config.write_text(text.replace("ignore: []", "ignore: 说明.txt"), encoding="utf-8")
    with pytest.raises(SchemaError, match=rf"archive.yaml:{line}: “ignore”应当是文件名模式的列表"):
        load_config(tmp_path)


def test_regions_and_salespeople_from_a_master(samples, tmp_path, schema):
    master = merge_files([samples], tmp_path / "客户档案总表.xlsx").output
    plan = init_archive(tmp_path / "新档案", sources=[master]).plan
    assert plan.regions == ("华东", "华南") and plan.sources == [master]
    found = {name for names in plan.salespeople.values() for name in names}
    assert found == owners(samples / "华东_客户档案_2026-W47.xlsx", schema) | \
        owners(samples / "华南_客户档案_2026-W47.xlsx", schema)


def test_files_already_in_incoming_are_used(samples, tmp_path):
    folder = tmp_path / "档案"
    (folder / "incoming").mkdir(parents=True)
    (folder / "incoming" / "华南.xlsx").write_bytes((samples / "华南_客户档案_2026-W47.xlsx").read_bytes())
    (folder / "incoming" / "说明.txt").write_text("不是工作簿", encoding="utf-8")
    result = run(folder)
    assert result.exit_code == 0, result.output
    assert load_config(folder).regions == ("华南",)
    assert "  业务员名单取自 1 个文件：华南.xlsx" in result.output.splitlines()
    assert f"已有文件夹 {folder / 'incoming'}" in result.output


def test_a_company_schema_is_used_and_recorded(tmp_path):
    ROOT = Path(__file__).resolve().parents[1]
    text = (ROOT / "templates" / "archive_schema.yaml").read_text(encoding="utf-8")
    custom = tmp_path / "公司" / "my_schema.yaml"
    custom.parent.mkdir()
    custom.write_text(text.replace("contact_cycles: {重要客户: 7,", "contact_cycles: {重要客户: 5,", 1), encoding="utf-8")
    folder = tmp_path / "档案"
    result = run(folder, "--regions", "华东", "--schema", custom)
    assert result.exit_code == 0, result.output
    written = (folder / "archive.yaml").read_text(encoding="utf-8")
    assert "\nschema: ../公司/my_schema.yaml\n" in written and "contact_cycles: {重要客户: 5," in written
    cfg = load_config(folder)
    assert cfg.contact_cycles["重要客户"] == 5 and cfg.schema.settings["contact_cycles"]["重要客户"] == 5


def test_refusals_are_one_chinese_line(tmp_path, capsys, samples):
    folder = tmp_path / "档案"
    for args, message in [
        ([], "错误：请用 --regions 指定参与汇总的区域，如 --regions 华东,华南\n"),
        (["--regions", "华东,火星"], "错误：“火星”不是已知区域（可用："),
    ]:
        with pytest.raises(SystemExit) as exc:
            main(["weekly", "init", str(folder), *args])
        assert exc.value.code == 2 and capsys.readouterr().err.startswith(message)
        assert not folder.exists()
    assert run(folder, "--regions", "华东").exit_code == 0
    before = (folder / "archive.yaml").read_bytes()
    with pytest.raises(SystemExit) as exc:
        main(["weekly", "init", str(folder), "--regions", "华南"])
    assert exc.value.code == 2 and "已存在，未做任何修改；如要重新生成，请加 --force" in capsys.readouterr().err
    assert (folder / "archive.yaml").read_bytes() == before
    assert run(folder, "--regions", "华南", "--force").exit_code == 0
    assert load_config(folder).regions == ("华南",)


def test_weekly_without_init_still_runs_the_week(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["weekly", str(tmp_path)])  # `weekly DIR` is `weekly run DIR`
    assert exc.value.code == 2 and "找不到配置文件" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["weekly"])
    assert exc.value.code == 2 and capsys.readouterr().err.endswith("错误：缺少参数 目录\n")
