"""Public (no-login) pages of this app, mounted at /p/selection/."""

urlpatterns: list = []
