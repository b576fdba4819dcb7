// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  const select = event.target.closest("[data-workspace-switcher] select");
  if (select && select.value) {
    window.location.assign(select.value);
  }
});

// Insert the chosen snippet at the cursor of the message field.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-insert-snippet]");
  if (!button) return;
  const choice = document.getElementById(button.dataset.insertSnippet);
  const field = document.querySelector("[data-snippet-target]");
  if (!choice || !field) return;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? field.value.length;
  field.value = field.value.slice(0, start) + choice.value + field.value.slice(end);
  field.focus();
  field.selectionStart = field.selectionEnd = start + choice.value.length;
  field.dispatchEvent(new Event("input", { bubbles: true }));
});
