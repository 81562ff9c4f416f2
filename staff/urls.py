from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.overview, name="two-factor"),
    path("bat/", views.turn_on, name="turn-on"),
    path("ma-du-phong/", views.recovery_codes, name="recovery-codes"),
    path("ma-du-phong/tao-lai/", views.renew_recovery_codes, name="renew-recovery-codes"),
    path("tat/", views.turn_off, name="turn-off"),
]
