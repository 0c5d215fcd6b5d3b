from django.urls import path

from . import views

app_name = "bookings"
urlpatterns = [
    path("book/<int:run_id>/", views.answers, name="answers"),
    path("book/<int:run_id>/check/", views.check, name="check"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<str:reference>/", views.confirmation, name="confirmation"),
    path("bookings/<str:reference>/cancel/", views.cancel, name="cancel"),
    path("bookings/<str:reference>/accept/", views.accept_offer, name="accept_offer"),
]
