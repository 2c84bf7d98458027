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


class PurgePermit(models.Model):
    """Held only inside the transaction of a retention purge (bodymap.exchange.guards): while a row
    exists, the append-only tables accept a DELETE. Never committed."""

    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"purge permit {self.created_at:%Y-%m-%d %H:%M}"


class RetentionRule(models.Model):
    """How long the practice keeps a client's records. Ontario (CMTO): 10 years after the last visit,
    or 10 years after the 18th birthday if the client was a minor at that visit, whichever is later."""

    practice = models.OneToOneField(
        "accounts.Practice", on_delete=models.CASCADE, related_name="retention_rule"
    )
    years_after_last_visit = models.PositiveSmallIntegerField(default=10)
    age_of_majority = models.PositiveSmallIntegerField(default=18)
    years_after_majority = models.PositiveSmallIntegerField(default=10)

    def __str__(self):
        return f"retention for {self.practice}"
