// One-screen handling (docs/web.md): the complaint page's forms post with htmx and the route answers with the
// page's body (#case), marked by the X-Case-Fragment header. This keeps what a swap would otherwise lose:
// the focus (the same control, or the outcome's message when the control is gone), the scroll position of
// the form that acted, what was typed in the other forms, and which folded sections were open. A refusal
// (4xx) is swapped too: it carries its message next to the form and what was typed. Without JavaScript the
// same forms post and the route redirects back, the outcome next to the form.
(function () {
  var FIELDS = "input:not([type=hidden]):not([type=file]), textarea, select";
  var saved = null;

  function en() { return document.documentElement.lang === "en"; }

  function toast(text) {
    var old = document.getElementById("case-toast");
    if (old) old.remove();
    var p = document.createElement("p");
    p.id = "case-toast"; p.className = "flash err feedback toast"; p.setAttribute("role", "alert");
    p.setAttribute("data-testid", "error"); p.textContent = text;
    document.body.appendChild(p);
  }

  function keyOf(el) {
    if (!el || el === document.body) return null;
    if (el.id) return "#" + CSS.escape(el.id);
    var form = el.form || el.closest("form");
    if (form && form.id) {
      var sel = "#" + CSS.escape(form.id) + " " + el.tagName.toLowerCase();
      if (el.name) sel += "[name='" + CSS.escape(el.name) + "']";
      if (el.value && el.tagName === "BUTTON") sel += "[value='" + CSS.escape(el.value) + "']";
      return sel;
    }
    if (el.getAttribute("data-testid")) return "[data-testid='" + CSS.escape(el.getAttribute("data-testid")) + "']";
    return null;
  }

  function changed(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    return el.value !== el.defaultValue;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("#case")) return;
    var form = elt.tagName === "FORM" ? elt : elt.closest("form");
    var anchor = form || elt;
    var active = document.activeElement;
    var typed = [];
    document.querySelectorAll("#case " + FIELDS.split(", ").join(", #case ")).forEach(function (field) {
      if (!field.id || (form && form.contains(field)) || !changed(field)) return;
      typed.push({id: field.id, value: field.value, checked: field.checked});
    });
    var open = [];
    document.querySelectorAll("#case details[id]").forEach(function (d) { if (d.open) open.push(d.id); });
    saved = {
      xhr: event.detail.xhr,  // the swap this state is for (the inbox badge polls and settles meanwhile)
      focus: keyOf(active && active !== document.body ? active : elt),
      anchor: keyOf(anchor), top: anchor.getBoundingClientRect().top,
      typed: typed, open: open
    };
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt || !elt.closest || !elt.closest("#case")) return;
    if (!xhr.getResponseHeader("X-Case-Fragment")) {
      event.detail.shouldSwap = false;
      if (xhr.status === 200 && xhr.responseURL) { window.location.href = xhr.responseURL; return; }  // signed out
      toast(en() ? "Not done: please reload the page and try again." : "操作未完成，请刷新页面后重试。");
      return;
    }
    if (xhr.status >= 400 && xhr.status < 500) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });

  document.addEventListener("htmx:sendError", function () {
    toast(en() ? "No connection: nothing was saved. Try again." : "网络连接失败，未保存，请重试。");
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!saved || event.detail.xhr !== saved.xhr || !document.getElementById("case")) return;
    var state = saved; saved = null;
    state.typed.forEach(function (item) {
      var field = document.getElementById(item.id);
      if (!field) return;
      if (field.type === "checkbox" || field.type === "radio") field.checked = item.checked; else field.value = item.value;
    });
    state.open.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
    var anchor = state.anchor && document.querySelector(state.anchor);
    if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - state.top);  // the form stays where it was
    var message = document.getElementById("feedback");
    var focus = state.focus && document.querySelector(state.focus);  // the same control, when it is still there
    if (focus && !focus.disabled) focus.focus({preventScroll: true});
    else if (message) message.focus({preventScroll: true});
    if (message) message.scrollIntoView({block: "nearest"});
  });
})();
