import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_OUT = "sign_out", _("Signed out")
    LINK_SENT = "link_sent", _("Sign-in link sent")


class AuditEntry(models.Model):
    """One thing someone did with a record. Append-only: the database refuses UPDATE and DELETE.

    Foreign keys carry no database constraint so that entries outlive the rows they mention.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Kept as text too, so the entry still reads after the account changes.
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    subject_type = models.CharField(max_length=40)
    subject_public_id = models.UUIDField(null=True)
    # The client the entry concerns (the subject itself, or the client whose note, intake ...
    # it is), set at insert time so "everything about Sam" is one indexed filter.
    client_public_id = models.UUIDField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True)
    details = models.JSONField(default=dict)
    # SHA-256 over the previous entry's hash and this entry's content (see bodymap.audit.chain).
    # NULL, not "", marks an entry never chained (written before the chain existed).
    chain_hash = models.CharField(max_length=64, null=True, editable=False)  # noqa: DJ001

    class Meta:
        # Ids grow with the chain (appends are serialised), so the id orders the log and pages it.
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["practice", "-created_at"]),
            models.Index(fields=["subject_public_id"]),
            models.Index(fields=["practice", "-id"], name="audit_practice_id_idx"),
            models.Index(fields=["practice", "client_public_id", "-id"], name="audit_practice_client_idx"),
            models.Index(fields=["practice", "actor", "-id"], name="audit_practice_actor_idx"),
            models.Index(fields=["practice", "action", "-id"], name="audit_practice_action_idx"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.subject_type}"
