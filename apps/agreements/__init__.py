# SPDX-License-Identifier: EUPL-1.2
"""The agreement register: parties, decisions, clock terms, interventions, goals, indicators, lifecycle.
May import: organisations, accounts, core, audit and domain; areas above react through its signals."""
