"""The agreement register: parties, decisions, clock terms, interventions, goals, indicators, lifecycle.
May import: organisations, accounts, core, audit and domain; areas above react through its signals."""
