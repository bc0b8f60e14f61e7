from django.urls import path

from . import views

app_name = "sessions"
urlpatterns = [
    path("", views.home, name="home"),
    path("agenda/", views.agenda, name="agenda"),
    path("bijeenkomst/<int:pk>/", views.session_detail, name="detail"),
    path("bijeenkomst/<int:pk>/agenda.ics", views.session_ics, name="ics"),
    path("aanmelding/<str:token>/", views.registration_detail, name="registration"),
    path("aanmelding/<str:token>/afmelden/", views.registration_cancel_view, name="registration_cancel"),
    path("aanmelding/<str:token>/agenda.ics", views.registration_ics, name="registration_ics"),
    path("vestiging/<slug:library>/<slug:slug>/agenda.ics", views.branch_feed, name="branch_feed"),
    path("mijn-aanmeldingen/", views.my_registrations, name="my_registrations"),
]
