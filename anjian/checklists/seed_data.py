"""The checklists of RULES.md §5 as plain data, and the functions a migration loads them with.

Only items whose wording RULES.md actually gives are here. Items it marks TODO ("load from
the official text") are not invented: each checklist's `note` names the articles still to
load. `applies_to` is mapped to the registry's codes (enterprises.models Sector and Tag):
sector:工贸 → the eight 工贸 sectors, industry:冶金 → metallurgy, sector:危险化学品 →
hazardous_chemicals (the platform has no separate 化工 sector), 烟花爆竹 → fireworks,
tag:粉尘涉爆 → dust_explosion, 涉氨制冷 → ammonia_refrigeration, 有限空间 → confined_space,
金属冶炼 → metal_smelting. Fire items (GB 35181) and the general double-random list apply to
every enterprise (empty sectors and tags).

`load(apps)` and `unload(apps)` take the migration's historical app registry, so a later
change to the models does not break the migration that calls them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

# The 工贸 sectors of 应急管理部令第10号 (arts 4–10 and the commerce/trade enterprises of art 3).
TRADE_SECTORS = [
    "metallurgy",
    "nonferrous",
    "building_materials",
    "machinery",
    "light_industry",
    "textile",
    "tobacco",
    "commerce",
]

MAJOR_DIRECT = "major_direct"
MAJOR_COMBINED = "major_combined"
GENERAL = "general"

STANDARDS: list[dict[str, Any]] = [
    {
        "code": "MEM-10-2023",
        "title": "工贸企业重大事故隐患判定标准",
        "doc_no": "应急管理部令第10号",
        "effective_on": datetime.date(2023, 5, 15),
        "note": (
            "代替安监总管四〔2017〕129号。"
            "危化品、消防、燃气、特种设备方面另有规定的适用其规定（第二条）。"
            "第十四条：监控、报警、防护等设施装置失效或无效的均判定为重大事故隐患。"
        ),
    },
    {
        "code": "SAWS-121-2017-CHEM",
        "title": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
        "doc_no": "安监总管三〔2017〕121号",
        "effective_on": None,
        "note": "",
    },
    {
        "code": "SAWS-121-2017-FW",
        "title": "烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）",
        "doc_no": "安监总管三〔2017〕121号",
        "effective_on": None,
        "note": "",
    },
    {
        "code": "GB35181",
        "title": "重大火灾隐患判定方法",
        "doc_no": "GB 35181-2017",
        "effective_on": None,
        "note": "须核实 GB 35181-2025 是否已代替 GB 35181-2017（未核实）。",
    },
]

CN_NUMERALS = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """1–99 in Chinese numerals, as the standards number their items."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else CN_NUMERALS[tens - 1])
        + "十"
        + (CN_NUMERALS[ones - 1] if ones else "")
    )


def _numbered(prefix: str, texts: list[str], verification: str) -> list[dict[str, Any]]:
    """Items of a standard that numbers them 一 to 二十 (the 2017 chemicals and fireworks lists)."""
    return [
        {
            "code": f"{prefix}-{n:02d}",
            "text": text,
            "clause": f"第{_cn(n)}项",
            "verification": verification,
        }
        for n, text in enumerate(texts, start=1)
    ]


CHEMICAL_TEXTS = [
    "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格",
    "特种作业人员未持证上岗",
    "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求",
    "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、紧急停车系统未投入使用",
    "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级、二级重大危险源的危险化学品罐区未配备独立的安全仪表系统",
    "全压力式液化烃储罐未按国家标准设置注水措施",
    "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统",
    "光气、氯气等剧毒气体及硫化氢气体管道穿越除厂区（包括化工园区、工业园区）外的公共区域",
    "地区架空电力线路穿越生产区且不符合国家标准要求",
    "在役化工装置未经正规设计且未进行安全设计诊断",
    "使用淘汰落后安全技术工艺、设备目录列出的工艺、设备",
    "涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家标准安装使用防爆电气设备",
    "控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足国家标准关于防火防爆的要求",
    "化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源",
    "安全阀、爆破片等安全附件未正常投用",
    "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度",
    "未制定操作规程和工艺控制指标",
    "未按照国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度未有效执行",
    "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产；国内首次使用的化工工艺未经过省级人民政府有关部门组织的安全可靠性论证；新建装置未制定试生产方案投料开车；精细化工企业未按规范性文件要求开展反应安全风险评估",
    "未按国家标准分区分类储存危险化学品，超量、超品种储存危险化学品，相互禁配物质混放混存",
]

FIREWORKS_TEXTS = [
    "主要负责人、安全生产管理人员未依法经考核合格",
    "特种作业人员未持证上岗，作业人员带药检维修设备设施",
    "职工自行携带工器具、机器设备进厂进行涉药作业",
    "工（库）房实际作业人员数量超过核定人数",
    "工（库）房实际滞留、存储药量超过核定药量",
    "工（库）房内、外部安全距离不足，防护屏障缺失或者不符合要求",
    "防静电、防火、防雷设备设施缺失或者失效",
    "擅自改变工（库）房用途或者违规私搭乱建",
    "工厂围墙缺失或者分区设置不符合国家标准",
    "将氧化剂、还原剂同库储存、违规预混或者在同一工房内粉碎、称量",
    "在用涉药机械设备未经安全性论证或者擅自更改、改变用途",
    "中转库、药物总库和成品总库的存储能力与设计产能不匹配",
    "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度",
    "出租、出借、转让、买卖、冒用或者伪造许可证",
    "生产经营的产品种类、危险等级超许可范围或者生产使用违禁药物",
    "分包转包生产线、工房、库房组织生产经营",
    "一证多厂或者多股东各自独立组织生产经营",
    "许可证过期、整顿改造、恶劣天气等停产停业期间组织生产经营",
    "烟花爆竹仓库存放其它爆炸物等危险物品或者生产经营违禁超标产品",
    "零售点与居民居住场所设置在同一建筑物内或者在零售场所使用明火",
]

# The general double-random list (Shiquan County list, [S]); the clause is the article of
# the Safety Law (or of the 2019 emergency regulation) that the item checks, where it names one.
GENERAL_ITEMS = [
    ("安全生产责任制和规章制度、操作规程制定与执行", ""),
    ("安全投入、劳动防护用品和培训经费保障", ""),
    ("安全生产管理机构设置与管理人员配备（安全生产法第二十四条）", "安全生产法第二十四条"),
    ("从业人员教育培训计划、实施与档案", ""),
    ("事故隐患排查治理制度、台账、通报与重大隐患报告（第四十一条）", "安全生产法第四十一条"),
    ("安全风险分级管控制度与措施（第四十一条）", "安全生产法第四十一条"),
    (
        "应急预案编制、评审、备案、演练（第八十一条；条例第八条）",
        "安全生产法第八十一条；生产安全事故应急条例第八条",
    ),
    ("发包出租管理与安全生产管理协议", ""),
    ("危险作业（爆破、吊装、动火、临时用电）现场专人管理（第四十三条）", "安全生产法第四十三条"),
    ("生产经营场所与员工宿舍距离及安全出口（第四十二条）", "安全生产法第四十二条"),
    ("安全警示标志、安全设备维护检测、监控报警设施完好（第九十九条）", "安全生产法第九十九条"),
    ("餐饮等使用燃气场所可燃气体报警装置（第九十九条(八)）", "安全生产法第九十九条第（八）项"),
    ("特种作业人员持证", ""),
    ("事故教训吸取与整改措施落实", ""),
]

# Each checklist: its items carry text, clause, verification and (optionally) item-level tags.
# A checklist whose `items` is empty gets no version: there is nothing to publish until the
# articles named in its note are loaded from the official text.
CHECKLISTS: list[dict[str, Any]] = [
    {
        "code": "TG-MGMT",
        "title": "工贸企业重大事故隐患：管理类（第三条）",
        "standard": "MEM-10-2023",
        "clause": "第三条",
        "sectors": TRADE_SECTORS,
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": ("第十四条另规定：监控、报警、防护等设施装置失效或无效的均判定为重大事故隐患。"),
        "items": [
            {
                "code": "TG-3-1",
                "text": "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查的",
                "verification": "S",
            },
            {
                "code": "TG-3-2",
                "text": "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的",
                "verification": "S",
            },
            {
                "code": "TG-3-3",
                "text": "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格的",
                "verification": "S",
                "tags": ["metal_smelting"],
            },
        ],
    },
    {
        "code": "TG-METAL",
        "title": "工贸企业重大事故隐患：冶金（第四条）",
        "standard": "MEM-10-2023",
        "clause": "第四条",
        "sectors": ["metallurgy"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": (
            "第四条其余各项（高炉、炉顶放散阀、煤气柜、一氧化碳监测、水封式排水器等）"
            "尚待依官方文本录入；TG-4-4 的表述不完整，须依官方文本补全。"
        ),
        "items": [
            {
                "code": "TG-4-1",
                "text": "会议室、活动室、休息室、操作室、交接班室、更衣室（含澡堂）等6类人员聚集场所，以及钢铁水罐冷（热）修工位设置在铁水、钢水、液渣吊运跨的地坪区域内的",
                "verification": "S",
            },
            {
                "code": "TG-4-2",
                "text": "生产期间冶炼、精炼和铸造生产区域的事故坑、炉下渣坑，以及熔融金属泄漏和喷溅影响范围内的炉前平台、炉基区域、厂房内吊运和地面运输通道等6类区域存在积水的",
                "verification": "S",
            },
            {
                "code": "TG-4-3",
                "text": "炼钢连铸流程未设置事故钢水罐、中间罐漏钢坑（槽）、中间罐溢流坑（槽）、漏钢回转溜槽，或者模铸流程未设置事故钢水罐（坑、槽）的",
                "verification": "S",
            },
            {
                "code": "TG-4-4",
                "text": "转炉、电弧炉、AOD炉、LF炉、RH炉、VOD炉等炼钢炉的水冷元件未设置出水温度、进出水流量差等监测报警装置，或者监测报警装置未与炉体倾动、氧（副）枪自动提升、电极自动断电和升起…联锁的",
                "verification": "S-partial",
            },
        ],
    },
    {
        "code": "TG-NONFERROUS",
        "title": "工贸企业重大事故隐患：有色（第五条）",
        "standard": "MEM-10-2023",
        "clause": "第五条",
        "sectors": ["nonferrous"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": (
            "第五条全部条目尚待依官方文本录入"
            "（关键词：熔融金属吊运/铸造、铝加工深井铸造、结晶器、砷化氢等）。"
        ),
        "items": [],
    },
    {
        "code": "TG-BUILDMAT",
        "title": "工贸企业重大事故隐患：建材（第六条）",
        "standard": "MEM-10-2023",
        "clause": "第六条",
        "sectors": ["building_materials"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": "",
        "items": [
            {
                "code": "TG-6-1",
                "text": "煤磨袋式收尘器、煤粉仓未设置温度和固定式一氧化碳浓度监测报警装置，或者未设置气体灭火装置的",
                "verification": "S",
            },
            {
                "code": "TG-6-2",
                "text": "筒型储库人工清库作业未落实清库方案中防止高处坠落、坍塌等安全措施的",
                "verification": "S",
            },
            {
                "code": "TG-6-3",
                "text": "水泥企业电石渣原料筒型储库未设置固定式可燃气体浓度监测报警装置，或者监测报警装置未与事故通风装置联锁的",
                "verification": "S",
            },
            {
                "code": "TG-6-4",
                "text": "进入筒型储库、焙烧窑、预热器旋风筒、分解炉、竖炉、篦冷机、磨机、破碎机前，未对可能意外启动的设备和涌入的物料、高温气体、有毒有害气体等采取隔离措施，或者未落实防止高处坠落、坍塌等安全措施的",
                "verification": "S",
            },
            {
                "code": "TG-6-5",
                "text": "采用预混燃烧方式的燃气窑炉（热发生炉煤气窑炉除外）的燃气总管未设置管道压力监测报警装置，或者监测报警装置未与紧急自动切断装置联锁的",
                "verification": "S",
            },
            {
                "code": "TG-6-6",
                "text": "制氢站、氮氢保护气体配气间、燃气配气间等3类场所未设置固定式可燃气体浓度监测报警装置的",
                "verification": "S",
            },
            {"code": "TG-6-7", "text": "电熔制品电炉的水冷设备失效的", "verification": "S"},
            {
                "code": "TG-6-8",
                "text": "玻璃窑炉、玻璃锡槽等设备未设置水冷和风冷保护系统的监测报警装置的",
                "verification": "S",
            },
        ],
    },
    {
        "code": "TG-MACHINERY",
        "title": "工贸企业重大事故隐患：机械（第七条）",
        "standard": "MEM-10-2023",
        "clause": "第七条",
        "sectors": ["machinery"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": (
            "第七条其余各项（造型地坑/浇注作业坑积水、压铸机、熔融金属转运通道等）"
            "尚待依官方文本录入。"
        ),
        "items": [
            {
                "code": "TG-7-1",
                "text": "会议室、活动室、休息室、更衣室、交接班室等5类人员聚集场所设置在熔融金属吊运跨或者浇注跨的地坪区域内的",
                "verification": "S",
            },
            {
                "code": "TG-7-2",
                "text": "铸造用熔炼炉、精炼炉、保温炉未设置紧急排放和应急储存设施的",
                "verification": "S",
            },
        ],
    },
    {
        "code": "TG-LIGHT",
        "title": "工贸企业重大事故隐患：轻工（第八条）",
        "standard": "MEM-10-2023",
        "clause": "第八条",
        "sectors": ["light_industry"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": "第八条（轻工）全部条目尚待依官方文本录入。",
        "items": [],
    },
    {
        "code": "TG-TEXTILE",
        "title": "工贸企业重大事故隐患：纺织（第九条）",
        "standard": "MEM-10-2023",
        "clause": "第九条",
        "sectors": ["textile"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": "第九条（纺织）全部条目尚待依官方文本录入。",
        "items": [],
    },
    {
        "code": "TG-TOBACCO",
        "title": "工贸企业重大事故隐患：烟草（第十条）",
        "standard": "MEM-10-2023",
        "clause": "第十条",
        "sectors": ["tobacco"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": "第十条（烟草）全部条目尚待依官方文本录入。",
        "items": [],
    },
    {
        "code": "TG-DUST",
        "title": "工贸企业重大事故隐患：粉尘涉爆（第十一条）",
        "standard": "MEM-10-2023",
        "clause": "第十一条",
        "sectors": [],
        "tags": ["dust_explosion"],
        "determination": MAJOR_DIRECT,
        "note": "TG-11-9 的表述仅部分核实；TG-11-10 的表述未经核实，须依官方文本核对。",
        "items": [
            {
                "code": "TG-11-1",
                "text": "粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内，或者粉尘爆炸危险场所内设有员工宿舍、会议室、办公室、休息室等人员聚集场所的",
                "verification": "S",
            },
            {
                "code": "TG-11-2",
                "text": "不同类别的可燃性粉尘、可燃性粉尘与可燃气体等易加剧爆炸危险的介质共用一套除尘系统，或者不同建（构）筑物、不同防火分区共用一套除尘系统、除尘系统互联互通的",
                "verification": "S",
            },
            {
                "code": "TG-11-3",
                "text": "干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施的",
                "verification": "S",
            },
            {
                "code": "TG-11-4",
                "text": "铝镁等金属粉尘除尘系统采用正压除尘方式，或者其他可燃性粉尘除尘系统采用正压吹送粉尘时，未采取火花探测消除等防范点燃源措施的",
                "verification": "S",
            },
            {
                "code": "TG-11-5",
                "text": "除尘系统采用重力沉降室除尘，或者采用干式巷道式构筑物作为除尘风道的",
                "verification": "S",
            },
            {
                "code": "TG-11-6",
                "text": "铝镁等金属粉尘、木质粉尘的干式除尘系统未设置锁气卸灰装置的",
                "verification": "S",
            },
            {
                "code": "TG-11-7",
                "text": "除尘器、收尘仓等划分为20区的粉尘爆炸危险场所电气设备不符合防爆要求的",
                "verification": "S",
            },
            {
                "code": "TG-11-8",
                "text": "粉碎、研磨、造粒等易产生机械点燃源的工艺设备前，未设置铁、石等杂物去除装置，或者木制品加工企业与砂光机连接的风管未设置火花探测消除装置的",
                "verification": "S",
            },
            {
                "code": "TG-11-9",
                "text": "遇湿自燃金属粉尘收集、堆放、储存场所未采取通风等防止氢气积聚措施，或者干式收集、堆放、储存场所未采取防水、防潮措施的",
                "verification": "S-partial",
            },
            {
                "code": "TG-11-10",
                "text": "未落实粉尘清理制度，造成作业现场积尘严重的",
                "verification": "M",
            },
        ],
    },
    {
        "code": "TG-NH3",
        "title": "工贸企业重大事故隐患：涉氨制冷（第十二条）",
        "standard": "MEM-10-2023",
        "clause": "第十二条",
        "sectors": [],
        "tags": ["ammonia_refrigeration"],
        "determination": MAJOR_DIRECT,
        "note": "本表条目的表述未经核实，须依官方文本核对第十二条全部条目。",
        "items": [
            {
                "code": "TG-12-1",
                "text": "包装、分割、产品整理场所的空调系统采用氨直接蒸发制冷的",
                "verification": "M",
            },
            {
                "code": "TG-12-2",
                "text": "快速冻结装置未设置在单独的作业间内，或者快速冻结装置作业间内作业人员数量超过9人的",
                "verification": "M",
            },
        ],
    },
    {
        "code": "TG-CONFINED",
        "title": "工贸企业重大事故隐患：有限空间（第十三条）",
        "standard": "MEM-10-2023",
        "clause": "第十三条",
        "sectors": [],
        "tags": ["confined_space"],
        "determination": MAJOR_DIRECT,
        "note": "本表条目的表述未经核实，须依官方文本核对第十三条全部条目。",
        "items": [
            {
                "code": "TG-13-1",
                "text": "未对有限空间进行辨识、建立安全管理台账，并且未设置明显的安全警示标志的",
                "verification": "M",
            },
            {
                "code": "TG-13-2",
                "text": "未落实有限空间作业审批，或者未执行“先通风、再检测、后作业”要求，或者作业现场未设置监护人员的",
                "verification": "M",
            },
        ],
    },
    {
        "code": "CHEM-2017",
        "title": "化工和危险化学品重大生产安全事故隐患",
        "standard": "SAWS-121-2017-CHEM",
        "clause": "",
        "sectors": ["hazardous_chemicals"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": "第一至十三项的表述来自新闻转载，第十四至二十项来自公开数据；均未与公报核对。",
        "items": _numbered("CH", CHEMICAL_TEXTS, "S"),
    },
    {
        "code": "FW-2017",
        "title": "烟花爆竹重大生产安全事故隐患",
        "standard": "SAWS-121-2017-FW",
        "clause": "",
        "sectors": ["fireworks"],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": "表述来自公开数据，未与公报核对。",
        "items": _numbered("FW", FIREWORKS_TEXTS, "S"),
    },
    {
        "code": "FIRE-DIRECT",
        "title": "重大火灾隐患直接判定要素（GB 35181 第6章）",
        "standard": "GB35181",
        "clause": "6",
        "sectors": [],
        "tags": [],
        "determination": MAJOR_DIRECT,
        "note": "适用于所有单位，人员密集场所尤须检查。6.9、6.10 的表述未经核实。",
        "items": [
            {
                "code": "FD-6.1",
                "clause": "6.1",
                "text": "生产、储存和装卸易燃易爆危险品的工厂、仓库和专用车站、码头、储罐区，未设置在城市的边缘或相对独立的安全地带",
                "verification": "S",
            },
            {
                "code": "FD-6.2",
                "clause": "6.2",
                "text": "生产、储存、经营易燃易爆危险品的场所与人员密集场所、居住场所设置在同一建筑物内，或与人员密集场所、居住场所的防火间距小于国家工程建设消防技术标准规定值的75%",
                "verification": "S",
            },
            {
                "code": "FD-6.3",
                "clause": "6.3",
                "text": "城市建成区内的加油站、天然气或液化石油气加气站、加油加气合建站的储量达到或超过GB 50156对一级站的规定",
                "verification": "S",
            },
            {
                "code": "FD-6.4",
                "clause": "6.4",
                "text": "甲、乙类生产场所和仓库设置在建筑的地下室或半地下室",
                "verification": "S",
            },
            {
                "code": "FD-6.5",
                "clause": "6.5",
                "text": "公共娱乐场所、商店、地下人员密集场所的安全出口数量不足或其总净宽度小于国家工程建设消防技术标准规定值的80%",
                "verification": "S",
            },
            {
                "code": "FD-6.6",
                "clause": "6.6",
                "text": "旅馆、公共娱乐场所、商店、地下人员密集场所未按国家工程建设消防技术标准的规定设置自动喷水灭火系统或火灾自动报警系统",
                "verification": "S",
            },
            {
                "code": "FD-6.7",
                "clause": "6.7",
                "text": "易燃可燃液体、可燃气体储罐（区）未按国家工程建设消防技术标准的规定设置固定灭火、冷却、可燃气体浓度报警、火灾报警设施",
                "verification": "S",
            },
            {
                "code": "FD-6.8",
                "clause": "6.8",
                "text": "在人员密集场所违反消防安全规定使用、储存或销售易燃易爆危险品",
                "verification": "S",
            },
            {
                "code": "FD-6.9",
                "clause": "6.9",
                "text": "托儿所、幼儿园的儿童用房以及老年人活动场所所在楼层位置不符合国家工程建设消防技术标准的规定",
                "verification": "M",
            },
            {
                "code": "FD-6.10",
                "clause": "6.10",
                "text": "人员密集场所的居住场所采用彩钢夹芯板搭建且芯材燃烧性能等级低于A级",
                "verification": "M",
            },
        ],
    },
    {
        "code": "FIRE-COMBINED",
        "title": "重大火灾隐患综合判定要素（GB 35181 第7章，样例条目）",
        "standard": "GB35181",
        "clause": "7",
        "sectors": [],
        "tags": [],
        "determination": MAJOR_COMBINED,
        "note": (
            "仅录入样例条目；7.1–7.9 其余要素（防火分隔、消防给水及灭火设施、防烟排烟、"
            "消防供电、火灾自动报警、消防安全管理等）尚待依官方文本录入。"
            "综合判定按场所类型计数（人员密集场所 7.3.1–7.3.9、7.5、7.9.3 中满足3项；"
            "易燃易爆场所 7.1.1–7.1.3、7.4.5、7.4.6 中满足3项；上述场所任意4项；"
            "其他场所任意6项），计数规则未经核实。样例条目未标来源，按未核实处理。"
        ),
        "items": [
            {
                "code": "FC-7.1.1",
                "clause": "7.1.1",
                "text": "未按国家工程建设消防技术标准的规定或城市消防规划的要求设置消防车道或消防车道被堵塞、占用",
                "verification": "M",
            },
            {
                "code": "FC-7.1.3",
                "clause": "7.1.3",
                "text": "在厂房、库房、商场中设置员工宿舍，或是在居住等民用建筑中从事生产、储存、经营等活动，且不符合GA 703的规定",
                "verification": "M",
            },
            {
                "code": "FC-7.2.1",
                "clause": "7.2.1",
                "text": "原有防火分区被改变并导致实际防火分区的建筑面积大于国家工程建设消防技术标准规定值的50%",
                "verification": "M",
            },
            {
                "code": "FC-7.2.2",
                "clause": "7.2.2",
                "text": "防火门、防火卷帘等防火分隔设施损坏的数量大于该防火分区相应防火分隔设施总数的50%",
                "verification": "M",
            },
            {
                "code": "FC-7.3.3",
                "clause": "7.3.3",
                "text": "除6.5规定外的其他场所或建筑物的安全出口数量或宽度不符合国家工程建设消防技术标准的规定，或既有安全出口被封堵",
                "verification": "M",
            },
            {
                "code": "FC-7.3.5",
                "clause": "7.3.5",
                "text": "商店营业厅内的疏散距离大于国家工程建设消防技术标准规定值的125%",
                "verification": "M",
            },
            {
                "code": "FC-7.3.6",
                "clause": "7.3.6",
                "text": "高层建筑和地下建筑未按标准设置疏散指示标志、应急照明，或损坏率大于30%（其他建筑50%）",
                "verification": "M",
            },
        ],
    },
    {
        "code": "GEN-RANDOM",
        "title": "安全生产“双随机”一般检查事项",
        "standard": None,
        "clause": "",
        "sectors": [],
        "tags": [],
        "determination": GENERAL,
        "note": "来源：石泉县随机抽查事项清单（二手来源）。",
        "items": [
            {"code": f"GEN-{n:02d}", "text": text, "clause": clause, "verification": "S"}
            for n, (text, clause) in enumerate(GENERAL_ITEMS, start=1)
        ],
    },
]

SEEDED_CODES = [c["code"] for c in CHECKLISTS]
STANDARD_CODES = [s["code"] for s in STANDARDS]


def load(apps: Any, published_at: datetime.datetime | None = None) -> None:
    """Create the standards and checklists above with a published version 1 each (those
    that have items). Codes already present are left alone, so a re-run adds only what is
    missing."""
    Standard = apps.get_model("checklists", "Standard")
    Checklist = apps.get_model("checklists", "Checklist")
    Version = apps.get_model("checklists", "ChecklistVersion")
    Item = apps.get_model("checklists", "ChecklistItem")
    at = published_at or timezone.now()
    standards = {}
    for s in STANDARDS:
        standards[s["code"]], _created = Standard.objects.get_or_create(
            code=s["code"], defaults={k: v for k, v in s.items() if k != "code"}
        )
    for c in CHECKLISTS:
        if Checklist.objects.filter(code=c["code"]).exists():
            continue
        checklist = Checklist.objects.create(
            code=c["code"],
            title=c["title"],
            standard=standards.get(c["standard"]),
            clause=c["clause"],
            sectors=c["sectors"],
            tags=c["tags"],
            note=c["note"],
        )
        if not c["items"]:
            continue
        version = Version.objects.create(
            checklist=checklist, number=1, status="published", published_at=at
        )
        Item.objects.bulk_create(
            Item(
                version=version,
                code=item["code"],
                position=position,
                text=item["text"],
                clause=item.get("clause", c["clause"]),
                determination=item.get("determination", c["determination"]),
                verification=item["verification"],
                tags=item.get("tags", []),
            )
            for position, item in enumerate(c["items"], start=1)
        )


def unload(apps: Any) -> None:
    """Remove what `load` created: the seeded checklists with all their versions and items,
    and the seeded standards no other checklist uses. Fails (PROTECT) once a visit has
    answered a seeded item, which is as it should be: those answers need their questions."""
    Standard = apps.get_model("checklists", "Standard")
    Checklist = apps.get_model("checklists", "Checklist")
    Version = apps.get_model("checklists", "ChecklistVersion")
    Item = apps.get_model("checklists", "ChecklistItem")
    Item.objects.filter(version__checklist__code__in=SEEDED_CODES).delete()
    Version.objects.filter(checklist__code__in=SEEDED_CODES).delete()
    Checklist.objects.filter(code__in=SEEDED_CODES).delete()
    Standard.objects.filter(code__in=STANDARD_CODES, checklists__isnull=True).delete()
