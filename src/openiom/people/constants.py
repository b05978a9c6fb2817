from django.db import models


class Gender(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    OTHER = "X", "Another gender"
    UNKNOWN = "U", "Unknown"


class Ethnicity(models.TextChoices):
    """ONS 2021 five high-level groups."""

    ASIAN = "A", "Asian, Asian British or Asian Welsh"
    BLACK = "B", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "M", "Mixed or Multiple ethnic groups"
    WHITE = "W", "White"
    OTHER = "O", "Other ethnic group"
    NOT_STATED = "NS", "Not stated"


class MatchStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    SAME = "same", "Same person"
    DIFFERENT = "different", "Different people"
