from django.urls import path

from . import views

app_name = "referrers"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("verwijzen/", views.referral_new, name="new"),
    path("verwijzing/<int:pk>/", views.referral_detail, name="detail"),
    path("verwijzingen.csv", views.export, name="export"),
]
