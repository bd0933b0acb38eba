"""Reminder deliveries move from studyplan/ to their own app (issue 13).

Only Django's state moves: the table keeps its name (`db_table`), so every row, id, sequence,
index and constraint stays as it is, and no data is copied. studyplan/0009 removes the model from
studyplan's state in the same release. The content type moves too, so the permissions on it (the
Recruiters group's "view reminder delivery"), the groups and people holding them, and admin
history follow the model.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="studyplan", target="reminders"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if types.filter(app_label=target, model="reminderdelivery").exists():
        # A fresh database: post_migrate has not run yet, or already made the new one.
        return
    types.filter(app_label=source, model="reminderdelivery").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="reminders", target="studyplan")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("studyplan", "0008_history_of_block_question_kinds"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReminderDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('welcome', 'Welcome'), ('week', 'Study week'), ('final', 'End of plan')], max_length=10)),
                        ('week', models.PositiveSmallIntegerField(default=0, help_text='Study week for weekly reminders; 0 for the others.')),
                        ('due_at', models.DateTimeField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('queued_at', models.DateTimeField(blank=True, help_text='When its send task was queued to run (a retry runs later); empty when the broker could not take it. Still pending a few minutes after this, it is queued again.', null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, help_text='When a worker took it to send. A claim older than the lease means the worker stopped before the SMTP server accepted the e-mail; it is sent again.', null=True)),
                        ('claim_token', models.UUIDField(blank=True, help_text="Which worker's attempt holds the claim.", null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='studyplan.enrolment')),
                    ],
                    options={
                        'verbose_name_plural': 'reminder deliveries',
                        'db_table': 'studyplan_reminderdelivery',
                        'ordering': ['-due_at'],
                        'indexes': [models.Index(fields=['status', 'due_at'], name='studyplan_r_status_e52c85_idx')],
                        'constraints': [models.UniqueConstraint(fields=('enrolment', 'kind', 'week'), name='delivery_once_per_enrolment_week')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]
