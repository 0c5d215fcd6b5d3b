from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("survey/thank-you/", views.thanks, name="thanks"),
    path("survey/<str:token>/", views.respond, name="respond"),
]
