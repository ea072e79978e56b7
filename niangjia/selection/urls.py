"""Staff pages of the open selection, mounted at /selection/."""

from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("", views.selection_list, name="list"),
    path("new/", views.selection_new, name="new"),
    path("<int:pk>/", views.selection_detail, name="detail"),
    path("<int:pk>/config/", views.selection_config, name="config"),
    path("<int:pk>/step/<slug:step>/", views.selection_advance, name="advance"),
    path("<int:pk>/candidates/", views.candidate_list, name="candidates"),
    path("<int:pk>/candidates/new/", views.candidate_new, name="candidate_new"),
    path("<int:pk>/ranking/", views.ranking, name="ranking"),
    path("<int:pk>/sheet/", views.sheet, name="sheet"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/vet/", views.candidate_vet, name="vet"),
    path("candidates/<int:pk>/elect/", views.candidate_elect, name="elect"),
    path("parts/<int:pk>/", views.part_detail, name="part"),
    path("parts/<int:pk>/close/", views.part_close, name="part_close"),
    path("scorers/<int:pk>/reissue/", views.scorer_reissue, name="reissue"),
    path("scores/<int:pk>/correct/", views.score_correct, name="correct"),
]
