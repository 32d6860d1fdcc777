# SPDX-License-Identifier: EUPL-1.2
"""Reflow (WCAG 2.1 AA 1.4.10): at 320 CSS pixels no page a demo user reaches scrolls sideways.

Every demo user walks every page reachable by links from the start page (agreements, their detail, edit,
history and money pages, the forms, organisations, import list, upload and review, price index, portfolio),
plus the login page and the error pages, in a 320 px wide window. On each page the document may not be wider
than the window (axe does not check reflow), and axe finds no WCAG 2.1 A/AA violation on one page of each
kind (URL pattern) per user. The menu collapses behind a button that opens and closes it.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.db.models import Q
from django.urls import Resolver404, resolve

from apps.accounts.models import User
from tests.browser.conftest import PASSWORD, assert_accessible, log_in

NARROW = {"width": 320, "height": 640}
SEEDS = Path(__file__).resolve().parents[1] / "domain" / "importer" / "fixtures" / "seeds"
MAX_PAGES_PER_USER = 600  # a crawl that reaches this has found an endless set of links: fail, do not skip

# What the crawl does not open: leaving the session, the admin site (Django's own), files and downloads.
SKIP_PREFIXES = ("/logga-ut/", "/admin/", "/static/", "/i18n/")


@pytest.fixture
def narrow(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=NARROW)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def overflow(page) -> str | None:
    """None when the page fits the window; otherwise how wide it is and the widest elements sticking out."""
    return page.evaluate("""() => {
      const width = window.innerWidth, scroll = document.documentElement.scrollWidth;
      if (scroll <= width) return null;
      const out = [...document.body.querySelectorAll('*')]
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}`);
      return `${scroll} px wide in a ${width} px window; sticking out: ${out.join(', ')}`;
    }""")


def route_of(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def same_site_links(page, live_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        if f"{url.scheme}://{url.netloc}" != live_url or url.path.startswith(SKIP_PREFIXES):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def crawl(page, live_url: str, start: str) -> tuple[set[str], list[str]]:
    """Visit every page reachable by links from start; return the kinds of page (routes) and the failures."""
    seen: set[str] = set()
    queue = deque([start])
    checked_routes: set[str] = set()
    failures: list[str] = []
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        assert len(seen) < MAX_PAGES_PER_USER, f"the crawl found more than {MAX_PAGES_PER_USER} pages from {start}"
        head = page.request.get(path, max_redirects=0)  # downloads (Excel, CSV, documents) are not pages
        if "text/html" not in head.headers.get("content-type", ""):
            continue
        page.goto(path)
        problem = overflow(page)
        if problem:
            failures.append(f"{path}: {problem}")
        route = route_of(urlsplit(path).path)
        if route not in checked_routes:  # axe on the first page of each kind: it takes a second a page
            checked_routes.add(route)
            assert_accessible(page)
        queue.extend(link for link in same_site_links(page, live_url) if link not in seen)
    return checked_routes, failures


def upload_a_document(page, tmp_path) -> None:
    """Give the import list a draft to review, so that the review page is crawled too."""
    page.goto("/import/ladda-upp/")
    page.get_by_label("Offentlig organisation").select_option(label="Socialnämnden Nordost")
    page.get_by_label("Dokument").set_input_files(str(next(SEEDS.glob("003_*.txt"))))
    page.get_by_role("button", name="Läs in dokumentet").click()
    page.get_by_role("heading", name="Granska importerat dokument").wait_for()


def test_no_page_a_demo_user_reaches_scrolls_sideways_at_320_px(narrow, live_server, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Every demo user who works in the product: a membership, or a platform right (the index keeper).
    usernames = sorted(
        User.objects.filter(is_active=True, is_superuser=False)
        .filter(Q(memberships__isnull=False) | Q(user_permissions__isnull=False))
        .values_list("username", flat=True)
        .distinct()
    )
    assert {"handlaggare", "controller", "partner-reningsborg", "plattform"} <= set(usernames)

    narrow.goto("/logga-in/")
    failures = [f"/logga-in/: {problem}"] if (problem := overflow(narrow)) else []
    assert_accessible(narrow)

    routes_seen: dict[str, set[str]] = {}
    for username in usernames:
        narrow.context.clear_cookies()
        log_in(narrow, username)
        if username == "handlaggare":
            upload_a_document(narrow, tmp_path)
        routes, problems = crawl(narrow, live_server.url, "/")
        routes_seen[username] = routes
        failures += [f"{username} {problem}" for problem in problems]

        # A form sent with mistakes: the error summary and the marked fields fit as well.
        if username == "handlaggare":
            narrow.goto("/organisationer/ny/")
            narrow.get_by_role("button", name="Spara").click()
            narrow.locator("#error-summary").wait_for()
            if problem := overflow(narrow):
                failures.append(f"{username} /organisationer/ny/ with errors: {problem}")
            assert_accessible(narrow)

    # The crawl reached the pages it is meant to cover (a broken link or menu would hide them).
    officer = {
        "avtal/",
        "avtal/<int:pk>/",
        "avtal/<int:pk>/redigera/",
        "avtal/<int:pk>/historik/",
        "ekonomi/avtal/<int:pk>/",
        "avtal/<int:pk>/mal/<int:goal_id>/",
        "organisationer/",
        "organisationer/<int:pk>/",
        "import/",
        "import/ladda-upp/",
        "import/<int:pk>/",
    }
    assert officer <= routes_seen["handlaggare"], officer - routes_seen["handlaggare"]
    assert {"ekonomi/portfolj/", "ekonomi/index/"} <= routes_seen["controller"], routes_seen["controller"]
    assert {"avtal/<int:pk>/", "ekonomi/avtal/<int:pk>/"} <= routes_seen["partner-reningsborg"]
    keeper = {"ekonomi/index/", "ekonomi/index/<int:series_id>/nytt/", "ekonomi/index/<int:series_id>/<int:value_id>/"}
    assert keeper <= routes_seen["plattform"], keeper - routes_seen["plattform"]
    assert not failures, "pages that scroll sideways at 320 px:\n" + "\n".join(failures)


def error_page_fits(page, heading: str) -> None:
    page.get_by_role("heading", name=heading).wait_for()
    assert overflow(page) is None, overflow(page)
    assert_accessible(page)


def test_error_pages_fit_at_320_px(narrow, demo):
    narrow.goto("/finns-inte/")  # signed out
    error_page_fits(narrow, "Sidan kunde inte hittas")

    log_in(narrow, "partner-reningsborg")
    narrow.goto("/finns-inte/")
    error_page_fits(narrow, "Sidan kunde inte hittas")
    narrow.goto("/organisationer/")  # not for partners
    error_page_fits(narrow, "Du har inte behörighet att göra det här")

    # A form whose CSRF check fails (the cookie is gone, as after a long pause or blocked cookies).
    narrow.goto("/avtal/")
    narrow.context.clear_cookies(name="csrftoken")
    narrow.get_by_role("button", name="English").click()
    error_page_fits(narrow, "Formuläret kunde inte skickas")


@pytest.mark.urls("tests.apps.core.urls_failing")
def test_server_error_page_fits_at_320_px(narrow, transactional_db):
    narrow.goto("/test-fails/")
    error_page_fits(narrow, "Något gick fel")


def test_menu_collapses_behind_a_button_at_320_px(narrow, browser, live_server, demo):
    log_in(narrow, "controller")
    menu = narrow.get_by_role("navigation", name="Huvudmeny")
    button = narrow.get_by_role("button", name="Meny")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    for name in ["Överenskommelser", "Portfölj", "Prisindex", "Organisationer"]:
        assert menu.get_by_role("link", name=name, exact=True).is_visible()
    assert narrow.get_by_role("button", name="Logga ut").is_visible()
    assert overflow(narrow) is None
    assert_accessible(narrow)

    narrow.keyboard.press("Escape")  # closes, and the focus goes back to the button
    assert button.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert narrow.evaluate("document.activeElement.classList.contains('site-menu-button')")

    button.focus()
    narrow.keyboard.press("Enter")  # a real button: the keyboard opens it too
    assert button.get_attribute("aria-expanded") == "true"
    menu.get_by_role("link", name="Portfölj", exact=True).click()
    narrow.get_by_role("heading", name="Åtaganden", exact=True).wait_for()

    # A wide window shows the menu itself and no button.
    wide = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 800})
    page = wide.new_page()
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill("controller")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Portfölj").wait_for()
    assert not page.get_by_role("button", name="Meny").is_visible()
    wide.close()
