"""Demo: 安吉县妇联's 公众号 in safe mode with a few messages women sent, taken in through the
same service the callback uses (so each became a need, or a suggestion, with its reply)."""

from datetime import datetime, time, timedelta

from . import protocol, services
from .models import WeChatAccount

# Published with the demo on purpose, so anyone can try the callback with a WeChat simulator.
DEMO_TOKEN = "anjiniangjia"
DEMO_AES_KEY = "anjiNiangjiaDemoKey0123456789abcdefghijklmn"
DEMO_APP_ID = "wxa1b2c3d4e5f6a7b8"
DEMO_SLUG = "anji"

MESSAGES = [
    ("你好，我想参加电商直播培训，在哪里报名？", 3),
    ("孩子上初中了很叛逆，不知道怎么沟通，想请老师辅导一下", 5),
    ("丈夫喝酒后经常打我，我不敢回家", 8),
    ("建议：村里能不能多办几次妇女健康讲座", 10),
    ("家里老人生病，生活很困难，能申请补助吗", 13),
]


def load(ctx) -> None:
    place = ctx.by_name.get("安吉县")
    if place is None:
        return
    account = services.account_create(actor=ctx.admin, unit=place.fed, name="安吉女性（安吉县妇联）", slug=DEMO_SLUG,
                                       app_id=DEMO_APP_ID, token=DEMO_TOKEN, encoding_aes_key=DEMO_AES_KEY,
                                       mode=WeChatAccount.Mode.SAFE)
    today = ctx.fake.today
    for n, (text, hour) in enumerate(MESSAGES, start=1):
        sent = int(datetime.combine(today - timedelta(days=len(MESSAGES) - n), time(hour, 17 * n % 60)).timestamp())
        inbound = protocol.Inbound(to_user="gh_anjinvxing", from_user=f"oAnjiDemo{ctx.fake.between(10**9, 10**10)}",
                                   create_time=sent, msg_type="text", content=text, msg_id=f"{7_300_000_000_000 + n}",
                                   event="")
        services.message_record(account=account, inbound=inbound)
    ctx.counts["wechat_messages"] = len(MESSAGES)
