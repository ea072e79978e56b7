"""Public (no-login) pages of this app, mounted at /p/needs/."""

urlpatterns: list = []
