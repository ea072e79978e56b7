from django.urls import path

from . import views

app_name = "wechat"

urlpatterns = [
    path("", views.account_list, name="accounts"),
    path("new/", views.account_create, name="account_create"),
    path("<int:pk>/", views.account_detail, name="account"),
    path("<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("<int:pk>/toggle/", views.account_toggle, name="account_toggle"),
]
