"""The shared vocabulary of the domain (DOMAIN.md), each value with its Chinese label."""

from __future__ import annotations

from huifang_contracts.labels import LabelledEnum


class RequestKind(LabelledEnum):
    """What a service request (报事) is about."""

    REPAIR = "repair", "报修"
    COMPLAINT = "complaint", "投诉"
    CONSULTATION = "consultation", "咨询"
    HELP = "help", "求助"
    RENOVATION = "renovation", "装修完工"
    OTHER_SERVICE = "other_service", "其他服务"


class Channel(LabelledEnum):
    """How a request reached the estate; `callback` marks one raised during a callback (R-CB-9)."""

    HOTLINE = "hotline", "服务热线"
    WALK_IN = "walk_in", "来访"
    SUGGESTION_BOX = "suggestion_box", "意见箱"
    APP = "app", "微信/APP"
    ONLINE = "online", "网络"
    ERP = "erp", "ERP"
    CALLBACK = "callback", "回访"


class ComplaintGrade(LabelledEnum):
    """Decides who calls back and how (R-CB-3)."""

    GENERAL = "general", "一般"
    IMPORTANT = "important", "重要"
    MAJOR = "major", "重大"


class ComplaintValidity(LabelledEnum):
    """Decides whether a complaint is called back at all (R-CB-1)."""

    VALID = "valid", "有效"
    COORDINATION = "coordination", "协调"
    INVALID = "invalid", "无效"


class ComplaintStatus(LabelledEnum):
    IN_PROGRESS = "in_progress", "处理中"
    PAUSED = "paused", "暂停"
    CLOSED = "closed", "关闭"


class CallbackMethod(LabelledEnum):
    PHONE = "phone", "电话"
    DOOR = "door", "上门"
    WRITTEN = "written", "书面"
    ONLINE = "online", "网络"
    MEETING = "meeting", "座谈会"


class AttemptResult(LabelledEnum):
    """One try to reach the requester; anything but `reached` counts against the success rate (R-CB-11)."""

    REACHED = "reached", "已接通"
    NO_ANSWER = "no_answer", "无人接听"
    WRONG_NUMBER = "wrong_number", "号码错误"
    REFUSED = "refused", "拒绝回访"


class FailureReason(LabelledEnum):
    """Why a callback ended without an answer (R-CB-11)."""

    ATTEMPTS_EXHAUSTED = "attempts_exhausted", "多次联系未果"
    WRONG_NUMBER = "wrong_number", "号码错误"
    REFUSED = "refused", "拒绝回访"


class Relation(LabelledEnum):
    """Who answered the callback, relative to the requester."""

    SELF = "self", "本人"
    FAMILY = "family", "家属"
    TENANT = "tenant", "租户"
    OTHER = "other", "其他"


class StaffRole(LabelledEnum):
    """The staff roles of DOMAIN.md plus the platform roles; also the JWT `role` claim."""

    RECEPTIONIST = "receptionist", "前台接待"
    DISPATCHER = "dispatcher", "调度员"
    DEPARTMENT_HEAD = "department_head", "部门主管"
    SITE_CAPTAIN = "site_captain", "现场班长"
    SERVICE_CENTER_STAFF = "service_center_staff", "服务中心人员"
    OFFICE_MANAGER = "office_manager", "管理处经理"
    PROPERTY_DIRECTOR = "property_director", "物业总监"
    ADMINISTRATOR = "administrator", "行政人员"
    QUALITY_DEPT = "quality_dept", "品质部"
    INTEGRATION = "integration", "系统集成"
    ADMIN = "admin", "系统管理员"


class EstateType(LabelledEnum):
    RESIDENTIAL = "residential", "住宅"
    COMMERCIAL = "commercial", "商业"


class MaterialSource(LabelledEnum):
    COMPANY = "company", "公司提供"
    OWNER = "owner", "业主自备"


class ReassignReason(LabelledEnum):
    OVERDUE_ESCALATION = "overdue_escalation", "超时升级"
    STAFF_UNAVAILABLE = "staff_unavailable", "人员不在岗"
    MANUAL = "manual", "人工调整"


class CampaignKind(LabelledEnum):
    """R-SV-1: the half-yearly full survey, functional groups' surveys, quarterly full callbacks."""

    FULL = "full", "全面意见征询"
    FUNCTIONAL = "functional", "职能部门征询"
    QUARTERLY_CALLBACK = "quarterly_callback", "季度全面回访"


class Metric(LabelledEnum):
    """The rates reporting measures against targets (R-RP-1, R-RP-2, R-SV-4, R-SV-5)."""

    OVERALL_SATISFACTION = "overall_satisfaction", "总体满意率"
    ITEM_SATISFACTION = "item_satisfaction", "分项满意率"
    CALLBACK_SATISFACTION = "callback_satisfaction", "回访满意率"
    COMPLAINT_SATISFACTION = "complaint_satisfaction", "投诉处理满意率"
    TIMELINESS = "timeliness", "回访及时率"
    SUCCESS_RATE = "success_rate", "回访成功率"
    COVERAGE = "coverage", "回访覆盖率"
    RETURN_RATE = "return_rate", "问卷回收率"


class SatisfactionScale(LabelledEnum):
    FOUR_LEVEL = "four_level", "四级（回访表）"
    THREE_LEVEL = "three_level", "三级（问卷）"


class Satisfaction4(LabelledEnum):
    """The four-level scale of callback forms."""

    VERY_SATISFIED = "very_satisfied", "非常满意"
    SATISFIED = "satisfied", "满意"
    FAIR = "fair", "一般"
    DISSATISFIED = "dissatisfied", "不满意"


class Satisfaction3(LabelledEnum):
    """The three-level scale (定性) of questionnaires."""

    SATISFIED = "satisfied", "满意"
    FAIRLY_SATISFIED = "fairly_satisfied", "一般满意"
    DISSATISFIED = "dissatisfied", "不满意"


Rating = Satisfaction4 | Satisfaction3


def is_satisfied_or_fair(rating: Rating) -> bool:
    """R-SV-3: on both scales every rating except "dissatisfied" counts as satisfied-or-fair."""
    return rating not in (Satisfaction4.DISSATISFIED, Satisfaction3.DISSATISFIED)


class SurveyDimension(LabelledEnum):
    """The fourteen survey dimensions (定向) of R-SV-2."""

    COMPLAINT_HANDLING = "complaint_handling", "投诉处理"
    EQUIPMENT = "equipment", "设备设施"
    BUILDING_REPAIR = "building_repair", "房屋维修"
    SECURITY = "security", "治安管理"
    FIRE_SAFETY = "fire_safety", "消防安全"
    CLEANING = "cleaning", "清洁卫生"
    LANDSCAPING = "landscaping", "绿化环境"
    PARKING = "parking", "停车管理"
    CLUBHOUSE = "clubhouse", "会所及配套设施"
    STAFF_EFFICIENCY = "staff_efficiency", "员工工作效率"
    STAFF_ATTITUDE = "staff_attitude", "员工服务态度"
    MANAGER_CONDUCT = "manager_conduct", "管理人员形象"
    OVERALL = "overall", "总体"
    OTHER = "other", "其他"
