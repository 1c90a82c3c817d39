"""Accident types a hazard could lead to (GB 6441), both editions.

GB 6441-2025《生产安全事故分类与编码》 (in force 2026-07-01, mandatory) codes its 27 basic
types WSA10001–WSA10026 and WSA10099; names and order are [V], codes [S] (domain/GB6441.md
§2.2). GB 6441-1986 (in force 1987-02-01) had 20 categories numbered 01–020 [V]; they are kept
as "1986-NN" so records made before the change keep the category they were given. No official
crosswalk exists between the two, so none is applied.
"""

import datetime

# GB 6441-2025 took effect on this date (GB6441.md §1, [V]).
EDITION_2025_FROM = datetime.date(2026, 7, 1)

GB6441_2025 = [
    ("WSA10001", "物体打击"), ("WSA10002", "厂（场）内车辆致害"),
    ("WSA10003", "道路（轨道）车辆致害"), ("WSA10004", "机械致害"), ("WSA10005", "起重致害"),
    ("WSA10006", "触电"), ("WSA10007", "淹溺"), ("WSA10008", "灼烫"), ("WSA10009", "火灾"),
    ("WSA10010", "高处坠落"), ("WSA10011", "跌落"), ("WSA10012", "坍塌"), ("WSA10013", "水害"),
    ("WSA10014", "容器爆炸"), ("WSA10015", "管道爆炸"), ("WSA10016", "可燃气体爆炸"),
    ("WSA10017", "可燃液体蒸气爆炸"), ("WSA10018", "粉尘爆炸"), ("WSA10019", "民用爆炸物品爆炸"),
    ("WSA10020", "烟花爆竹爆炸"), ("WSA10021", "其他可燃固体爆炸"), ("WSA10022", "高温熔融物爆炸"),
    ("WSA10023", "中毒"), ("WSA10024", "窒息"), ("WSA10025", "滑坡"), ("WSA10026", "泄漏"),
    ("WSA10099", "其他"),
]  # fmt: skip

GB6441_1986 = [
    ("1986-01", "物体打击"), ("1986-02", "车辆伤害"), ("1986-03", "机械伤害"),
    ("1986-04", "起重伤害"), ("1986-05", "触电"), ("1986-06", "淹溺"), ("1986-07", "灼烫"),
    ("1986-08", "火灾"), ("1986-09", "高处坠落"), ("1986-10", "坍塌"), ("1986-11", "冒顶片帮"),
    ("1986-12", "透水"), ("1986-13", "放炮"), ("1986-14", "火药爆炸"), ("1986-15", "瓦斯爆炸"),
    ("1986-16", "锅炉爆炸"), ("1986-17", "容器爆炸"), ("1986-18", "其他爆炸"),
    ("1986-19", "中毒和窒息"), ("1986-20", "其他伤害"),
]  # fmt: skip

# Code -> name, both editions.
NAMES = dict(GB6441_2025 + GB6441_1986)

CHOICES = [
    ("GB 6441-2025", GB6441_2025),
    ("GB 6441-1986", GB6441_1986),
]


def edition_for(day: datetime.date) -> list[tuple[str, str]]:
    """The list to offer for a hazard found on `day`."""
    return GB6441_2025 if day >= EDITION_2025_FROM else GB6441_1986
