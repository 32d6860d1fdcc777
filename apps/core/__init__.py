"""The base of the site: layout, form helpers, error pages and error words, middleware, shared helpers.
May import: domain and Django only; never another app."""
