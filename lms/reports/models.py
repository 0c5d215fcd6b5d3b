"""The figures have no table of their own: every number is an aggregate over bookings,
attendance, surveys and certificates. This model exists only to carry the permission that
lets a person see them (organisers have it)."""

from django.db import models


class Figures(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_figures", "Can see the programme's figures and export them")]

    def __str__(self):
        return "Figures"
