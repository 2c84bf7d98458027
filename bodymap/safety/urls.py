from django.urls import path

from bodymap.safety import views

app_name = "safety"
urlpatterns = [path("alerts/<uuid:public_id>/", views.alert_detail, name="alert")]
