// The calendar: drag a post to another day (month) or hour (week) to move it, and open the
// composer from an empty day or hour. Every action also works without this script: each
// tile has a Move form, and each day and hour a "+" link.
(() => {
  const dropForm = document.getElementById("cal-drop-form");

  // A pillar's own colour (CSSOM, so no inline style attribute is needed).
  document.querySelectorAll("[data-colour]").forEach((el) => {
    const colour = el.dataset.colour;
    if (/^#[0-9a-fA-F]{3,8}$/.test(colour)) el.style.setProperty("--tile", colour);
  });

  // Clicking the empty part of a day or hour opens the composer at that time.
  document.addEventListener("click", (event) => {
    const cell = event.target.closest("[data-date]");
    if (!cell || event.target.closest(".cal-tile, a, button, summary, input, form, .cal-note")) return;
    const link = cell.querySelector(":scope > a[data-compose], :scope > .cal-day-head > a[data-compose]");
    if (link) window.location.assign(link.href);
  });

  if (!dropForm) return;
  let dragged = null;

  document.addEventListener("dragstart", (event) => {
    const tile = event.target.closest && event.target.closest(".cal-tile[draggable='true']");
    if (!tile) return;
    dragged = tile;
    tile.classList.add("cal-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", tile.dataset.post);
  });
  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("cal-dragging");
    document.querySelectorAll(".cal-drop-target").forEach((el) => el.classList.remove("cal-drop-target"));
    dragged = null;
  });
  document.addEventListener("dragover", (event) => {
    const target = event.target.closest && event.target.closest("[data-drop]");
    if (!target || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".cal-drop-target").forEach((el) => { if (el !== target) el.classList.remove("cal-drop-target"); });
    target.classList.add("cal-drop-target");
  });
  document.addEventListener("drop", (event) => {
    const target = event.target.closest && event.target.closest("[data-drop]");
    if (!target || !dragged) return;
    event.preventDefault();
    const [hours, minutes] = dragged.dataset.time.split(":");
    // Month: the day changes, the time of day stays. Week: the hour changes, the minutes stay.
    const time = target.dataset.drop === "hour"
      ? `${String(target.dataset.hour).padStart(2, "0")}:${minutes}`
      : `${hours}:${minutes}`;
    if (target.dataset.date === dragged.dataset.date && time === dragged.dataset.time) return;
    dropForm.elements.post.value = dragged.dataset.post;
    dropForm.elements.date.value = target.dataset.date;
    dropForm.elements.time.value = time;
    dropForm.submit();
  });
})();
