import uuid

from django.db import models
from django.utils import timezone


class ImportedNote(models.Model):
    """Free-text notes that came with a client from another system. Kept apart from the clinical
    record (nobody here wrote or signed them), shown with the client and exported with them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="imported_notes")
    text = models.TextField(max_length=10_000)
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["imported_at", "id"]

    def __str__(self):
        return f"imported note for {self.client}"
