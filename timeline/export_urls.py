"""Exports and citations: included in config/urls.py outside i18n_patterns, so each has one language-free address."""

from django.urls import path

from timeline import exports

urlpatterns = [
    path("events.csv", exports.events_csv, name="events_csv"),
    path("events.atom", exports.events_atom, name="events_atom"),
    path("events.ics", exports.events_ics, name="events_ics"),
    path("events/<slug:slug>/cite.json", exports.event_cite_json, name="event_cite_json"),
    path("events/<slug:slug>/cite.bib", exports.event_cite_bib, name="event_cite_bib"),
]
