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
// Only for swaps of <main>: a form that autosaves into a small region (the note
// editor) must keep the writer's focus where it is.
document.addEventListener("htmx:afterSettle", (event) => {
  const form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!form || form.tagName !== "FORM" || !form.id) return;
  if (!event.detail.target || event.detail.target.id !== "main") return;
  const again = document.getElementById(form.id);
  const button = again && again.querySelector("button");
  (button || document.getElementById("main")).focus();
});

// A refusal of an in-place post that swaps <main> (the plan ended meanwhile, the viewer
// left the care team, a step is gone) shows the same page it would without JavaScript,
// rather than nothing at all.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  const status = event.detail.xhr.status;
  if (target && target.id === "main" && (status === 403 || status === 404)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
