"""Public (no-login) pages of this app, mounted at /p/awards/."""

urlpatterns: list = []
