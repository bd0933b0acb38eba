import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower

from .validators import validate_time_zone


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> "User":
        # Addresses are stored lower-case; let people log in however they type theirs.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person with an account: a candidate, and, when staff, a recruiter."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="How Prep greets the candidate; optional."
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="IANA time zone name, e.g. Asia/Singapore. Weeks and reminders follow it.",
    )
    region = models.ForeignKey(
        "rounds.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The region whose interview focus, questions and tips are shown first.",
    )
    email_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the candidate confirmed this address."
    )
    pending_email = models.EmailField(
        "new e-mail address (unconfirmed)",
        blank=True,
        help_text="An address the candidate asked to switch to. It replaces the login address "
        "only once the link e-mailed to it is opened; until then login and reminders use the "
        "address above.",
    )
    reminders_enabled = models.BooleanField(
        default=True, help_text="Whether weekly study reminders are e-mailed at all."
    )
    reminder_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY
    )
    reminder_hour = models.PositiveSmallIntegerField(
        default=9,
        validators=[MaxValueValidator(23)],
        help_text="Local hour (0–23) at which reminders are sent.",
    )
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="A user with this e-mail address already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_hour__lte=23),
                name="user_reminder_hour_valid",
                violation_error_message="The reminder hour must be between 0 and 23.",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_short_name(self) -> str:
        """The name to greet them by: the one they gave, or "" (never part of their address)."""
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name or self.email

    @property
    def email_confirmed(self) -> bool:
        """Reminders and other mail go only to confirmed addresses."""
        return self.email_confirmed_at is not None


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_key(self, key: str) -> "ApiTokenQuerySet":
        """The token whose secret is `key`; keys are stored only as digests."""
        return self.filter(key_digest=ApiToken.digest(key))


class ApiToken(models.Model):
    """A named key an app or script sends as `Authorization: Token <key>` to use the API.

    Only a SHA-256 digest of the key is stored: the key is shown once, when it is made, and a
    leaked database cannot be used to call the API. The keys are random, so no slow hash is needed.
    """

    KEY_PREFIX = "prep_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=60, help_text="What the candidate uses it for, e.g. “Phone” or “Notes script”."
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(
        max_length=12, editable=False, help_text="The key's first characters, to recognise it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"
        verbose_name_plural = "API tokens"
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_token_name_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.name}"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.KEY_PREFIX + secrets.token_urlsafe(32)
