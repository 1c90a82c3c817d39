"""What the demo's visits find: a catalogue of common hazards and the words people write."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from anjian.enterprises.models import Sector, Tag
from anjian.hazards.accident_types import EDITION_2025_FROM
from anjian.hazards.models import HazardType, ManagementClass


@dataclass(frozen=True)
class Finding:
    """One kind of hazard as inspectors write it down, with its national codes."""

    name: str
    detail: str
    hazard_type: str
    management_class: str
    accident_1986: str  # GB 6441-1986 category, as hazards.accident_types codes it ("1986-08")
    accident_2025: str  # GB 6441-2025 type code ("WSA10009")
    measures: str
    sectors: frozenset[str] = frozenset()  # empty: any sector
    tags: frozenset[str] = frozenset()  # empty: any enterprise
    basis: str = ""

    def accident_type(self, found_on: datetime.date) -> str:
        """Coded in the edition in force on the day it was found (RULES.md §2.4)."""
        return self.accident_2025 if found_on >= EDITION_2025_FROM else self.accident_1986

    def fits(self, sector: str, tags: frozenset[str]) -> bool:
        return (not self.sectors or sector in self.sectors) and (
            not self.tags or bool(self.tags & tags)
        )


T, M = HazardType, ManagementClass
CROWDED = frozenset({Sector.CROWDED_PLACES, Sector.COMMERCE})


def _f(
    name: str,
    detail: str,
    hazard_type: str,
    management_class: str,
    accident: tuple[str, str],
    measures: str,
    *,
    sectors: frozenset[str] = frozenset(),
    tags: tuple[str, ...] = (),
    basis: str = "",
) -> Finding:
    return Finding(
        name,
        detail,
        hazard_type,
        management_class,
        accident[0],
        accident[1],
        measures,
        sectors,
        frozenset(tags),
        basis,
    )


FIRE = ("1986-08", "WSA10009")
SHOCK = ("1986-05", "WSA10006")
MACHINE = ("1986-03", "WSA10004")
LIFTING = ("1986-04", "WSA10005")
VEHICLE = ("1986-02", "WSA10002")
FALL = ("1986-09", "WSA10010")
SLIP = ("1986-20", "WSA10011")
COLLAPSE = ("1986-10", "WSA10012")
VESSEL = ("1986-17", "WSA10014")
GAS_BLAST = ("1986-18", "WSA10016")
DUST_BLAST = ("1986-18", "WSA10018")
POISON = ("1986-19", "WSA10023")
SUFFOCATE = ("1986-19", "WSA10024")
BURN = ("1986-07", "WSA10008")
OTHER = ("1986-20", "WSA10099")

# fmt: off
GENERAL_FINDINGS: list[Finding] = [
    _f("消防通道堆放杂物", "厂区消防车通道被货物、托盘占用", T.FIRE, M.UNSAFE_CONDITION, FIRE, "立即清理占用物品，施划消防通道标线"),
    _f("灭火器压力不足", "部分灭火器压力表指针处于红区", T.FIRE, M.UNSAFE_CONDITION, FIRE, "重新充装或更换灭火器，建立月度检查记录"),
    _f("灭火器超期未维修检测", "灭火器超过维修期限未送检", T.FIRE, M.MANAGEMENT_DEFECT, FIRE, "送有资质单位检测维修，建立灭火器台账"),
    _f("安全出口被锁闭", "车间安全出口上锁，无法从内部开启", T.FIRE, M.UNSAFE_CONDITION, FIRE, "拆除锁具，改用推闩式逃生门锁"),
    _f("应急照明及疏散指示标志损坏", "应急照明灯、疏散指示标志断电后不亮", T.FIRE, M.UNSAFE_CONDITION, FIRE, "更换损坏的应急照明和疏散指示标志，每月测试"),
    _f("室内消火栓被遮挡", "消火栓箱前堆放货物，无法正常开启", T.FIRE, M.UNSAFE_CONDITION, FIRE, "清理消火栓周边物品，设置禁止占用标识"),
    _f("员工在车间内吸烟", "车间内发现烟蒂，员工违规吸烟", T.SAFETY, M.UNSAFE_ACT, FIRE, "开展教育，设置吸烟点并加强巡查"),
    _f("电焊作业未清理周边可燃物", "动火点周边堆放纸箱、木托盘", T.FIRE, M.UNSAFE_ACT, FIRE, "动火前清理可燃物，配备灭火器和监护人"),
    _f("动火作业未办理审批手续", "车间内动火作业无动火作业票", T.SAFETY, M.MANAGEMENT_DEFECT, FIRE, "严格执行动火作业审批制度"),
    _f("电气线路私拉乱接", "车间内临时电线私拉乱接，未穿管保护", T.ELECTRICAL, M.UNSAFE_CONDITION, SHOCK, "拆除私拉线路，由持证电工规范敷设"),
    _f("配电箱未上锁、无警示标识", "配电箱箱门未关闭上锁，无“当心触电”标识", T.ELECTRICAL, M.UNSAFE_CONDITION, SHOCK, "配电箱加锁，张贴警示标识，专人管理"),
    _f("配电柜前堆放杂物", "配电柜前操作通道堆放物料", T.ELECTRICAL, M.UNSAFE_CONDITION, SHOCK, "清理配电柜前通道，铺设绝缘垫"),
    _f("用电设备未可靠接地", "设备金属外壳未接保护接地线", T.ELECTRICAL, M.UNSAFE_CONDITION, SHOCK, "设备外壳可靠接地并检测接地电阻"),
    _f("临时用电未装漏电保护器", "临时用电线路未安装漏电保护装置", T.ELECTRICAL, M.UNSAFE_CONDITION, SHOCK, "加装漏电保护器，定期试跳"),
    _f("插线板串接使用", "办公区多个插线板串接，负荷过大", T.ELECTRICAL, M.UNSAFE_ACT, FIRE, "拆除串接插线板，增设固定插座"),
    _f("机械设备传动部位无防护罩", "皮带轮、链条等传动部位外露", T.EQUIPMENT, M.UNSAFE_CONDITION, MACHINE, "加装防护罩，开机前检查防护设施"),
    _f("冲床未设置安全保护装置", "冲床未设双手操作按钮或光电保护装置", T.EQUIPMENT, M.UNSAFE_CONDITION, MACHINE, "加装光电保护装置并定期检查"),
    _f("设备安全联锁被短接", "数控设备防护门联锁装置被短接", T.EQUIPMENT, M.UNSAFE_ACT, MACHINE, "恢复安全联锁，追究违规人员责任"),
    _f("砂轮机防护罩及挡屑板缺失", "砂轮机防护罩、挡屑板缺失，托架间隙过大", T.EQUIPMENT, M.UNSAFE_CONDITION, MACHINE, "补装防护罩和挡屑板，调整托架间隙"),
    _f("员工未按规定佩戴劳动防护用品", "作业人员未佩戴防护眼镜、耳塞", T.SAFETY, M.UNSAFE_ACT, OTHER, "配发劳动防护用品并监督佩戴"),
    _f("叉车未定期检验", "厂内叉车检验合格证已过期", T.EQUIPMENT, M.MANAGEMENT_DEFECT, VEHICLE, "报请特种设备检验机构检验", tags=(Tag.SPECIAL_EQUIPMENT,)),
    _f("叉车违规载人", "叉车货叉上站人作业", T.SAFETY, M.UNSAFE_ACT, VEHICLE, "禁止叉车载人，加强司机教育"),
    _f("起重机吊钩防脱钩装置失效", "行车吊钩防脱钩装置损坏", T.EQUIPMENT, M.UNSAFE_CONDITION, LIFTING, "更换防脱钩装置，班前检查", tags=(Tag.SPECIAL_EQUIPMENT,)),
    _f("行车限位器失灵", "行车上升限位器失灵", T.EQUIPMENT, M.UNSAFE_CONDITION, LIFTING, "维修限位器，经检验合格后使用", tags=(Tag.SPECIAL_EQUIPMENT,)),
    _f("起重钢丝绳断丝超标未报废", "钢丝绳断丝、磨损超过报废标准", T.EQUIPMENT, M.UNSAFE_CONDITION, LIFTING, "更换钢丝绳，建立吊索具检查记录"),
    _f("高处作业未系安全带", "登高作业人员未系挂安全带", T.SAFETY, M.UNSAFE_ACT, FALL, "配发安全带，落实“一帽一带”要求"),
    _f("作业平台防护栏杆缺失", "二层平台临边未设置防护栏杆", T.LAYOUT, M.UNSAFE_CONDITION, FALL, "按标准设置1.2米防护栏杆和踢脚板"),
    _f("登高梯子破损", "人字梯防滑脚缺失、踏板开裂", T.EQUIPMENT, M.UNSAFE_CONDITION, SLIP, "更换合格梯子"),
    _f("车间通道堵塞", "车间安全通道堆放半成品", T.LAYOUT, M.UNSAFE_CONDITION, SLIP, "清理通道，施划通道标线"),
    _f("物料堆放超高", "仓库物料堆垛超高，存在倒塌风险", T.LAYOUT, M.UNSAFE_CONDITION, COLLAPSE, "降低堆垛高度，设置限高标识"),
    _f("货架超载", "货架无限载标识，层板变形", T.LAYOUT, M.UNSAFE_CONDITION, COLLAPSE, "卸载并更换变形层板，张贴限载标识"),
    _f("气瓶未采取防倾倒措施", "氧气、乙炔气瓶直立放置未固定", T.EQUIPMENT, M.UNSAFE_CONDITION, VESSEL, "设置气瓶固定架或链条"),
    _f("氧气瓶与乙炔瓶间距不足", "使用中的氧气瓶与乙炔瓶间距不足5米", T.SAFETY, M.UNSAFE_ACT, GAS_BLAST, "保持安全间距，乙炔瓶加装回火防止器"),
    _f("压力表超期未检定", "储气罐压力表检定已过期", T.INSTRUMENT, M.MANAGEMENT_DEFECT, VESSEL, "送检压力表，建立安全附件台账", tags=(Tag.SPECIAL_EQUIPMENT,)),
    _f("可燃气体报警器未定期校验", "可燃气体报警器超过一年未校验", T.INSTRUMENT, M.MANAGEMENT_DEFECT, GAS_BLAST, "委托有资质单位校验报警器", tags=(Tag.GAS_USE, Tag.HAZCHEM_USE)),
    _f("燃气使用场所未设可燃气体报警装置", "食堂燃气灶具区未安装可燃气体报警装置", T.INSTRUMENT, M.UNSAFE_CONDITION, GAS_BLAST, "安装可燃气体报警装置并与切断阀联锁", tags=(Tag.GAS_USE,)),
    _f("危化品使用场所未张贴安全技术说明书", "车间使用的稀释剂无安全技术说明书和标签", T.PROCESS, M.MANAGEMENT_DEFECT, POISON, "张贴化学品安全技术说明书，开展培训", tags=(Tag.HAZCHEM_USE, Tag.HAZCHEM_TRADE)),
    _f("化学品暂存间通风不良", "化学品暂存间无机械通风设施", T.PROCESS, M.UNSAFE_CONDITION, POISON, "加装防爆型机械通风设施", tags=(Tag.HAZCHEM_USE,)),
    _f("调漆间使用非防爆电器", "调漆间照明灯具、开关为非防爆型", T.ELECTRICAL, M.UNSAFE_CONDITION, GAS_BLAST, "更换为防爆电气设备"),
    _f("粉尘清理记录缺失", "粉尘清理制度未落实，无清扫记录", T.SAFETY, M.MANAGEMENT_DEFECT, DUST_BLAST, "按班次清理积尘并如实记录", tags=(Tag.DUST_EXPLOSION,)),
    _f("除尘器未定期清灰", "除尘器灰斗积灰未及时清理", T.EQUIPMENT, M.UNSAFE_CONDITION, DUST_BLAST, "定期清灰，建立除尘系统点检记录", tags=(Tag.DUST_EXPLOSION,)),
    _f("有限空间未设置安全警示标志", "污水池、化粪池入口无警示标志", T.SAFETY, M.UNSAFE_CONDITION, SUFFOCATE, "设置有限空间警示标志和告知牌", tags=(Tag.CONFINED_SPACE,)),
    _f("有限空间作业应急器材不足", "未配备正压式空气呼吸器等救援器材", T.SAFETY, M.MANAGEMENT_DEFECT, SUFFOCATE, "配备呼吸器、三脚架等应急救援器材", tags=(Tag.CONFINED_SPACE,)),
    _f("涉氨制冷岗位操作规程未上墙", "氨制冷机房操作规程未张贴", T.PROCESS, M.MANAGEMENT_DEFECT, POISON, "张贴操作规程，开展岗位培训", tags=(Tag.AMMONIA_REFRIGERATION,)),
    _f("熔炼工未穿戴隔热防护服", "熔炼炉前作业人员未穿隔热服", T.SAFETY, M.UNSAFE_ACT, BURN, "配发隔热防护服并监督穿戴", tags=(Tag.METAL_SMELTING,)),
    _f("厨房油烟管道未定期清洗", "后厨排油烟管道油垢积聚", T.FIRE, M.MANAGEMENT_DEFECT, FIRE, "委托专业单位清洗，至少每季度一次", sectors=CROWDED),
    _f("营业场所疏散通道堆放货物", "商场疏散通道堆放待上架货物", T.FIRE, M.UNSAFE_CONDITION, FIRE, "清理疏散通道，落实每日防火巡查", sectors=CROWDED),
    _f("安全生产责任制未及时修订", "人员变动后全员安全生产责任制未修订", T.OTHER, M.MANAGEMENT_DEFECT, OTHER, "修订全员安全生产责任制并组织签订"),
    _f("安全教育培训记录不全", "新员工三级安全教育记录缺失", T.OTHER, M.MANAGEMENT_DEFECT, OTHER, "补充培训并完善培训档案"),
    _f("隐患排查治理台账不规范", "隐患排查记录未记录整改情况", T.OTHER, M.MANAGEMENT_DEFECT, OTHER, "完善隐患排查治理台账，落实闭环管理"),
    _f("应急预案未按期演练", "现场处置方案半年内未组织演练", T.OTHER, M.MANAGEMENT_DEFECT, OTHER, "制定演练计划并组织演练"),
    _f("安全警示标志缺失", "危险部位未设置安全警示标志", T.SAFETY, M.UNSAFE_CONDITION, OTHER, "按GB 2894设置安全警示标志"),
    _f("外包作业未签订安全管理协议", "外来施工单位未签订安全管理协议", T.SAFETY, M.MANAGEMENT_DEFECT, OTHER, "签订安全管理协议，明确双方责任"),
    _f("厂区道路无限速标志", "厂区内道路未设置限速和警示标志", T.LAYOUT, M.MANAGEMENT_DEFECT, VEHICLE, "设置限速5公里/小时标志"),
]

MAJOR_FINDINGS: list[Finding] = [
    _f("粉尘爆炸危险场所内设有员工休息室", "除尘器旁设员工休息室", T.SAFETY, M.UNSAFE_CONDITION, DUST_BLAST, "拆除休息室，重新规划人员聚集场所", tags=(Tag.DUST_EXPLOSION,), basis="《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十一条第（一）项"),
    _f("干式除尘系统未采取爆炸防控措施", "干式除尘系统未设泄爆、惰化、抑爆任一措施", T.EQUIPMENT, M.UNSAFE_CONDITION, DUST_BLAST, "加装泄爆装置，委托设计单位出具方案", tags=(Tag.DUST_EXPLOSION,), basis="《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十一条第（三）项"),
    _f("有限空间作业未审批且无监护人员", "污水池清淤作业未审批，现场无监护人员", T.SAFETY, M.MANAGEMENT_DEFECT, SUFFOCATE, "停止作业，建立有限空间作业审批和监护制度", tags=(Tag.CONFINED_SPACE,), basis="《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十三条"),
    _f("未对承租单位的安全生产工作统一协调管理", "出租厂房内多家承租企业，出租方未定期安全检查", T.OTHER, M.MANAGEMENT_DEFECT, OTHER, "签订安全管理协议，建立承租单位定期检查制度", basis="《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第三条第（一）项"),
    _f("易燃易爆危险品场所与员工宿舍设在同一建筑", "仓库二层设员工宿舍，一层存放油漆稀释剂", T.FIRE, M.UNSAFE_CONDITION, FIRE, "立即清退宿舍人员，危险品移至独立仓库", basis="GB 35181-2017《重大火灾隐患判定方法》6.2"),
    _f("可燃气体泄漏场所未设置检测报警装置", "装卸区未按国家标准设置可燃气体检测报警装置", T.INSTRUMENT, M.UNSAFE_CONDITION, GAS_BLAST, "按GB/T 50493设置检测报警装置", sectors=frozenset({Sector.HAZARDOUS_CHEMICALS}), basis="《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二项"),
]

# fmt: on

LOCATIONS = [
    "一号车间", "二号车间", "三号车间", "成品仓库", "原料仓库", "配电房", "厂区道路", "办公楼",
    "员工食堂", "空压机房", "喷涂车间", "装配车间", "除尘器旁", "危化品暂存间", "冷库", "后厨",
    "营业大厅", "二楼平台", "锅炉房", "污水处理站",
]  # fmt: skip
REASONS = [
    "安全管理制度落实不到位",
    "员工安全意识淡薄",
    "日常检查流于形式",
    "设备维护保养不及时",
    "安全投入不足",
]
SUBMIT_NOTES = [
    "已按要求整改完毕，附整改后照片。",
    "整改完成，请复查。",
    "已更换并建立检查记录。",
    "已整改，相关记录已补齐。",
]
ACCEPT_NOTES = [
    "现场复查，已整改到位。",
    "经复查整改合格，同意销号。",
    "整改措施落实到位，准予销号。",
]
SELF_ACCEPT_NOTES = ["自查整改完成，验收合格。", "安全员复查合格。"]
ON_SPOT_NOTES = ["现场督促即查即改，已整改。"]
REJECT_NOTES = [
    "整改照片不能反映整改情况，请补充现场照片。",
    "现场复查仍未整改到位。",
    "仅整改了部分问题，其余未整改。",
    "整改措施不符合要求，请重新整改。",
]
EXTENSION_NOTES = [
    "需采购设备，到货周期较长，申请延期。",
    "需委托专业单位施工，申请延期。",
    "涉及停产改造，申请延期整改。",
]
DENY_NOTES = ["整改内容简单，不予延期，请按期完成。", "理由不充分，不同意延期。"]
VOID_NOTES = ["与已登记隐患重复。", "经核实不属于隐患，误报。"]
REVIEWERS = [
    "张工（高级工程师）、王工（注册安全工程师）",
    "市应急管理局专家组：刘工、陈工、周工",
    "第三方评估机构专家：赵工、孙工",
]
