"""ECharts options for consultation results and activity figures (pure; app.js draws them)."""

from django.utils.translation import gettext as _

PALETTE = ["#b5223b", "#3d5a80", "#81b29a", "#e07a5f", "#f2cc8f", "#6d597a"]


def _bar(labels: list[str], values: list[int], *, horizontal: bool) -> dict:
    category = {"type": "category", "data": labels, "axisLabel": {"width": 110, "overflow": "truncate"}}
    value = {"type": "value", "minInterval": 1}
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": value if horizontal else category,
        "yAxis": category if horizontal else value,
        "series": [{"type": "bar", "data": values, "label": {"show": True, "position": "right" if horizontal
                                                                else "top"}}],
    }


def question_chart(result) -> dict | None:
    """Option counts as horizontal bars (labels stay readable on a phone); ratings as columns 1..n."""
    if result.options:
        labels = [label for label, _ in result.options][::-1]
        return _bar(labels, [n for _, n in result.options][::-1], horizontal=True)
    if result.distribution:
        return _bar([_("{v}分").format(v=v) for v, _n in result.distribution], [n for _v, n in result.distribution],
                    horizontal=False)
    return None


def registration_chart(figures) -> dict:
    labels = [_("已报名"), _("候补"), _("已到场"), _("未到场"), _("已取消")]
    values = [figures.confirmed, figures.waiting, figures.attended, figures.absent, figures.cancelled]
    return _bar(labels, values, horizontal=False)
