from django.urls import path

from bodymap.notes import views

app_name = "notes"
urlpatterns = [
    path("appointments/<uuid:public_id>/note/", views.note_edit, name="edit"),
    path("notes/<uuid:public_id>/", views.note_detail, name="detail"),
    path("notes/<uuid:public_id>/addendum/", views.addendum, name="addendum"),
    path("notes/<uuid:public_id>/pdf/", views.note_pdf, name="pdf"),
    path("clients/<uuid:public_id>/summary.pdf", views.summary_pdf, name="summary"),
    path("clients/<uuid:public_id>/notes/", views.note_list, name="list"),
    path(
        "clients/<uuid:public_id>/outcomes/<slug:kind>/<str:key>.png",
        views.outcome_chart,
        name="outcome_chart",
    ),
]
