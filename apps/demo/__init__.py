"""Demo data: the three seeded agreements, their money and the demo users, loaded by ``seed_demo``.

At the top of the house: may import every area's services and models; nothing imports it.
"""
