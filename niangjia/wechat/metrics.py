"""The summary metrics of official-account messages: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from niangjia.core.metrics import Metric, register

MESSAGE = register(Metric("wechat_message", "wechat.WeChatMessage", "day", category_field="outcome", label="微信公众号留言",
           area="需求与服务", noun="条", perm="needs.view", category_title="去向"))
