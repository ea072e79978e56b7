from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="my"),
    path("counts/", views.counts, name="counts"),
    path("new/", views.case_new, name="new"),
    path("from-need/<int:need_pk>/", views.case_from_need, name="from_need"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.case_action, name="action"),
    path("hotline/", views.hotline, name="hotline"),
    path("hotline/new/", views.hotline_new, name="call_new"),
    path("hotline/<int:pk>/", views.hotline_call, name="call"),
    path("hotline/<int:pk>/assign/", views.hotline_assign, name="call_assign"),
]
