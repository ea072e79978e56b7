from django.urls import path

from . import views
from .views import onboarding

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("session/", views.session_state, name="session"),
    path("session/login/", views.session_login, name="session_login"),
    path("p/", views.public_index, name="public_index"),
    path("language/", views.language_set, name="language"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("outbox/", views.outbox, name="outbox"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", onboarding.password_change, name="password_change"),
    path("users/import/", onboarding.account_import, name="account_import"),
    path("users/import/template.xlsx", onboarding.account_import_template, name="account_import_template"),
    path("users/import/<int:pk>/", onboarding.account_import_job, name="account_import_job"),
    path("users/import/<int:pk>/confirm/", onboarding.account_import_confirm, name="account_import_confirm"),
    path("users/import/<int:pk>/sheet/", onboarding.account_import_sheet, name="account_import_sheet"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_active"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("", views.home, name="home"),
]
