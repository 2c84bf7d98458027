"""Booking emails as a client reads them: the practice's address line by line, the zone in words,
and the same message as HTML."""

from bodymap.booking import emails


def address(cast):
    cast.practice.address = "214 Roncesvalles Ave\nToronto, ON M6R 2L9"
    cast.practice.phone = "416-555-0100"
    cast.practice.save()


def test_the_confirmation_keeps_the_address_on_its_own_lines(cast):
    address(cast)
    message = emails.confirmation(cast.appointment)
    assert "AveToronto" not in message.body
    assert "Breathe Deeply Massage\n  214 Roncesvalles Ave\n  Toronto, ON M6R 2L9\n" in message.body
    assert message.body.rstrip().endswith("416-555-0100\n214 Roncesvalles Ave\nToronto, ON M6R 2L9")
    assert "America/Toronto" not in message.body and "Toronto time, E" in message.body


def test_every_booking_email_has_an_html_part_with_the_address_lines(cast):
    address(cast)
    for message in (
        emails.confirmation(cast.appointment),
        emails.cancellation(cast.appointment),
        emails.reminder(cast.appointment),
    ):
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        assert "214 Roncesvalles Ave<br>Toronto, ON M6R 2L9" in html
        assert "AveToronto" not in html
