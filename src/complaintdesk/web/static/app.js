// Small page behaviours; everything works without it except live analysis (htmx) and charts.
// "Use this draft": the assist draft goes into the reply box, where the agent edits and sends it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-fill]");
  if (!button) return;
  var target = document.querySelector(button.getAttribute("data-fill"));
  var source = document.querySelector(button.getAttribute("data-from"));
  if (!target || !source) return;
  target.value = source.value || source.textContent || "";
  target.focus();
  target.scrollIntoView({block: "center"});
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.querySelector(button.getAttribute("data-copy"));
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.value || source.textContent || "");
  }
});
