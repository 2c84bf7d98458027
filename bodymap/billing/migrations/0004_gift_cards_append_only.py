from django.db import migrations

from bodymap.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_gift_cards")]

    operations = [AppendOnly("billing_giftcard"), AppendOnly("billing_giftcardentry")]
