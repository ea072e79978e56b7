from django.urls import path

from . import views
from .views import catalogue

app_name = "needs"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("new/", views.need_new, name="new"),
    path("persons/", views.person_options, name="person_options"),
    path("<int:pk>/", views.need_detail, name="detail"),
    path("<int:pk>/edit/", views.need_edit, name="edit"),
    path("<int:pk>/step/<str:step>/", views.need_step, name="step"),
    path("<int:pk>/order/", views.need_order, name="order"),
    path("<int:pk>/rate/", views.need_rate, name="rate"),
    path("<int:pk>/contact/", views.need_contact, name="contact"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", catalogue.service_edit, name="service_edit"),
    path("catalogue/<int:pk>/toggle/", catalogue.service_toggle, name="service_toggle"),
    path("providers/", catalogue.providers, name="providers"),
    path("providers/<int:pk>/", catalogue.provider_edit, name="provider_edit"),
    path("providers/<int:pk>/toggle/", catalogue.provider_toggle, name="provider_toggle"),
    path("orders/", catalogue.orders, name="orders"),
    path("orders/<int:pk>/<str:step>/", catalogue.order_step, name="order_step"),
]
