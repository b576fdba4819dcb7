// The inbox's keyboard: j/k move through the conversations, o or Enter opens one, a
// assigns, r replies, c closes, ? shows the help. Every action also has a button or link;
// the keys only save the mouse trip. Keys typed into a field are left alone.
(() => {
  const help = document.getElementById("inbox-help");
  const rows = Array.from(document.querySelectorAll("[data-inbox-row]"));
  let current = -1;

  // A checkbox or button keeps the shortcuts; a field one writes or chooses in does not.
  const typing = (el) =>
    el &&
    (el.isContentEditable ||
      /^(TEXTAREA|SELECT)$/.test(el.tagName) ||
      (el.tagName === "INPUT" && !/^(checkbox|radio|button|submit)$/.test(el.type)));

  const toggleHelp = () => {
    if (!help) return;
    if (help.open) help.close(); else help.showModal();
  };
  document.querySelectorAll("[data-inbox-help]").forEach((button) => button.addEventListener("click", toggleHelp));

  const select = (index) => {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("inbox-current", i === current));
    rows[current].scrollIntoView({ block: "nearest" });
    const box = rows[current].querySelector("input[type=checkbox]");
    (box || rows[current].querySelector("a")).focus({ preventScroll: true });
  };

  const chooseCurrent = () => {
    if (current < 0) return;
    const box = rows[current].querySelector("input[type=checkbox]");
    if (box) box.checked = true;
  };

  // A saved reply goes into the reply box (filled in for this conversation by the server).
  const saved = document.querySelector("[data-saved-replies]");
  const replyBox = document.querySelector("[data-reply-box]");
  if (saved && replyBox) {
    const preferred = saved.querySelector("option[data-preferred]");
    if (preferred && !replyBox.value) saved.value = preferred.value;
    saved.addEventListener("change", () => {
      const option = saved.selectedOptions[0];
      if (!option || !option.dataset.text) return;
      replyBox.value = option.dataset.text;
      replyBox.focus();
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    if (key === "?") { toggleHelp(); event.preventDefault(); return; }
    if (help && help.open) return;
    if (key === "j") { select(current + 1); event.preventDefault(); }
    else if (key === "k") { select(current - 1); event.preventDefault(); }
    else if ((key === "o" || key === "Enter") && current >= 0 && rows.length) {
      window.location.assign(rows[current].dataset.href); event.preventDefault();
    } else if (key === "a") {
      chooseCurrent();
      const assign = document.querySelector("[data-inbox-assign]");
      if (assign) { assign.focus(); event.preventDefault(); }
    } else if (key === "r") {
      if (replyBox) { replyBox.focus(); event.preventDefault(); }
      else if (current >= 0 && rows.length) { window.location.assign(rows[current].dataset.href + "#replies"); event.preventDefault(); }
    } else if (key === "c") {
      chooseCurrent();
      const close = document.querySelector("[data-inbox-close]");
      if (close && (rows.length === 0 || current >= 0)) { close.click(); event.preventDefault(); }
    }
  });
})();
