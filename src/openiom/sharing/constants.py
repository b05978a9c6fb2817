"""Vocabularies for information sharing: the special categories and what belongs to each."""

from django.db import models

from openiom.cases.constants import Pathway
from openiom.offending.constants import FlagType


class Category(models.TextChoices):
    """The special categories of information the sharing matrix restricts beyond case access."""

    HEALTH = "health", "Health"
    SUBSTANCE_MISUSE_TREATMENT = "substance_misuse_treatment", "Substance misuse treatment"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SEXUAL_OFFENDING = "sexual_offending", "Sexual offending"
    MAPPA = "mappa", "MAPPA"
    VICTIM_DETAILS = "victim_details", "Victim details"


# Categories whose sharing may rest on the person's consent (a rule's `needs_consent` flag).
CONSENT_CATEGORIES = (Category.HEALTH, Category.SUBSTANCE_MISUSE_TREATMENT)

# Offence codes (shared/reference/offence_categories.csv) that are sexual offending.
SEXUAL_OFFENCE_CODES = frozenset({"rape", "other_sexual", "sexual_child"})

# Flags that belong to a special category; other flags (PPO, DYO, DIP, Asset, RoSH) are shared with the case.
FLAG_CATEGORIES: dict[str, Category] = {
    FlagType.MAPPA_1: Category.MAPPA,
    FlagType.MAPPA_2: Category.MAPPA,
    FlagType.MAPPA_3: Category.MAPPA,
    FlagType.MARAC: Category.DOMESTIC_ABUSE,
}

# Notes on these pathways of a needs assessment are special-category information (the level is not).
PATHWAY_CATEGORIES: dict[str, Category] = {
    Pathway.HEALTH: Category.HEALTH,
    Pathway.DRUGS_ALCOHOL: Category.SUBSTANCE_MISUSE_TREATMENT,
}

RESTRICTED_OFFENCE = "An offence in a restricted category"
RESTRICTED_CONTACT_NOTES = "Restricted: the sharing rules do not let your organisation see these notes"
# Contacts whose notes are special-category information: a drug test's result is substance misuse treatment.
CONTACT_KIND_CATEGORIES: dict[str, Category] = {"drug_test": Category.SUBSTANCE_MISUSE_TREATMENT}
RESTRICTED_ACTION = "An action on this pathway: its details are special-category information your agency may not read"
RESTRICTED_PROMPT = (
    "An arrest or proven offence in a restricted category: review whether the case should move up the pyramid."
)
