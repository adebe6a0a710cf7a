// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// After "Older entries" loads in place, keyboard focus goes to the first new entry,
// not back to the top of the page.
document.addEventListener("htmx:afterSettle", () => {
  const first = document.querySelector("[data-focus-after-load]");
  if (first) {
    first.removeAttribute("data-focus-after-load");
    first.focus();
  }
});
