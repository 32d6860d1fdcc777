# SPDX-License-Identifier: EUPL-1.2
"""Pure domain rules of Partnerskap.
May import: the standard library and other domain modules; never Django or an app.

Nothing in this package imports Django: the rules are plain Python functions and value objects,
tested with Hypothesis properties, and called by the apps' services and selectors.
"""
