"""Pure rules of WeChat intake: what a woman's message becomes, and what the account answers.

No I/O. The category guess is a first sorting for the ledger (a cadre corrects it when she
handles the need); safety comes first, so violence words win over every other category.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Checked in this order; the first category with a keyword in the message wins.
CATEGORY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rights", ("家暴", "家庭暴力", "殴打", "打我", "被打", "暴力", "性骚扰", "骚扰", "拐卖", "虐待", "维权",
                "威胁", "跟踪", "救命", "要杀", "杀了我")),
    ("counselling", ("心理", "抑郁", "焦虑", "失眠", "压力", "想不开", "轻生", "自杀", "崩溃")),
    ("legal", ("法律", "律师", "起诉", "官司", "法院", "合同", "抚养费", "赡养费", "财产", "欠薪", "工资")),
    ("mediation", ("离婚", "婚姻", "调解", "纠纷", "吵架", "矛盾", "婆婆", "婆媳", "丈夫", "老公")),
    ("employment", ("就业", "创业", "工作", "招聘", "找活", "培训", "技能", "贷款", "失业", "电商", "直播")),
    ("family_education", ("孩子", "儿子", "女儿", "家庭教育", "辅导", "育儿", "上学", "厌学", "叛逆")),
    ("hardship", ("困难", "救助", "低保", "贫困", "看病", "生病", "残疾", "补助", "帮扶", "单亲")),
)
PERM = "org.edit"  # accounts belong to the federation's own organisation settings
DEFAULT_CATEGORY = "other"

CRITICAL_WORDS = ("救命", "要杀", "杀了我", "自杀", "想死", "轻生", "报警")
URGENT_WORDS = ("紧急", "马上", "急", "家暴", "打我", "被打", "殴打", "威胁", "跟踪")

SUGGESTION_PREFIXES = ("建议", "意见")
LEADING_PUNCT = " \t\r\n：:，,。.、-—~!！"
DESCRIPTION_MAX = 500  # the ledger's description column; WeChat texts run to 2,048 characters
SUGGESTION_MAX = 2000  # the suggestion box's text column


def guess_category(text: str) -> str:
    """The ledger category a message most likely belongs to, or "other"."""
    for category, words in CATEGORY_KEYWORDS:
        if any(w in text for w in words):
            return category
    return DEFAULT_CATEGORY


def guess_urgency(text: str) -> str:
    """"critical" for danger to life, "urgent" for violence or haste, else "normal"."""
    if any(w in text for w in CRITICAL_WORDS):
        return "critical"
    if any(w in text for w in URGENT_WORDS):
        return "urgent"
    return "normal"


def is_suggestion(text: str) -> bool:
    """A message starting with 建议 or 意见 goes to the suggestion box, not the needs ledger."""
    return text.lstrip(LEADING_PUNCT).startswith(SUGGESTION_PREFIXES)


def suggestion_text(text: str) -> str:
    """The suggestion without its 建议：/意见： prefix (the whole text if nothing else is left)."""
    stripped = text.lstrip(LEADING_PUNCT)
    for prefix in SUGGESTION_PREFIXES:
        if stripped.startswith(prefix):
            rest = stripped[len(prefix):].lstrip(LEADING_PUNCT)
            return rest or stripped
    return stripped


def clip(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """Fit a long message into the ledger column, marking the cut."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


def show_code(code: str) -> str:
    """K7PX3MQ9 → K7PX-3MQ9, easier to read out and type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def mask_openid(openid: str) -> str:
    """What staff see of a sender: enough to tell two senders apart on one page, not to find her."""
    if len(openid) <= 8:
        return "*" * len(openid)
    return openid[:3] + "****" + openid[-3:]


NEED_TRACK_PATH = "/p/needs/track/"  # the needs app's public lookup
SUGGESTION_TRACK_PATH = "/p/participation/box/track/"  # the suggestion box's public lookup


def need_reply(code: str, *, urgency: str, track_url: str) -> str:
    lines = [_("您的诉求已登记，我们会尽快联系处理。查询码：{value}").format(value=show_code(code)),
             _("凭查询码可在 {track_url} 查看办理进度。").format(track_url=track_url)]
    if urgency == "critical":
        lines.insert(0, _("如遇人身危险，请立即拨打 110 报警，或拨打 12338 妇女维权热线。"))
    elif urgency == "urgent":
        lines.append(_("紧急情况请拨打 12338 妇女维权热线。"))
    return "\n".join(lines)


def suggestion_reply(code: str, *, track_url: str) -> str:
    return (_("感谢您的建议，我们已收到并会认真研究。查询码：{value}\n凭查询码可在 {track_url} 查看答复。").format(value=show_code(code), track_url=track_url))


WELCOME_DEFAULT = (gettext_lazy("欢迎关注！这里是妇联“娘家”。有困难、需求或建议，直接发文字消息给我们即可；"
                   "以“建议”或“意见”开头的消息将作为意见建议登记。紧急情况请拨打 12338。"))
NOT_TEXT = gettext_lazy("您好，目前只能受理文字消息，请用文字描述您的需求或建议。")
EMPTY_TEXT = gettext_lazy("您好，消息内容为空，请用文字描述您的需求或建议。")
TOO_MANY = gettext_lazy("您好，您短时间内发送的消息较多，已暂停受理，请稍后再发；紧急情况请拨打 12338 妇女维权公益服务热线或 110。")

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,48}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9]{3,32}$")  # the WeChat console allows 3–32 letters and digits
APP_ID_RE = re.compile(r"^[A-Za-z0-9_]{6,32}$")


def what_to_do(msg_type: str, event: str, content: str) -> str:
    """How the endpoint treats one inbound message: "welcome", "record", "empty" or "not_text"."""
    if msg_type == "event":
        return "welcome" if event == "subscribe" else "ignore"
    if msg_type != "text":
        return "not_text"
    return "record" if content.strip() else "empty"
