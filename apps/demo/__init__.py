# SPDX-License-Identifier: EUPL-1.2
"""Demo data: the three seeded agreements, their money and the demo users, loaded by ``seed_demo``.
May import: every area (it is at the top of the house); nothing imports it."""
