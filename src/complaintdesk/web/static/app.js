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
// Saved queue views: a name for the current filters, kept per user in this browser (localStorage).
(function () {
  var holder = document.querySelector(".saved-views");
  if (!holder) return;
  var key = "complaintdesk.views." + holder.getAttribute("data-user");
  function load() { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function store(views) { localStorage.setItem(key, JSON.stringify(views)); draw(); }
  function draw() {
    holder.textContent = "";
    load().forEach(function (view, i) {
      var link = document.createElement("a");
      link.href = view.href; link.textContent = view.name; link.setAttribute("data-testid", "saved-view");
      var drop = document.createElement("button");
      drop.type = "button"; drop.className = "small"; drop.textContent = "×";
      drop.setAttribute("aria-label", (document.documentElement.lang === "en" ? "Delete view " : "删除视图 ") + view.name);
      drop.addEventListener("click", function () { var all = load(); all.splice(i, 1); store(all); });
      holder.appendChild(link); holder.appendChild(drop);
    });
  }
  var save = document.querySelector(".save-view");
  if (save) save.addEventListener("click", function () {
    var form = save.closest("form");
    var query = new URLSearchParams(new FormData(form));
    Array.from(query.keys()).forEach(function (k) { if (!query.get(k)) query.delete(k); });
    var name = window.prompt(document.documentElement.lang === "en" ? "View name" : "视图名称");
    if (!name) return;
    var all = load().filter(function (v) { return v.name !== name; });
    all.push({name: name.slice(0, 40), href: "/queue?" + query.toString()});
    store(all);
  });
  draw();
})();
