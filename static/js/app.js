// SPDX-License-Identifier: EUPL-1.2
// Partnerskap: small progressive enhancements. Everything works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Send the CSRF token with htmx requests.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
  });

  // The main menu collapses behind a button on narrow screens (CSS decides when the button shows).
  // Without JavaScript the button stays hidden and the menu is simply shown, wrapped onto several lines.
  var button = document.querySelector(".site-menu-button");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (button && menu) {
    var setOpen = function (open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("site-menu--open", open);
    };
    menu.classList.add("site-menu--collapsible");
    button.hidden = false;
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and gives focus back to its button.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  // Move focus to the error summary so screen reader users hear what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
