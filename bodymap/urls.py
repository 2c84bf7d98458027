from django.urls import include, path

from bodymap.accounts.views import home
from bodymap.booking.api import api as booking_api
from bodymap.intake.views import what_to_expect

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("bodymap.accounts.urls")),
    path("dashboard/", include("bodymap.booking.urls")),
    path("clients/", include("bodymap.clients.urls")),
    path("audit/", include("bodymap.audit.urls")),
    path("portal/", include("bodymap.portal.urls")),
    path("portal/billing/", include("bodymap.billing.portal.urls")),
    path("billing/", include("bodymap.billing.urls")),
    path("calendar/", include("bodymap.booking.urls_calendar")),
    path("waitlist/", include("bodymap.booking.urls_waitlist")),
    path("book/", include("bodymap.booking.urls_public")),
    path("feeds/", include("bodymap.booking.urls_feeds")),
    path("api/v1/", booking_api.urls),
    path("intake/", include("bodymap.intake.urls")),
    path("safety/", include("bodymap.safety.urls")),
    path("", include("bodymap.chart.urls")),
    path("", include("bodymap.notes.urls")),
    path("what-to-expect/", what_to_expect, name="what_to_expect"),
]
