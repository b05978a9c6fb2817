from django.db import models


class Outcome(models.TextChoices):
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    CONVICTION = "conviction", "Conviction"
    CAUTION = "caution", "Caution"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


SANCTION_OUTCOMES = (Outcome.CONVICTION, Outcome.CAUTION)


class Disposal(models.TextChoices):
    IMMEDIATE_CUSTODY = "immediate_custody", "Immediate custody"
    SUSPENDED_SENTENCE = "suspended_sentence", "Suspended sentence"
    COMMUNITY_ORDER = "community_order", "Community order"
    FINE = "fine", "Fine"
    DISCHARGE = "discharge", "Discharge"
    CAUTION = "caution", "Caution"
    YOUTH_CAUTION = "youth_caution", "Youth caution"
    REFERRAL_ORDER = "referral_order", "Referral order"
    YOUTH_REHABILITATION_ORDER = "youth_rehabilitation_order", "Youth rehabilitation order"
    OTHER = "other", "Other"


class FlagType(models.TextChoices):
    MAPPA_1 = "mappa_1", "MAPPA level 1"
    MAPPA_2 = "mappa_2", "MAPPA level 2"
    MAPPA_3 = "mappa_3", "MAPPA level 3"
    MARAC = "marac", "MARAC"
    DIP = "dip", "Drug Interventions Programme"
    PPO = "ppo", "Prolific and priority offender"
    DYO = "dyo", "Deter Young Offenders"
    ASSET_SCORE = "asset_score", "Asset score"
    ROSH = "rosh", "Risk of serious harm"
