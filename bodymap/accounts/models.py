import hashlib
import secrets
import uuid
from datetime import timedelta
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: staff with a password, clients through one-time email links."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Django admin access; not practice staff.")
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.lower()


def validate_timezone(value):
    if value not in available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))


class Practice(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/London", validators=[validate_timezone]
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    # The strictest regulators want sensitive-region consent confirmed before every treatment.
    confirm_consent_each_treatment = models.BooleanField(
        _("confirm sensitive-region consent at the start of each appointment"), default=True
    )
    # Session notes left unsigned longer than this are flagged on the therapist's dashboard.
    unsigned_note_days = models.PositiveSmallIntegerField(
        _("flag notes left unsigned for more than (days)"), default=2
    )
    # Owners always sign in with a second step; this asks it of every member of staff.
    require_two_factor = models.BooleanField(_("require two-factor sign-in for all staff"), default=False)
    # The clinic's own colour on its public pages and emails; empty keeps Bodymap's.
    brand_colour = models.CharField(_("brand colour"), max_length=7, blank=True)
    # The logo's bytes live in BrandImage so that every page that loads the practice does not load
    # them too; the digest says whether there is one and versions its URL.
    logo_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=dj_timezone.now)

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    THERAPIST = "therapist", _("Therapist")
    FRONT_DESK = "front_desk", _("Front desk")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def therapists(self):
        return self.active().filter(provides_treatment=True)


class Membership(models.Model):
    """A member of staff in one practice, with the role that decides what they may see."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # An owner may also treat clients; a therapist always does; front desk never does.
    provides_treatment = models.BooleanField(_("treats clients"), default=False)
    is_active = models.BooleanField(default=True)
    # Shown to clients choosing whom to book; plain text, kept short.
    bio = models.TextField(_("short bio"), max_length=600, blank=True)
    photo_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=dj_timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="one_membership_per_practice"),
            models.CheckConstraint(
                condition=~models.Q(role="front_desk", provides_treatment=True),
                name="front_desk_does_not_treat",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.practice})"

    @property
    def is_owner(self):
        return self.role == Role.OWNER

    @property
    def is_front_desk(self):
        return self.role == Role.FRONT_DESK

    @property
    def display_name(self):
        return str(self.user)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PortalLinkQuerySet(models.QuerySet):
    def issue(self, user, minutes: int):
        """Create a link for `user` and return the raw token (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        self.create(
            user=user,
            token_hash=_hash_token(token),
            expires_at=dj_timezone.now() + timedelta(minutes=minutes),
        )
        return token

    def usable(self, token: str):
        return self.filter(
            token_hash=_hash_token(token), used_at__isnull=True, expires_at__gt=dj_timezone.now()
        )


class PortalLink(models.Model):
    """A one-time sign-in link for the client portal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = PortalLinkQuerySet.as_manager()

    def __str__(self):
        return f"sign-in link for {self.user} until {self.expires_at:%Y-%m-%d %H:%M} UTC"


class BrandImage(models.Model):
    """A practice's logo (no member) or a therapist's photo, re-encoded as PNG. Kept in the database
    so that it works the same on SQLite and PostgreSQL with no file store to run or back up."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    png = models.BinaryField()
    digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice"], condition=models.Q(membership__isnull=True), name="one_logo_per_practice"
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(membership__isnull=False),
                name="one_photo_per_member",
            ),
        ]

    def __str__(self):
        return f"{'photo' if self.membership_id else 'logo'} {self.digest[:12]}"
