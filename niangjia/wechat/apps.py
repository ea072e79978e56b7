from django.apps import AppConfig


class WechatConfig(AppConfig):
    name = "niangjia.wechat"
    label = "wechat"
    verbose_name = "微信公众号接入"
