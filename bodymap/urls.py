from django.urls import include, path

from bodymap.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("bodymap.accounts.urls")),
    path("dashboard/", include("bodymap.booking.urls")),
    path("clients/", include("bodymap.clients.urls")),
    path("audit/", include("bodymap.audit.urls")),
    path("portal/", include("bodymap.portal.urls")),
]
