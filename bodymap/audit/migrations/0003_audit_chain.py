from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["-id"], "verbose_name_plural": "audit entries"},
        ),
        migrations.AddField(
            model_name="auditentry",
            name="client_public_id",
            field=models.UUIDField(null=True),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["practice", "-id"], name="audit_practice_id_idx"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["practice", "client_public_id", "-id"], name="audit_practice_client_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["practice", "actor", "-id"], name="audit_practice_actor_idx"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["practice", "action", "-id"], name="audit_practice_action_idx"),
        ),
    ]
