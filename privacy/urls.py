from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.statement, name="statement"),
    path("toestemming/<str:token>/", views.consent_withdraw_view, name="consent_withdraw"),
]
