"""Which column of an uploaded file holds which field, guessed from common header names."""

import re

from django.utils.translation import gettext_lazy as _

CLIENT_FIELDS = {
    "client_id": _("Bodymap client id"),
    "full_name": _("Full name"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "preferred_name": _("Preferred name"),
    "pronouns": _("Pronouns"),
    "email": _("Email"),
    "phone": _("Phone"),
    "date_of_birth": _("Date of birth"),
    "address": _("Address"),
    "emergency_contact_name": _("Emergency contact"),
    "emergency_contact_phone": _("Emergency contact phone"),
    "notes": _("Notes"),
}

APPOINTMENT_FIELDS = {
    "appointment_id": _("Bodymap appointment id"),
    "client_id": _("Bodymap client id"),
    "client_name": _("Client name"),
    "client_email": _("Client email"),
    "client_date_of_birth": _("Client date of birth"),
    "start": _("Start (date and time)"),
    "date": _("Date"),
    "time": _("Time"),
    "end": _("End (date and time)"),
    "minutes": _("Length in minutes"),
    "therapist": _("Therapist (email or name)"),
    "service": _("Service"),
    "status": _("Status"),
}

# Normalised header -> field. Headers are lower-cased with everything but letters and digits removed.
_ALIASES = {
    "client_id": ["clientid", "bodymapclientid"],
    "full_name": ["name", "fullname", "clientname", "patientname", "customername", "client", "patient"],
    "first_name": ["firstname", "first", "givenname", "forename", "fname"],
    "last_name": ["lastname", "last", "surname", "familyname", "lname"],
    "preferred_name": ["preferredname", "nickname", "goesby"],
    "pronouns": ["pronouns", "pronoun"],
    "email": ["email", "emailaddress", "mail", "clientemail", "email1"],
    "phone": [
        "phone",
        "phonenumber",
        "mobile",
        "cell",
        "cellphone",
        "telephone",
        "tel",
        "mobilephone",
        "homephone",
        "phone1",
    ],
    "date_of_birth": ["dateofbirth", "dob", "birthdate", "birthday", "born", "birthdate"],
    "address": ["address", "streetaddress", "homeaddress", "mailingaddress", "address1"],
    "emergency_contact_name": ["emergencycontact", "emergencycontactname", "emergencyname"],
    "emergency_contact_phone": ["emergencycontactphone", "emergencyphone"],
    "notes": ["notes", "note", "comments", "comment", "remarks", "clientnotes"],
    "appointment_id": ["appointmentid"],
    "client_name": ["clientname", "client", "patient", "patientname", "name", "customer"],
    "client_email": ["clientemail", "email", "emailaddress", "patientemail"],
    "client_date_of_birth": ["clientdateofbirth", "dateofbirth", "dob", "birthdate"],
    "start": [
        "start",
        "starts",
        "startsat",
        "starttime",
        "startdatetime",
        "datetime",
        "when",
        "appointmentstart",
        "begin",
    ],
    "date": ["date", "appointmentdate", "day"],
    "time": ["time", "appointmenttime"],
    "end": ["end", "ends", "endsat", "endtime", "enddatetime", "finish"],
    "minutes": ["minutes", "duration", "length", "durationminutes", "mins"],
    "therapist": ["therapist", "therapistemail", "practitioner", "provider", "staff", "rmt", "with"],
    "service": ["service", "servicename", "treatment", "type", "appointmenttype"],
    "status": ["status", "state"],
}


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def detect(header: list[str], fields: dict) -> dict[str, int]:
    """Field -> column index for every field a header names; each column used once, first match wins."""
    found: dict[str, int] = {}
    used: set[int] = set()
    normal = [_normal(h) for h in header]
    for field in fields:
        for alias in _ALIASES.get(field, []):
            if alias in normal and normal.index(alias) not in used:
                found[field] = normal.index(alias)
                used.add(found[field])
                break
    # A file with first and last names does not also need a full name.
    if "first_name" in found and "last_name" in found:
        found.pop("full_name", None)
    return found
