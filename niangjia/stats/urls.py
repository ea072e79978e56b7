from django.urls import path

from . import views, views_coverage, views_figures, views_pivot

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("activities/", views.activities, name="activities"),
    path("figures/", views_figures.overview, name="figures"),
    path("coverage/", views_coverage.page, name="coverage"),
    path("pivot/", views_pivot.pivot_page, name="pivot"),
    path("pivot/save/", views_pivot.pivot_save, name="pivot_save"),
    path("pivot/<int:pk>/", views_pivot.pivot_open, name="pivot_open"),
    path("pivot/<int:pk>/delete/", views_pivot.pivot_delete, name="pivot_delete"),
    path("figures/<str:metric>/", views_figures.detail, name="figure"),
]
