"""Public (no-login) pages of this app, mounted at /p/participation/."""

urlpatterns: list = []
