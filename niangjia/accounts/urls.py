from django.urls import path

from . import views, views_onboarding

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("session/", views.session_state, name="session"),
    path("session/login/", views.session_login, name="session_login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views_onboarding.password_change, name="password_change"),
    path("users/import/", views_onboarding.account_import, name="account_import"),
    path("users/import/template.xlsx", views_onboarding.account_import_template, name="account_import_template"),
    path("users/import/<int:pk>/", views_onboarding.account_import_job, name="account_import_job"),
    path("users/import/<int:pk>/confirm/", views_onboarding.account_import_confirm, name="account_import_confirm"),
    path("users/import/<int:pk>/sheet/", views_onboarding.account_import_sheet, name="account_import_sheet"),
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
