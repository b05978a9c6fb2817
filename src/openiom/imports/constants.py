from django.db import models


class DeliveryStatus(models.TextChoices):
    CHECKING = "checking", "Checking"
    REJECTED = "rejected", "Rejected: nothing imported"
    IMPORTED = "imported", "Imported"
    INTERRUPTED = "interrupted", "Interrupted: nothing imported"


class Origin(models.TextChoices):
    UPLOAD = "upload", "Upload page"
    COMMAND = "command", "Command line"
    API = "api", "API"
