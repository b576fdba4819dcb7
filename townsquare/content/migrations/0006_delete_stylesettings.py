# The style settings live on in the social media plan (planning 0003 carried them over).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0005_post_audience_post_campaign_post_pillar'),
        ('planning', '0003_style_into_plan'),
    ]

    operations = [
        migrations.DeleteModel(
            name='StyleSettings',
        ),
    ]
