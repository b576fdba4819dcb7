// The composer: after a picture was added or converted in place (htmx swaps the picker),
// the previews are brought up to date as if the person had changed the form themselves.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail && event.detail.target;
  if (!target || target.id !== "compose-media") return;
  const form = document.getElementById("compose-form");
  if (form) form.dispatchEvent(new Event("change", { bubbles: true }));
  const note = target.querySelector(".media-note, .error");
  if (note) {
    note.setAttribute("tabindex", "-1");
    note.focus({ preventScroll: false });
  }
});

// A hint's one-click fix (the plan's call to action): added at the end of the message; the
// input event brings the previews up to date, which drops the hint.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-append-text]");
  const field = document.getElementById("master-text");
  if (!button || !field) return;
  const addition = button.dataset.appendText;
  const text = field.value.replace(/\s+$/, "");
  field.value = text ? `${text}\n\n${addition}` : addition;
  field.focus();
  field.dispatchEvent(new Event("input", { bubbles: true }));
});

// A suggested time fills the date and time field in place; without JavaScript the same
// button sends the form and the page comes back with the time filled in.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-suggested-when]");
  const field = document.getElementById("id_when");
  if (!button || !field) return;
  event.preventDefault();
  field.value = button.dataset.suggestedWhen;
  field.dispatchEvent(new Event("change", { bubbles: true }));
  field.focus();
});
