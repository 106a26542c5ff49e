"""Practice simulator for couples therapists."""
