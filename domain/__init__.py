"""Pure domain rules of Partnerskap.

Nothing in this package imports Django: the rules are plain Python functions and value objects,
tested with Hypothesis properties, and called by the apps' services and selectors.
"""
