# SPDX-License-Identifier: EUPL-1.2
"""Money: terms, funding sources, budget lines, index series, payment plans, follow-up and the portfolio.
May import: agreements and everything below it; never documents or demo."""
