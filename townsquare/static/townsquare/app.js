// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  const select = event.target.closest("[data-workspace-switcher] select");
  if (select && select.value) {
    window.location.assign(select.value);
  }
});
