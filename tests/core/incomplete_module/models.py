from django.conf import settings
from django.db import models


class Note(models.Model):
    """Something a person wrote, that no manifest says how to export or erase."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.TextField()

    class Meta:
        app_label = "incomplete_module"

    def __str__(self) -> str:
        return self.text[:60]
