from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IntegrityConfig(AppConfig):
    name = "bodymap.integrity"
    label = "integrity"

    def ready(self):
        # Connected for this app alone, so it runs once at the end of every `migrate` (and flush).
        post_migrate.connect(reinstall_after_migrate, sender=self, dispatch_uid="bodymap-reinstall-guards")


def reinstall_after_migrate(sender, using, verbosity=1, **kwargs):
    from django.db import connections

    from bodymap.integrity.live import reinstall

    for protection in reinstall(connections[using]):
        if verbosity >= 1:
            print(f"  Reinstalled: {protection.describe()}")
