from __future__ import annotations

from django.urls import path

from jifen.service.api.app import api
from jifen.service.web import views

urlpatterns = [
    path("", views.index, name="index"),
    path("verify/<str:code>", views.verify, name="verify"),
    path("api/v1/", api.urls),
]
