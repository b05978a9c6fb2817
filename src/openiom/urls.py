from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from openiom.api import api
from openiom.web import views as web_views

urlpatterns = [
    path("", include("openiom.web.urls")),
    path("", include("openiom.accounts.urls")),
    path("administration/", include("openiom.accounts.admin_urls")),
    path("administration/audit/", include("openiom.audit.urls")),
    path("administration/retention/", include("openiom.retention.urls")),
    path("jobs/", include("openiom.jobs.urls")),
    path("people/", include("openiom.people.urls")),
    path("imports/", include("openiom.imports.urls")),
    path("cohort/", include("openiom.cohort.urls")),
    path("panels/", include("openiom.panels.urls")),
    path("cases/", include("openiom.cases.urls")),
    path("sharing/", include("openiom.sharing.urls")),
    path("services/", include("openiom.directory.urls")),
    path("break-glass/", include("openiom.breakglass.urls")),
    path("reports/", include("openiom.evaluation.urls")),
    path("api/v1/", api.urls),
    path("health", web_views.health, name="health"),
]
if not settings.PRODUCTION:
    # Technical access for developers only; production uses the GOV.UK-styled administration pages.
    urlpatterns.append(path("django-admin/", admin.site.urls))

handler400 = "openiom.web.views.error_400"
handler403 = "openiom.web.views.error_403"
handler404 = "openiom.web.views.error_404"
handler500 = "openiom.web.views.error_500"
