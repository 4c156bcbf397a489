from __future__ import annotations

from django.urls import include, path

from jifen.service.api.app import api
from jifen.service.web import views

urlpatterns = [
    path("", views.index, name="index"),
    path("calculator", views.calculator, name="calculator"),
    path("advisor", views.advisor, name="advisor"),
    path("login", views.login, name="login"),
    path("logout", views.logout, name="logout"),
    path("me", views.home, name="home"),
    path("verify/<str:code>", views.verify, name="verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
