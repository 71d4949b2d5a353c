"""The resident page's words: Chinese first, English on `?lang=en`."""

from __future__ import annotations

from huifang_contracts.enums import Satisfaction3, Satisfaction4, SatisfactionScale, SurveyDimension

ZH = {
    "lang": "zh-CN",
    "switch": "English",
    "intro": "感谢您抽出时间评价我们的服务。每项请选择一个评价，带 * 的为必答。",
    "comment": "意见（选填）",
    "comments": "其他意见或建议（选填）",
    "suggestions": "建议（选填）",
    "issue": "还有其他需要我们处理的问题吗？（选填，将作为新的投诉登记）",
    "submit": "提交",
    "required": "必答",
    "thanks_title": "提交成功",
    "thanks": "感谢您的评价！我们会认真对待您的每一条意见。",
    "used_title": "此链接已使用",
    "used": "每户只能提交一次，您已提交过，无需重复填写。",
    "expired_title": "此链接已过期",
    "expired": "调查已结束或链接已失效。如需反映问题，请联系物业服务中心。",
    "closed_title": "调查已结束",
    "closed": "本次调查已结束，感谢您的关注。",
    "unknown_title": "链接无效",
    "unknown": "未找到此调查链接，请核对链接是否完整，或联系物业服务中心。",
    "error": "请检查以下内容：",
}
EN = {
    "lang": "en",
    "switch": "中文",
    "intro": "Thank you for rating our service. Choose one rating per item; items marked * are required.",
    "comment": "Comment (optional)",
    "comments": "Other comments or suggestions (optional)",
    "suggestions": "Suggestions (optional)",
    "issue": "Anything else we should handle? (optional, registered as a new complaint)",
    "submit": "Submit",
    "required": "required",
    "thanks_title": "Thank you",
    "thanks": "Your answers were received.",
    "used_title": "This link was already used",
    "used": "Each household answers once; your answers are already in.",
    "expired_title": "This link has expired",
    "expired": "The survey has ended or the link is no longer valid. Please contact the service center.",
    "closed_title": "The survey has ended",
    "closed": "This survey is closed. Thank you for your interest.",
    "unknown_title": "Invalid link",
    "unknown": "This survey link was not found. Please check it or contact the service center.",
    "error": "Please check:",
}

CALLBACK_LABELS = {
    "zh": {"punctuality": "及时性", "attitude": "服务态度", "quality": "服务质量", "overall": "总体评价"},
    "en": {"punctuality": "Punctuality", "attitude": "Attitude", "quality": "Quality", "overall": "Overall"},
}
EN_LEVELS = {
    "very_satisfied": "Very satisfied",
    "satisfied": "Satisfied",
    "fair": "Fair",
    "fairly_satisfied": "Fairly satisfied",
    "dissatisfied": "Dissatisfied",
}


def texts(lang: str) -> dict[str, str]:
    return EN if lang == "en" else ZH


def dimension_label(name: str, lang: str) -> str:
    callback = CALLBACK_LABELS["en" if lang == "en" else "zh"]
    if name in callback:
        return callback[name]
    dimension = SurveyDimension(name)
    return dimension.value.replace("_", " ").capitalize() if lang == "en" else dimension.label_zh


def levels(scale: SatisfactionScale, lang: str) -> list[tuple[str, str]]:
    """(value, label) of each rating on the scale, best first."""
    members = Satisfaction4 if scale is SatisfactionScale.FOUR_LEVEL else Satisfaction3
    return [(m.value, EN_LEVELS[m.value] if lang == "en" else m.label_zh) for m in members]
