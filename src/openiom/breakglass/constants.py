"""Vocabularies for break-glass access."""

from django.db import models

# A reason is "at least a sentence": this many characters and words, after trimming.
MIN_REASON_CHARACTERS = 25
MIN_REASON_WORDS = 4


class Outcome(models.TextChoices):
    """What the reviewer (the IOM co-ordinator or an administrator) decided about a grant."""

    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"
