from django.urls import path

from . import views

app_name = "reform"

urlpatterns = [
    path("", views.board, name="board"),
    path("measures/", views.measures, name="measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("documents/", views.documents, name="documents"),
    path("plans/", views.plans, name="plans"),
    path("pilots/", views.pilots, name="pilots"),
]
