from __future__ import annotations

from django.urls import path

from jifen.service.api.app import api
from jifen.service.web import help_views, impact_views, views, workflow_views
from jifen.service.web.favicon import favicon
from jifen.service.web.health import healthz, readyz
from jifen.service.web.message_views import inbox, message, message_application, read_all

urlpatterns = [
    path("", views.index, name="index"),
    path("calculator", views.calculator, name="calculator"),
    path("advisor", views.advisor, name="advisor"),
    path("help", help_views.help_page, name="help"),
    path("login", views.login, name="login"),
    path("logout", views.logout, name="logout"),
    path("me", views.home, name="home"),
    path("verify/<str:code>", views.verify, name="verify"),
    path("policy", workflow_views.policy_page, name="policy"),
    path("policy/impact", impact_views.policy_impact, name="policy_impact"),
    path("policy/impact/runs/<int:run_id>", impact_views.policy_impact_run, name="policy_impact_run"),
    path("policy/impact/runs/<int:run_id>.csv", impact_views.policy_impact_run_csv, name="policy_impact_run_csv"),
    path("employers/register", workflow_views.register_employer, name="register_employer"),
    path("employers/<int:employer_id>/verify", workflow_views.verify_employer, name="verify_employer"),
    path("holders/new", workflow_views.open_holder, name="open_holder"),
    path("accounts/set-password", workflow_views.set_password, name="set_password"),
    path(  # the link's first hop only: the token moves into the session (issue 13.2)
        "accounts/set-password/<str:uid>/<str:token>", workflow_views.set_password_link, name="set_password_link"
    ),
    path("holders/<int:holder_id>/applications/new", workflow_views.new_application, name="new_application"),
    path("holders/<int:holder_id>/set-password-link", workflow_views.resend_setup_link, name="resend_setup_link"),
    path("applications/<uuid:application_id>", workflow_views.application, name="application"),
    path("applications/<uuid:application_id>/materials", workflow_views.upload, name="application_upload"),
    path("applications/<uuid:application_id>/<str:action>", workflow_views.act, name="application_act"),
    path("i18n/setlang/", views.set_language, name="set_language"),  # also remembered on the account
    path("messages", inbox, name="messages"),  # every signed-in person's inbox
    path("messages/read-all", read_all, name="messages_read_all"),
    path("messages/<int:message_id>", message, name="message"),
    path("messages/<int:message_id>/application", message_application, name="message_application"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),  # the process answers (docs/deploy.md, "Health checks")
    path("readyz", readyz, name="readyz"),  # database, migrations, storage, cache
    path("api/v1/", api.urls),
]
