from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("open-data/hsds.json", views.open_data_hsds, name="hsds"),
    path("<slug:library>/<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:library>/<slug:slug>/agenda.ics", views.programme_feed, name="feed"),
]
