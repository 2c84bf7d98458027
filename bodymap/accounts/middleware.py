import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from bodymap.access import membership_for

SESSION_KEY = "bodymap_last_seen"


class StaffIdleTimeoutMiddleware:
    """Signs a user out after BODYMAP_STAFF_IDLE_MINUTES without a request; each request slides
    the window. Health records are open on shared front-desk computers, so this applies to every
    signed-in session, staff and client alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(SESSION_KEY)
            limit = settings.BODYMAP_STAFF_IDLE_MINUTES * 60
            if isinstance(last_seen, int | float) and now - last_seen > limit:
                is_staff = membership_for(request.user) is not None
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                if is_staff:
                    return redirect_to_login(request.get_full_path())
                return redirect("portal:login")
            # Writing the session costs a database commit: refresh it once a minute, not per request.
            if not isinstance(last_seen, int | float) or now - last_seen >= 60:
                request.session[SESSION_KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages that may carry client data must not be kept by browsers or proxies: everything seen
    while signed in, and every page reached through a personal link (an intake, a booking's manage
    page, a waitlist offer, a calendar feed), which is any URL with a `token` in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        match = getattr(request, "resolver_match", None)
        if signed_in or (match is not None and "token" in match.kwargs):
            add_never_cache_headers(response)
        return response
