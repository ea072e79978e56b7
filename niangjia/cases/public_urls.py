"""Public (no-login) pages of this app, mounted at /p/cases/."""

urlpatterns: list = []
