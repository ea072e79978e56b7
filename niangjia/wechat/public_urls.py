"""Public (no-login) pages of this app, mounted at /p/wechat/."""

urlpatterns: list = []
