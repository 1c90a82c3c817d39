from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from anjian.accounts.views import SignInView
from anjian.dashboard.views import home
from config.api import api

urlpatterns = [
    path("", home, name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("accounts/", include("anjian.accounts.urls")),
    path("enterprises/", include("anjian.enterprises.urls")),
    path("regions/", include("anjian.regions.urls")),
    path("", include("anjian.statistics.urls")),
    path("hazards/", include("anjian.hazards.urls")),
    path("field/", include("anjian.fieldwork.urls")),
    path("notifications/", include("anjian.notifications.urls")),
    path("", include("anjian.enforcement.urls")),
    path("checklists/", include("anjian.checklists.urls")),
    path("fieldwork/draws/", include("anjian.draws.urls")),
    path("fieldwork/coverage/", include("anjian.coverage.urls")),
    path("audit/", include("anjian.audit.urls")),
    path("jobs/", include("anjian.jobs.urls")),
    path("workdays/", include("anjian.workdays.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "anjian.lib.api_responses.bad_request"
handler404 = "anjian.dashboard.views.not_found"
