from django.urls import path

from . import views
from .views import coverage, figures

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("activities/", views.activities, name="activities"),
    path("figures/", figures.overview, name="figures"),
    path("coverage/", coverage.page, name="coverage"),
    path("figures/<str:metric>/", figures.detail, name="figure"),
]
