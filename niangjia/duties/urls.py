from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("", views.my_checklists, name="my"),
    path("a/<int:pk>/", views.assignment_detail, name="assignment"),
    path("a/<int:pk>/items/<int:item_pk>/record/", views.evidence_record, name="record"),
    path("a/<int:pk>/review/", views.review, name="review"),
    path("evidence/<int:pk>/withdraw/", views.evidence_withdraw, name="withdraw"),
    path("evidence/<int:pk>/correct/", views.evidence_correct, name="correct"),
    path("a/<int:pk>/cancel/", views.assignment_cancel, name="cancel"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="file"),
    path("link-search/", views.link_search, name="link_search"),
    path("progress/", views.progress, name="progress"),
    path("behind/", views.behind, name="behind"),
    path("remind/", views.remind, name="remind"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("hand-out/", views.hand_out, name="hand_out"),
]
