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
