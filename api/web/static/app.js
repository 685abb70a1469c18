// Penempatan: the only script of the pages. A long request (a cohort dry run, a planning study)
// says that it is running and cannot be sent twice. Everything works without it.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var text = form.getAttribute("data-busy");
  if (!text) return;
  var note = form.querySelector(".busy");
  if (note) { note.textContent = text; note.hidden = false; }
  var button = form.querySelector("button[type=submit]");
  if (button) { setTimeout(function () { button.disabled = true; }, 0); }
});
