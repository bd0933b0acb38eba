"""ReminderDelivery now belongs to the reminders app (reminders/0001): state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("studyplan", "0008_history_of_block_question_kinds"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReminderDelivery")],
            database_operations=[],
        ),
    ]
