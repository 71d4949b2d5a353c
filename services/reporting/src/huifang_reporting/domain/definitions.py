"""What each rate's numerator and denominator count, in words (zh-CN first, English available).

The API answers carry these once per answer (`definitions`), so a reader of any figure can tell what
was counted without reading the code; the README's formulas say the same.
"""

from __future__ import annotations

from collections.abc import Mapping

from huifang_contracts.enums import Metric

#: metric → (numerator zh, numerator en, denominator zh, denominator en)
_WORDS: Mapping[Metric, tuple[str, str, str, str]] = {
    # R-SV-4
    Metric.OVERALL_SATISFACTION: (
        "总体评价为满意或较满意的问卷数",
        "questionnaires rating the overall item satisfied or fairly satisfied",
        "回收的问卷数",
        "questionnaires returned",
    ),
    # R-RP-1
    Metric.CALLBACK_SATISFACTION: (
        "评价为满意或较满意的已完成回访数",
        "completed callbacks rated satisfied or fair (either scale)",
        "已完成的回访数",
        "callbacks completed",
    ),
    Metric.COMPLAINT_SATISFACTION: (
        "评价为满意或较满意的已完成投诉回访数",
        "completed complaint callbacks rated satisfied or fair",
        "已完成的投诉回访数",
        "complaint callbacks completed",
    ),
    # R-RP-2
    Metric.TIMELINESS: (
        "在回访期限内完成的回访数",
        "callbacks completed within their due window",
        "已完成的回访数",
        "callbacks completed",
    ),
    # R-RP-2 "reached / attempted", counted per callback (R-CB-11): a callback is reached when it is
    # completed, and attempted once it has an outcome; one still being tried counts in neither.
    Metric.SUCCESS_RATE: (
        "已联系上并完成的回访数",
        "callbacks reached (completed)",
        "已有结果的回访数（完成＋失败：尝试用尽或拒绝），尚在尝试中的不计",
        "callbacks with an outcome (completed + failed: attempts used up or refused); "
        "those still being tried are not counted",
    ),
    Metric.COVERAGE: (
        "按政策应回访且已完成的回访数",
        "callbacks required by the policy and completed",
        "按政策应回访的回访数（已排期）",
        "callbacks required by the policy (scheduled)",
    ),
    # R-SV-4
    Metric.RETURN_RATE: (
        "回收的问卷数（已结束的调查取其回收数）",
        "questionnaires returned (a closed campaign: its returned count)",
        "发放的问卷数",
        "questionnaires issued",
    ),
}


def definitions() -> dict[str, dict[str, dict[str, str]]]:
    """metric → numerator / denominator → {"zh": …, "en": …}: what the API's figures count."""
    return {
        metric.value: {
            "numerator": {"zh": num_zh, "en": num_en},
            "denominator": {"zh": den_zh, "en": den_en},
        }
        for metric, (num_zh, num_en, den_zh, den_en) in _WORDS.items()
    }
