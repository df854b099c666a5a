from django.urls import path

from timeline import about, views

app_name = "timeline"
urlpatterns = [
    path("", views.index, name="index"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("about/", about.about, name="about"),
]
