"""What hazard ledgers call things: the columns (the export's own headers and the ones zones
write by hand) and the words for each choice, mapped to the national codes."""

from __future__ import annotations

import re

from anjian.hazards.models import HazardType, Level, RectifyType, Source, Status

# (field, the header the ledger export writes, other headers zones write by hand)
COLUMNS: list[tuple[str, str, list[str]]] = [
    ("enterprise", "企业名称", ["单位名称", "企业全称", "被检查单位", "生产经营单位", "企业"]),
    ("uscc", "统一社会信用代码", ["信用代码", "社会信用代码", "统一代码", "USCC"]),
    ("found_on", "发现时间", ["检查时间", "发现日期", "检查日期", "排查时间", "排查日期"]),
    ("found_by", "发现人", ["检查人", "排查人", "检查人员"]),
    ("finder", "发现类型", ["发现方式"]),
    ("source", "隐患来源", ["检查方式", "排查类型", "排查方式"]),
    ("location", "隐患位置", ["位置", "隐患部位", "部位"]),
    ("name", "隐患名称", []),
    (
        "description",
        "隐患描述",
        ["存在问题", "隐患内容", "问题描述", "主要问题", "重大隐患描述", "隐患情况"],
    ),
    ("reason", "原因分析", ["隐患原因"]),
    ("hazard_type", "隐患类型", ["隐患类别", "隐患分类"]),
    ("management_class", "人物管理分类", ["管理分类"]),
    ("accident_type", "事故类型（GB 6441）", ["事故类型", "可能导致的事故类型"]),
    ("basis", "判定依据", ["依据", "检查依据", "判定标准"]),
    ("level", "隐患等级", ["隐患级别", "等级"]),
    ("rectify_type", "治理类型", ["整改类型", "整改方式"]),
    ("liable_person", "整改责任人", ["责任人"]),
    ("liable_department", "整改责任部门", ["责任部门", "整改责任单位", "责任单位"]),
    (
        "deadline",
        "整改期限",
        ["要求整改日期", "整改时限", "治理期限", "要求完成时间", "整改完成期限"],
    ),
    ("measures", "整改措施", ["治理措施", "控制措施", "整改方案"]),
    ("funds", "整改资金（元）", ["整改资金", "投入资金", "整改投入"]),
    ("rectified", "是否整改", ["整改情况", "整改状态"]),
    ("rectified_on", "实际完成时间", ["整改完成时间", "实际整改完成时间", "完成时间"]),
    ("acceptor", "验收人", ["复查人"]),
    ("accepted_at", "验收时间", ["验收日期", "复查时间"]),
    ("accept_comment", "验收意见", ["验收情况"]),
    ("status", "状态", ["隐患状态", "治理状态"]),
    ("rejections", "驳回次数", []),
    ("extensions", "延期次数", []),
    ("production_suspended", "停产停业", []),
]
HEADERS = {f: header for f, header, _aliases in COLUMNS}
ALIASES = {f: [header, *aliases] for f, header, aliases in COLUMNS}
TEXT_LIMITS = {
    "name": 200,
    "location": 200,
    "basis": 300,
    "liable_person": 50,
    "found_by": 50,
    "acceptor": 50,
}

LEVEL_WORDS: dict[str, list[str]] = {
    Level.GENERAL: ["一般", "一般隐患", "一般事故隐患"],
    Level.MAJOR: ["重大", "重大隐患", "重大事故隐患"],
}
RECTIFY_WORDS: dict[str, list[str]] = {
    RectifyType.IMMEDIATE: ["立即整改", "当场整改", "现场整改"],
    RectifyType.DEADLINE: ["限期", "限期整改"],
}
HAZARD_TYPE_WORDS: dict[str, list[str]] = {
    HazardType.ELECTRICAL: ["用电安全", "电气安全"],
    HazardType.FIRE: ["消防安全"],
    HazardType.EQUIPMENT: ["设备设施"],
}
SOURCE_WORDS: dict[str, list[str]] = {
    Source.DAILY: ["日常检查"],
    Source.GOVERNMENT: ["监管部门监督检查", "执法检查", "监督检查"],
    Source.OTHER: ["其它"],
    Source.GRID_PATROL: ["网格员巡查", "网格巡查员巡查"],
}
STATUS_WORDS: dict[str, list[str]] = {
    Status.CLOSED: ["已整改", "已验收", "已销号", "验收销号", "已完成", "已闭环", "销号"],
    Status.RECTIFYING: ["未整改", "待整改", "正在整改"],
    Status.SUBMITTED: ["已提交"],
    Status.WRITTEN_OFF: ["已核销", "核销"],
    Status.VOID: ["作废", "已作废"],
}
# 是否整改 / 整改情况: done, not done, or handed in and awaiting acceptance.
# Ledgers tick the column (√ / ×), and a yes/no cell of a workbook reads as true / false.
RECTIFIED_WORDS = {
    "yes": ["是", "已整改", "已完成", "完成", "已验收", "√", "✓", "✔", "true"],
    "no": ["否", "未整改", "整改中", "待整改", "未完成", "×", "✗", "✘", "false"],
    "submitted": ["待验收"],
}
YES = {"是", "yes", "y", "true", "1", "√"}
# A general hazard's state named in a major hazard's row means its major counterpart.
MAJOR_OF = {
    Status.REGISTERED: Status.REPORTED,
    Status.RECTIFYING: Status.CONFIRMED,
    Status.SUBMITTED: Status.UNDER_REVIEW,
    Status.CLOSED: Status.WRITTEN_OFF,
}
# 20250304, as ledgers and some systems write a day.
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?!\d)")
# 2025-03-04, 2025/3/4, 2025.3.4, 2025年3月4日, with full-width separators as IMEs type them,
# and a time of day as 08:30, 08：30:15 or 8时30分.
DATE = re.compile(
    r"(\d{4})\s*[-/.年－／．]\s*(\d{1,2})\s*[-/.月－／．]\s*(\d{1,2})\s*日?"
    r"(?:[T\s]+(\d{1,2})[:：时](\d{1,2})(?:分|[:：分](\d{1,2})(\.\d+)?秒?)?)?"
)
