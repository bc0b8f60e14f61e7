from django.urls import path

from . import coach_views, views

app_name = "appointments"

urlpatterns = [
    path("", views.slot_list, name="slots"),
    path("boeken/", views.book, name="book"),
    path("mijn/<str:token>/", views.appointment_detail, name="appointment"),
    path("mijn/<str:token>/annuleren/", views.appointment_cancel_view, name="cancel"),
    path("mijn/<str:token>/verzetten/", views.appointment_move_view, name="move"),
    path("mijn/<str:token>/afspraak.ics", views.appointment_ics, name="ics"),
    path("coach/", coach_views.coach_day, name="coach_day"),
    path("coach/afspraak/<int:pk>/", coach_views.coach_mark, name="coach_mark"),
    path("coach/nieuwe-agendalink/", coach_views.coach_feed_new, name="coach_feed_new"),
    path("coach/agenda/<str:token>.ics", coach_views.coach_feed, name="coach_feed"),
]
