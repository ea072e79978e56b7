"""Public (no-login) pages of this app, mounted at /p/participation/."""

from django.urls import path

from .views import public as v

app_name = "participation_public"

urlpatterns = [
    path("", v.index, name="index"),
    path("u/<int:unit_id>/", v.place, name="place"),
    path("c/<int:pk>/", v.answer, name="answer"),
    path("c/<int:pk>/code/", v.check_code, name="check_code"),
    path("c/<int:pk>/thanks/", v.thanks, name="thanks"),
    path("c/<int:pk>/qr.<str:kind>", v.consultation_qr, name="qr"),
    path("box/<int:unit_id>/", v.box, name="box"),
    path("box/track/", v.track, name="track"),
    path("a/<int:pk>/", v.activity, name="activity"),
    path("mine/", v.mine, name="mine"),
]
