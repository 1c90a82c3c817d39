"""Plausible Chinese names for demo data, drawn from a seeded random generator."""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志宏海波丹宁斌健鑫浩宇凯晨阳欣怡佳俊峰文博雪梅琳婷飞鹏龙云帆"
PLACE_WORDS = [
    "华东",
    "鑫盛",
    "恒泰",
    "宏达",
    "金源",
    "新瑞",
    "永丰",
    "嘉禾",
    "天成",
    "中宇",
    "博远",
    "正通",
    "海川",
    "汇隆",
    "德昌",
    "锦程",
    "安达",
    "精诚",
    "荣辉",
    "凯旋",
    "众合",
    "同创",
    "兴业",
    "长青",
    "昊天",
    "广源",
    "旭日",
    "明辉",
    "康宁",
    "富强",
    "万通",
    "瑞丰",
    "隆盛",
    "佳信",
    "华宇",
    "东升",
]
CORE_WORDS = [
    "精密",
    "机械",
    "五金",
    "电子",
    "塑胶",
    "包装",
    "纺织",
    "服饰",
    "家具",
    "木业",
    "建材",
    "新材料",
    "模具",
    "铸造",
    "金属制品",
    "化工",
    "涂料",
    "印刷",
    "食品",
    "冷链",
    "物流",
    "汽配",
    "电器",
    "光电",
    "环保科技",
    "机电",
    "钢结构",
    "不锈钢",
    "铝业",
    "医疗器械",
]
SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "制品厂", "加工厂", "科技有限公司"]
OFFICE_NAMES = [
    "东城办事处",
    "西城街道",
    "滨湖办事处",
    "北园街道",
    "南湖办事处",
    "高新街道",
    "临港办事处",
    "新城街道",
]
VILLAGE_WORDS = [
    "杨桥",
    "石塘",
    "河西",
    "凤凰",
    "朝阳",
    "长兴",
    "新民",
    "永安",
    "金桥",
    "桃园",
    "柳营",
    "白马",
    "青山",
    "双桥",
    "红星",
    "大观",
    "前进",
    "太平",
    "和平",
    "东方",
    "兴隆",
    "龙湾",
]
STREETS = [
    "纬一路",
    "纬二路",
    "纬三路",
    "经一路",
    "经五路",
    "工业大道",
    "创业路",
    "科技路",
    "园区大道",
    "兴业路",
    "滨河路",
    "长江路",
    "黄河路",
]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def phone(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "136", "158", "186", "189", "151"])
        + f"{rng.randrange(10**8):08d}"
    )


def company(rng: random.Random, core: str | None = None) -> str:
    place = rng.choice(PLACE_WORDS) + rng.choice(["", "", rng.choice(PLACE_WORDS)])
    return place + (core or rng.choice(CORE_WORDS)) + rng.choice(SUFFIXES)


def address(rng: random.Random, office: str) -> str:
    return f"{office.rstrip('办事处街道')}{rng.choice(STREETS)}{rng.randrange(1, 400)}号"
