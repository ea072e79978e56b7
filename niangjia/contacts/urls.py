from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.my_plans, name="mine"),
    path("plans/new/", views.plan_create_own, name="plan_create"),
    path("plans/<int:pk>/edit/", views.plan_update, name="plan_update"),
    path("plans/<int:pk>/candidates/", views.candidates, name="candidates"),
    path("plans/<int:pk>/targets/", views.target_add, name="target_add"),
    path("targets/<int:pk>/events/", views.event_record, name="event_record"),
    path("targets/<int:pk>/reveal/<str:field>/", views.target_reveal, name="target_reveal"),
    path("targets/<int:pk>/remove/", views.target_remove, name="target_remove"),
    path("unit/", views.unit_home, name="unit_home"),
    path("unit/<int:pk>/", views.unit_overview, name="unit"),
    path("unit/<int:pk>/plans/new/", views.plan_create_for, name="plan_create_for"),
]
