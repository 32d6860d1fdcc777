// Partnerskap: small progressive enhancements. Everything works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Send the CSRF token with htmx requests.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
  });
  // Move focus to the error summary so screen reader users hear what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
