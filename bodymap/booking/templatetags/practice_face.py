"""How a practice shows itself to clients on the public pages."""

import re

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def phone_link(phone: str):
    """The phone number as a link a phone dials when tapped; the number as written stays the text."""
    if not phone:
        return ""
    # tel: takes digits and a leading +; spaces, dashes and brackets are for people.
    dial = ("+" if phone.strip().startswith("+") else "") + re.sub(r"\D", "", phone)
    if not dial.strip("+"):
        return phone
    return format_html('<a href="tel:{}">{}</a>', dial, phone)
