"""Public (no-login) pages of this app, mounted at /p/wechat/: WeChat's server callback."""

from django.urls import path

from . import callback

app_name = "wechat_public"

urlpatterns = [
    path("<slug:ref>/", callback.callback, name="callback"),
]
