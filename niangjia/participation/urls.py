from django.urls import path

from . import views
from .views import activities, box

app_name = "participation"

urlpatterns = [
    path("", views.consultation_list, name="home"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/publish/", views.consultation_publish, name="consultation_publish"),
    path("consultations/<int:pk>/questions/", views.question_add, name="question_add"),
    path("consultations/<int:pk>/paper/", views.paper_entry, name="paper"),
    path("consultations/<int:pk>/links/", views.links_issue, name="links"),
    path("consultations/<int:pk>/results/", views.results, name="results"),
    path("responses/<int:pk>/void/", views.response_void, name="response_void"),
    path("responses/<int:pk>/correct/", views.response_correct, name="response_correct"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("answers/<int:pk>/need/", views.answer_to_need, name="answer_need"),
    path("answers/<int:pk>/idea/", views.answer_to_idea, name="answer_idea"),
    path("suggestions/", box.inbox, name="inbox"),
    path("suggestions/<int:pk>/", box.letter, name="letter"),
    path("suggestions/<int:pk>/reply/", box.letter_reply, name="letter_reply"),
    path("suggestions/<int:pk>/public/", box.letter_public, name="letter_public"),
    path("suggestions/<int:pk>/need/", box.letter_to_need, name="letter_need"),
    path("suggestions/<int:pk>/reveal/", box.letter_reveal, name="letter_reveal"),
    path("ideas/", activities.idea_list, name="ideas"),
    path("ideas/new/", activities.idea_new, name="idea_new"),
    path("activities/", activities.activity_list, name="activities"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/codesigners/", activities.codesigner_add, name="codesigner_add"),
    path("activities/<int:pk>/codesigners/<int:did>/remove/", activities.codesigner_remove,
         name="codesigner_remove"),
    path("activities/<int:pk>/ideas/", activities.idea_add, name="idea_add"),
    path("activities/<int:pk>/registrations/", activities.registration_add, name="registration_add"),
    path("activities/<int:pk>/registrations.xlsx", activities.registrations_export, name="registrations_export"),
    path("registrations/<int:pk>/cancel/", activities.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/attendance/", activities.attendance, name="attendance"),
]
