from django.urls import path

from . import change_views, views

app_name = "referrers"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("verwijzen/", views.referral_new, name="new"),
    path("verwijzing/<int:pk>/", views.referral_detail, name="detail"),
    path("verwijzing/<int:pk>/corrigeren/", change_views.correct, name="correct"),
    path("verwijzing/<int:pk>/intrekken/", change_views.withdraw, name="withdraw"),
    path("verwijzingen.csv", views.export, name="export"),
]
