from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.forms, name="forms"),
    path("forms/new/", views.form_new, name="form_new"),
    path("forms/<int:pk>/", views.form_period, name="form"),
    path("forms/<int:pk>/open/", views.open_report, name="open"),
    path("forms/<int:pk>/upload/", views.upload, name="upload"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
]
