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

// A one-button form that posted in place (the plan page swaps <main> whole): focus goes
// to the form of the same id in the new page, or to <main> when there is none, not to
// the top of the document.
document.addEventListener("htmx:afterSettle", (event) => {
  const form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!form || form.tagName !== "FORM" || !form.id) return;
  const again = document.getElementById(form.id);
  const button = again && again.querySelector("button");
  (button || document.getElementById("main")).focus();
});
