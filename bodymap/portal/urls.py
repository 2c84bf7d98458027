from django.urls import path

from bodymap.exchange import views as exchange_views
from bodymap.intake import views as intake_views
from bodymap.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("intake/", intake_views.portal_intake, name="intake"),
    path("consent/", views.portal_consent, name="consent"),
    path("progress/", views.progress, name="progress"),
    path("records/", exchange_views.portal_records, name="records"),
    path("progress/<slug:kind>/<str:key>.png", views.progress_chart, name="progress_chart"),
    path("consent/<slug:region>/withdraw/", views.withdraw, name="withdraw"),
    path("consent/<slug:region>/change/", views.change_consent, name="change_consent"),
    path("sign-in/", views.portal_login, name="login"),
    path("sign-in/<str:token>/", views.portal_link, name="link"),
]
