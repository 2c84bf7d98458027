from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "bodymap.notes"
    label = "notes"
