from django.urls import path

from . import feeds, views

app_name = "bookings"
urlpatterns = [
    path("book/<int:run_id>/", views.answers, name="answers"),
    path("book/<int:run_id>/check/", views.check, name="check"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<str:reference>/", views.confirmation, name="confirmation"),
    path("bookings/<str:reference>/cancel/", views.cancel, name="cancel"),
    path("bookings/<str:reference>/accept/", views.accept_offer, name="accept_offer"),
    path("runs/<int:run_id>/calendar.ics", feeds.run_ics, name="run_ics"),
    path("calendar/whats-on.ics", feeds.public_feed, name="public_feed"),
    path("calendar/personal/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("calendar/personal/reset/", feeds.reset_personal_feed, name="reset_personal_feed"),
]
