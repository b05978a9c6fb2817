"""OpenIOM: Integrated Offender Management for Community Safety Partnerships."""
