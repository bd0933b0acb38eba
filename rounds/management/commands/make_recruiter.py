import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.services import MAX_EMAIL_LENGTH

GROUP = "Recruiters"


class Command(BaseCommand):
    help = (
        "Create a recruiter account, or promote an existing user: staff status and the Recruiters "
        "group (content editing only; never superuser)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The recruiter's e-mail address (their login).")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="Set the password from this environment variable. Without it, a new account gets "
            "a one-time link to choose a password.",
        )

    def handle(self, *args, email: str, password_from_env: str | None, **options) -> None:
        email = email.strip().lower()
        if len(email) > MAX_EMAIL_LENGTH:
            raise CommandError(
                f"An e-mail address has at most {MAX_EMAIL_LENGTH} characters; "
                f"this one has {len(email)}."
            )
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f'"{email}" is not a valid e-mail address.') from None
        password = None
        if password_from_env:
            password = os.environ.get(password_from_env)
            if not password:
                raise CommandError(
                    f"The environment variable {password_from_env} is empty or unset."
                )
        group = Group.objects.filter(name=GROUP).first()
        if group is None:
            raise CommandError(f'The "{GROUP}" group is missing; run "manage.py migrate" first.')

        User = get_user_model()
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                user = User.objects.create_user(email=email, password=password, is_staff=True)
            else:
                user.is_staff = True
                if password:
                    user.set_password(password)
                user.save()
            already = user.groups.filter(pk=group.pk).exists()
            user.groups.add(group)

        if created:
            action = "Created recruiter"
        elif already:
            action = "Already a recruiter:"
        else:
            action = "Promoted to recruiter:"
        notes = []
        if password:
            notes.append("password set")
        elif not user.has_usable_password():
            notes.append(
                f"no password yet; send them this link to choose one: {_set_password_url(user)}"
            )
        if user.is_superuser:
            notes.append("note: this account is also a superuser")
        detail = f" ({'; '.join(notes)})" if notes else ""
        self.stdout.write(self.style.SUCCESS(f"{action} {user.email}{detail}."))


def _set_password_url(user) -> str:
    """A one-time link to the password reset form, valid for PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"
