"""WeChat Official Account intake (微信公众号接入): one account per federation, and the messages it took in.

The account's token and EncodingAESKey are secrets: stored as Fernet ciphertext (core.sensitive),
never shown back. A message row keeps what it became and the reply it got (so WeChat's retries get
the same answer); the sender's OpenID is personal data, kept only as a blind index and a mask.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel, ancestors_match_unit_check


class WeChatAccount(ScopedModel):
    """A 公众号 whose server configuration points at /p/wechat/<id or slug>/."""

    class Mode(models.TextChoices):
        PLAINTEXT = "plaintext", _("明文模式")
        SAFE = "safe", _("安全模式（加密）")

    name = models.CharField(_("公众号名称"), max_length=80)
    slug = models.SlugField(_("地址标识"), max_length=50, unique=True,
                            help_text=_("用于回调地址 /p/wechat/<标识>/，小写字母、数字和连字符"))
    app_id = models.CharField("AppID", max_length=32)
    token_enc = models.TextField(editable=False)
    aes_key_enc = models.TextField(editable=False, blank=True)
    mode = models.CharField(_("消息加解密方式"), max_length=10, choices=Mode.choices, default=Mode.SAFE)
    welcome = models.CharField(_("关注欢迎语"), max_length=300, blank=True, help_text=_("留空则使用默认欢迎语"))
    rate_per_minute = models.PositiveIntegerField(_("每分钟消息上限"), default=600)
    active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [ancestors_match_unit_check("wechataccount")]
        indexes = [models.Index(fields=["l4", "id"], name="wechat_acct_l4")]
        verbose_name = verbose_name_plural = _("微信公众号")

    def __str__(self) -> str:
        return self.name


class WeChatMessage(ScopedModel):
    """One text message taken in; retried deliveries (same MsgId) find this row and its reply."""

    class Outcome(models.TextChoices):
        NEED = "need", _("妇女需求")
        SUGGESTION = "suggestion", _("意见建议")

    account = models.ForeignKey(WeChatAccount, on_delete=models.PROTECT, related_name="messages",
                                verbose_name=_("公众号"))
    msg_key = models.CharField(_("消息标识"), max_length=64, help_text=_("MsgId；没有时为发送者与时间"))
    sender_bidx = models.CharField(max_length=64, db_index=True)
    sender_mask = models.CharField(_("发送者"), max_length=20)
    sent_at = models.DateTimeField(_("发送时间"))
    day = models.DateField(_("接收日期"))
    outcome = models.CharField(_("登记为"), max_length=12, choices=Outcome.choices)
    record_type = models.CharField(max_length=48)
    record_id = models.BigIntegerField()
    tracking_code = models.CharField(_("查询码"), max_length=12)
    reply = models.TextField(_("回复内容"))
    reply_time = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "msg_key"], name="wechat_msg_once"),
            ancestors_match_unit_check("wechatmessage"),
        ]
        indexes = [models.Index(fields=["account", "day", "id"], name="wechat_msg_account_day"),
                   models.Index(fields=["l4", "day", "id"], name="wechat_msg_l4_day")]
        verbose_name = verbose_name_plural = _("微信消息")

    def __str__(self) -> str:
        return f"{self.sender_mask} {self.tracking_code}"
