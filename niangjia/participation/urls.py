from django.urls import path

from . import views, views_activities, views_box

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
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("answers/<int:pk>/need/", views.answer_to_need, name="answer_need"),
    path("answers/<int:pk>/idea/", views.answer_to_idea, name="answer_idea"),
    path("suggestions/", views_box.inbox, name="inbox"),
    path("suggestions/<int:pk>/", views_box.letter, name="letter"),
    path("suggestions/<int:pk>/reply/", views_box.letter_reply, name="letter_reply"),
    path("suggestions/<int:pk>/public/", views_box.letter_public, name="letter_public"),
    path("suggestions/<int:pk>/need/", views_box.letter_to_need, name="letter_need"),
    path("suggestions/<int:pk>/reveal/", views_box.letter_reveal, name="letter_reveal"),
    path("ideas/", views_activities.idea_list, name="ideas"),
    path("ideas/new/", views_activities.idea_new, name="idea_new"),
    path("activities/", views_activities.activity_list, name="activities"),
    path("activities/new/", views_activities.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views_activities.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views_activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/codesigners/", views_activities.codesigner_add, name="codesigner_add"),
    path("activities/<int:pk>/codesigners/<int:did>/remove/", views_activities.codesigner_remove,
         name="codesigner_remove"),
    path("activities/<int:pk>/ideas/", views_activities.idea_add, name="idea_add"),
    path("activities/<int:pk>/registrations/", views_activities.registration_add, name="registration_add"),
    path("activities/<int:pk>/registrations.xlsx", views_activities.registrations_export, name="registrations_export"),
    path("registrations/<int:pk>/cancel/", views_activities.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/attendance/", views_activities.attendance, name="attendance"),
]
