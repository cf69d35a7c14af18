"""A legacy register to adopt (demo, README): the public CRM import template's layout
(名称, 联系人, 电话, 邮箱, 微信, 地址, 类型, 区域, 需求, 备注) with 区域 as place names
(上海浦东), saved as Excel on Chinese Windows saves CSV (GBK). Seeded and synthetic."""

from __future__ import annotations

import csv
import random
from pathlib import Path

HEADER = ["名称", "联系人", "电话", "邮箱", "微信", "地址", "类型", "区域", "需求", "备注"]
PLACES = [("上海市浦东新区", "上海浦东"), ("上海市闵行区", "上海闵行"), ("江苏省南京市鼓楼区", "南京"),
          ("浙江省杭州市西湖区", "杭州"), ("江苏省苏州市工业园区", "苏州"), ("山东省青岛市市南区", "青岛")]
TRADES = ["精密机械", "商贸", "电子科技", "食品", "包装材料", "物流"]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰"]
NEEDS = ["ERP 选型", "年度框架采购", "试用样品", "", ""]


def write_legacy_register(path: str | Path, *, rows: int = 10, seed: int = 2026) -> Path:
    """Write the legacy CSV (GBK) and return its path."""
    rng = random.Random(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = [HEADER]
    for i in range(rows):
        street, area = rng.choice(PLACES)
        person = rng.choice(SURNAMES) + rng.choice(GIVEN)
        company = i % 4 != 3
        name = f"{area[:2]}{rng.choice(TRADES)}示例{i + 1:02d}有限公司" if company else person
        phone = f"13{rng.randint(100000000, 999999999)}" if i % 3 else f"021-{rng.randint(20000000, 69999999)}"
        out.append([name, person, phone, f"contact{i + 1}@example.com" if i % 2 else "", f"wx_{i + 1:03d}",
                    f"{street}示例路{rng.randint(1, 300)}号", "公司" if company else "个人", area,
                    rng.choice(NEEDS), "老客户" if i % 5 == 0 else ""])
    with open(path, "w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows(out)
    return path
