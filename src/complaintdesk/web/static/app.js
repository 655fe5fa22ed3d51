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
// Copy: navigator.clipboard exists only on https or localhost; on an intranet's plain http the text
// is selected and copied with execCommand instead. Either way the button says whether it worked.
function copyText(text, source) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  return new Promise(function (resolve, reject) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    if (source && source.focus) source.focus();
    if (done) resolve(); else reject(new Error("copy refused"));
  });
}
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.querySelector(button.getAttribute("data-copy"));
  if (!source) return;
  var status = document.getElementById(button.getAttribute("data-copy-status") || "") || button;
  var en = document.documentElement.lang === "en";
  copyText(source.value || source.textContent || "", null).then(function () {
    status.textContent = en ? "Copied" : "已复制";
  }, function () {
    status.textContent = en ? "Press Ctrl+C to copy" : "请按 Ctrl+C 复制";
    if (source.select) { source.focus(); source.select(); }
  });
});
// Keyboard shortcuts (docs/web.md): ? lists them; g then q / d / i opens the queue, dashboard or
// intake; on a complaint page r goes to the reply box, n to the internal note, c copies the draft, m goes to
// "reply and move to the next stage" (Enter does it; after the swap the focus is on it again).
(function () {
  var pending = null;
  function typing(el) { return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)); }
  function go(selector) { var el = document.querySelector(selector); if (el) { el.focus(); el.scrollIntoView({block: "center"}); } return !!el; }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var help = document.getElementById("keys-help");
    if (event.key === "?") { if (help) { help.open ? help.close() : help.showModal(); } event.preventDefault(); return; }
    if (pending === "g") {
      pending = null;
      var where = {q: "/queue", d: "/dashboard", i: "/intake", s: "/search"}[event.key];
      if (where) { location.href = where; event.preventDefault(); }
      return;
    }
    if (event.key === "g") { pending = "g"; setTimeout(function () { pending = null; }, 1500); return; }
    if (event.key === "r" && go("#msg-body")) { var kind = document.querySelector("#message [name=kind]"); if (kind && kind.tagName === "SELECT") kind.value = "outbound"; event.preventDefault(); }
    else if (event.key === "n" && go("#msg-body")) { var k = document.querySelector("#message [name=kind]"); if (k && k.tagName === "SELECT") k.value = "note"; event.preventDefault(); }
    else if (event.key === "m") { if (go("#reply-and-move-submit")) event.preventDefault(); }
    else if (event.key === "c") { var copy = document.querySelector("[data-copy]"); if (copy) { copy.click(); event.preventDefault(); } }
    else if (event.key === "/") { if (go(".top-search input")) event.preventDefault(); }
  });
})();
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
// The reply box's SMS counter: the whole SMS as the customer will read it (the text around the reply,
// the reply cut as the provider cuts a template variable), counted as services.sms_outbox counts it:
// any character outside the GSM alphabet makes it UCS-2, 70 UTF-16 units in one SMS, 67 a segment when
// longer; all-GSM text 160, then 153, an extension character counting two.
(function () {
  function setUp() {
    var counter = document.querySelector("[data-sms-counter]:not([data-counting])");
    var box = document.getElementById("msg-body");
    if (!counter || !box) return;
    counter.setAttribute("data-counting", "");
    var gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    var ext = "^{}\\[~]|€\f";
    var note = counter.textContent;
    function segments(text) {
      var units = 0, isGsm = true;
      for (var i = 0; i < text.length; i++) {
        var c = text.charAt(i);
        if (ext.indexOf(c) >= 0) units += 2; else if (gsm.indexOf(c) >= 0) units += 1; else { isGsm = false; break; }
      }
      var single = isGsm ? 160 : 70, multi = isGsm ? 153 : 67;
      if (!isGsm) units = text.length;  // UTF-16 code units, as JavaScript counts them
      return {chars: units, segments: units === 0 ? 0 : (units <= single ? 1 : Math.ceil(units / multi))};
    }
    function update() {
      var body = box.value, cut = parseInt(counter.getAttribute("data-max-param"), 10) || 0;
      if (cut && Array.from(body).length > cut) body = Array.from(body).slice(0, cut - 1).join("") + "…";
      var n = segments(counter.getAttribute("data-before") + body + counter.getAttribute("data-after"));
      var max = parseInt(counter.getAttribute("data-max-segments"), 10);
      var text = n.segments > max ? counter.getAttribute("data-too-long").replace("{max}", max)
        : counter.getAttribute("data-label").replace("{chars}", n.chars).replace("{segments}", n.segments);
      counter.textContent = (note ? note + " " : "") + text;
    }
    box.addEventListener("input", update);
    update();
  }
  setUp();
  document.addEventListener("htmx:afterSettle", setUp);  // the complaint page's body swapped in place
})();
