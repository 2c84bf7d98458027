"""Forms of the booking setup pages. Every message sits beside the field it is about."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bodymap import badinput
from bodymap.booking.models import BookingSettings, DayOverride, Service, Weekday

TIME = {"widget": forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")}


def _minutes(label, low, high, **kwargs):
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": _("Enter a number of minutes."),
            "min_value": _("Enter at least %(limit_value)s."),
            "max_value": _("Enter at most %(limit_value)s."),
            "invalid": _("Enter a whole number."),
        },
        **kwargs,
    )


def service_slug(name: str) -> str:
    return slugify(name)[:50].strip("-")


class ServiceForm(forms.ModelForm):
    minutes = _minutes(_("Minutes"), 5, 480, help_text=_("How long the treatment lasts, 5 to 480."))
    buffer_after_minutes = _minutes(
        _("Turnover buffer after (minutes)"),
        0,
        120,
        initial=0,
        help_text=_("Time kept free after each appointment, 0 to 120."),
    )
    price = forms.DecimalField(
        label=_("Price"),
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": _("Enter a price (0 for free)."),
            "min_value": _("The price cannot be negative."),
            "invalid": _("Enter a price such as 85 or 85.50."),
        },
    )
    therapists = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Offered by"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only therapists ticked here can be booked for it."),
    )
    is_active = forms.BooleanField(
        label=_("Offered (untick to archive: it leaves the booking page, past appointments keep it)"),
        required=False,
        initial=True,
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "minutes",
            "buffer_after_minutes",
            "price",
            "therapists",
            "is_active",
        ]
        error_messages = {"name": {"required": _("Enter the service's name.")}}

    def __init__(self, *args, practice, therapists, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.fields["therapists"].queryset = therapists
        self.fields["therapists"].label_from_instance = lambda m: m.display_name

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the service's name."))
        if self.instance.pk is None:
            # The web address is made once, from the first name, so that links already shared keep
            # working when the name is reworded later.
            slug = service_slug(name)
            if not slug:
                raise forms.ValidationError(_("Use at least one letter or digit in the name."))
            if Service.objects.filter(practice=self.practice, slug=slug).exists():
                raise forms.ValidationError(
                    _(
                        "Another service already has the web address “%(slug)s”, made from this name. "
                        "Choose a different name, or edit that service (it may be archived)."
                    ),
                    params={"slug": slug},
                )
            self.instance.slug = slug
        return name

    def save(self, commit=False):
        service = super().save(commit=False)
        service.practice = self.practice
        return service


class DayHoursForm(forms.Form):
    """One weekday: closed, or from–until with an optional break."""

    works = forms.BooleanField(label=_("Working"), required=False)
    start = forms.TimeField(label=_("From"), required=False, **TIME)
    end = forms.TimeField(label=_("Until"), required=False, **TIME)
    break_start = forms.TimeField(label=_("Break from"), required=False, **TIME)
    break_end = forms.TimeField(label=_("Break until"), required=False, **TIME)

    def __init__(self, *args, weekday, **kwargs):
        super().__init__(*args, prefix=f"day{weekday}", **kwargs)
        self.weekday = weekday
        self.weekday_name = Weekday(weekday).label

    def clean(self):
        data = super().clean()
        if not data.get("works"):
            return data
        start, end = data.get("start"), data.get("end")
        break_start, break_end = data.get("break_start"), data.get("break_end")
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Enter when the day starts, or untick Working."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Enter when the day ends, or untick Working."))
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The day must end after it starts."))
        if (break_start is None) != (break_end is None):
            missing = "break_end" if break_end is None else "break_start"
            if missing not in self.errors:
                self.add_error(missing, _("Give both ends of the break, or neither."))
        elif break_start is not None:
            if break_end <= break_start:
                self.add_error("break_end", _("The break must end after it starts."))
            elif (
                start is not None
                and end is not None
                and end > start
                and (break_start < start or break_end > end)
            ):
                self.add_error("break_start", _("The break must fall inside the working day."))
        return data

    def times(self):
        """None when closed, else the row's times."""
        data = self.cleaned_data
        if not data.get("works"):
            return None
        return {f: data.get(f) for f in ("start", "end", "break_start", "break_end")}


def week_forms(data=None, hours=()):
    """Seven day forms, Monday first, filled from the therapist's current rows."""
    current = {}
    for h in hours:
        current.setdefault(h.weekday, h)  # the earliest row of a day, the one the form edits
    forms_ = []
    for weekday in range(7):
        h = current.get(weekday)
        initial = (
            {
                "works": True,
                "start": h.start,
                "end": h.end,
                "break_start": h.break_start,
                "break_end": h.break_end,
            }
            if h
            else {"works": False}
        )
        forms_.append(DayHoursForm(data, weekday=weekday, initial=initial))
    return forms_


class DayChangeForm(forms.Form):
    date = badinput.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the date."), "invalid": _("Enter a date.")},
    )
    closed = forms.BooleanField(label=_("Not working that day"), required=False)
    start = forms.TimeField(label=_("From"), required=False, **TIME)
    end = forms.TimeField(label=_("Until"), required=False, **TIME)

    def __init__(self, *args, therapist, **kwargs):
        super().__init__(*args, prefix="change", **kwargs)
        self.therapist = therapist

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        if DayOverride.objects.filter(therapist=self.therapist, date=day).exists():
            raise forms.ValidationError(_("There is already a change on this date: remove it first."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("closed"):
            data["start"] = data["end"] = None
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Enter the hours that day, or tick Not working."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Enter the hours that day, or tick Not working."))
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The day must end after it starts."))
        return data


LOCAL = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local", "step": 300}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}


class TimeOffForm(forms.Form):
    """Read in the practice's zone (the view activates it), so the datetimes come out aware."""

    start = badinput.DateTimeField(
        label=_("From"),
        error_messages={
            "required": _("Enter when the time off starts."),
            "invalid": _("Enter a date and time."),
        },
        **LOCAL,
    )
    end = badinput.DateTimeField(
        label=_("Until"),
        error_messages={
            "required": _("Enter when the time off ends."),
            "invalid": _("Enter a date and time."),
        },
        **LOCAL,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=120,
        required=False,
        help_text=_("For the staff; the calendar shows only “Time off”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="off", **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None:
            if end <= start:
                self.add_error("end", _("The time off must end after it starts."))
            elif end <= timezone.now():
                self.add_error("end", _("This time off is already over; enter one still to come."))
        return data


def _bounded(field, low, high):
    # Replace the model's looser bounds, so each mistake gets one message.
    field.validators = [
        v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
    ]
    field.validators += [
        MinValueValidator(low, message=_("Enter at least %(limit_value)s.")),
        MaxValueValidator(high, message=_("Enter at most %(limit_value)s.")),
    ]
    field.widget.attrs.update(min=low, max=high)
    field.help_text = _("From %(low)s to %(high)s.") % {"low": low, "high": high}


class BookingRulesForm(forms.ModelForm):
    BOUNDS = {
        "min_notice_minutes": (0, 60 * 24 * 30),
        "horizon_days": (1, 365),
        "slot_step_minutes": (5, 240),
        "cancellation_window_hours": (0, 24 * 30),
        "reminder_hours": (1, 24 * 14),
        "waitlist_hold_minutes": (5, 60 * 24 * 7),
    }

    class Meta:
        model = BookingSettings
        fields = [
            "online_booking",
            "min_notice_minutes",
            "horizon_days",
            "slot_step_minutes",
            "cancellation_window_hours",
            "reminder_hours",
            "waitlist_hold_minutes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.BOUNDS.items():
            field = self.fields[name]
            field.error_messages.update(
                {"required": _("Enter a number."), "invalid": _("Enter a whole number.")}
            )
            _bounded(field, low, high)
