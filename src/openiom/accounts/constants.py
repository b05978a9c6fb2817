"""Vocabularies for the partnership: agency types and capabilities."""

from django.db import models


class AgencyType(models.TextChoices):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    YOUTH_OFFENDING = "youth_offending", "Youth offending"
    COMMUNITY_SAFETY = "community_safety", "Community safety"
    HOUSING = "housing", "Housing"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    MENTAL_HEALTH = "mental_health", "Mental health"
    HEALTH = "health", "Health"
    PRISON = "prison", "Prison"
    JOBCENTRE = "jobcentre", "Jobcentre"
    VICTIM_SERVICES = "victim_services", "Victim services"
    VOLUNTARY = "voluntary", "Voluntary sector"
    EDUCATION = "education", "Education"
    CHILDREN_SERVICES = "children_services", "Children's services"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"


class TokenScope(models.TextChoices):
    """What an API token may be used for. A token can do only what its scopes and its user's role allow."""

    READ = "read", "Read (GET, and searches sent by POST)"
    WRITE = "write", "Write (create and change records)"
    INGEST = "ingest", "Ingest (send data deliveries)"


class Capability(models.TextChoices):
    """What a role lets its holder do. Roles are sets of capabilities (see roles.py)."""

    COHORT_VIEW = "cohort_view", "See cohort selection results"
    COHORT_RUN = "cohort_run", "Run and configure cohort selection"
    DATA_IMPORT = "data_import", "Import partner data"
    PEOPLE_VIEW = "people_view", "Search and view people's records"
    REFER = "refer", "Refer people to a panel"
    PANELS_VIEW = "panels_view", "See panels and meetings"
    PANELS_MANAGE = "panels_manage", "Organise panels, agendas, papers and minutes"
    PANELS_CHAIR = "panels_chair", "Chair panel meetings and approve minutes"
    CASES_VIEW = "cases_view", "See cases"
    CASES_MANAGE = "cases_manage", "Manage cases, plans and contacts"
    SERVICES_VIEW = "services_view", "See the service directory"
    SERVICES_MANAGE = "services_manage", "Maintain the service directory"
    REPORTS_VIEW = "reports_view", "See performance and evaluation reports"
    REPORTS_MANAGE = "reports_manage", "Set performance targets"
    ADMINISTER = "administer", "Administer agencies, users, roles and reference data"
    AUDIT_VIEW = "audit_view", "Search and export the audit trail"
    BREAK_GLASS_REVIEW = "break_glass_review", "Review break-glass access to cases"
