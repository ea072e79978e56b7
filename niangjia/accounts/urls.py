from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("session/", views.session_state, name="session"),
    path("session/login/", views.session_login, name="session_login"),
    path("p/", views.public_index, name="public_index"),
    path("language/", views.language_set, name="language"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("outbox/", views.outbox, name="outbox"),
    path("logout/", views.logout_view, name="logout"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_active"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("audit/", views.audit_list, name="audit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("", views.home, name="home"),
]
