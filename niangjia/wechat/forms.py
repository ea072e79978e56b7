"""Forms of the staff pages (parsing only; the service validates and refuses)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from niangjia.core.forms import StyledForm

from .models import WeChatAccount
from .rules import WELCOME_DEFAULT

SECRET_HELP_EDIT = _("留空表示不修改（已保存的密钥不会显示）")


class AccountForm(StyledForm):
    unit = forms.TypedChoiceField(label=_("所属妇联"), coerce=int)
    name = forms.CharField(label=_("公众号名称"), max_length=80)
    slug = forms.CharField(label=_("地址标识"), max_length=50,
                           help_text=_("回调地址为 /p/wechat/<标识>/；小写字母、数字和连字符"))
    app_id = forms.CharField(label="AppID", max_length=32)
    token = forms.CharField(label=_("令牌（Token）"), max_length=32, widget=forms.PasswordInput(render_value=False))
    encoding_aes_key = forms.CharField(label=_("消息加解密密钥（EncodingAESKey）"), max_length=43, required=False,
                                       widget=forms.PasswordInput(render_value=False),
                                       help_text=_("安全模式必填，43 位"))
    mode = forms.ChoiceField(label=_("消息加解密方式"), choices=WeChatAccount.Mode.choices, initial=WeChatAccount.Mode.SAFE)
    welcome = forms.CharField(label=_("关注欢迎语"), max_length=300, required=False, help_text=_("留空则使用默认欢迎语"),
                              widget=forms.Textarea(attrs={"rows": 3, "placeholder": WELCOME_DEFAULT}))
    rate_per_minute = forms.IntegerField(label=_("每分钟消息上限"), min_value=1, max_value=100_000, initial=600)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, units=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if editing:
            del self.fields["unit"]
            for name in ("token", "encoding_aes_key"):
                self.fields[name].required = False
                self.fields[name].help_text = SECRET_HELP_EDIT
