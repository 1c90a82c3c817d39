"""API tokens expire (issue 11, item 3): the tokens issued before this get the expiry they
would have had, API_TOKEN_DAYS from their issue."""

import datetime

from django.conf import settings
from django.db import migrations, models

import anjian.accounts.models


def expire_as_issued(apps, schema_editor):  # type: ignore[no-untyped-def]
    token_model = apps.get_model("accounts", "ApiToken")
    days = datetime.timedelta(days=settings.API_TOKEN_DAYS)
    for token in token_model.objects.filter(expires_at__isnull=True).only("created_at"):
        token.expires_at = token.created_at + days
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_engagement_table")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(expire_as_issued, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                default=anjian.accounts.models.token_expiry, verbose_name="expires"
            ),
        ),
    ]
