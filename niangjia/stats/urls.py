from django.urls import path

from . import views, views_coverage, views_figures

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("activities/", views.activities, name="activities"),
    path("figures/", views_figures.overview, name="figures"),
    path("coverage/", views_coverage.page, name="coverage"),
    path("figures/<str:metric>/", views_figures.detail, name="figure"),
]
