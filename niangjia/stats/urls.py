from django.urls import path

from . import views
from .views import coverage, figures, pivot

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("activities/", views.activities, name="activities"),
    path("figures/", figures.overview, name="figures"),
    path("coverage/", coverage.page, name="coverage"),
    path("pivot/", pivot.pivot_page, name="pivot"),
    path("pivot/save/", pivot.pivot_save, name="pivot_save"),
    path("pivot/<int:pk>/", pivot.pivot_open, name="pivot_open"),
    path("pivot/<int:pk>/delete/", pivot.pivot_delete, name="pivot_delete"),
    path("figures/<str:metric>/", figures.detail, name="figure"),
]
