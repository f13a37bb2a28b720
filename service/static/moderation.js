// Keyboard shortcuts of the moderation UI (no inline scripts: the CSP forbids them).
// j / k: next / previous item; o: open the thread (queue) or a comment's correction form
// (thread page); r: mark reviewed; d: dismiss a flag (focuses its reason); u: back to the
// queue; ?: the shortcuts dialog. Keys typed into form fields are left alone.
(function () {
  "use strict";

  var current = -1;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
  }

  function selected() {
    return items()[current] || null;
  }

  function select(index) {
    var list = items();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (el, i) {
      el.classList.toggle("is-selected", i === current);
      if (i === current) { el.setAttribute("aria-current", "true"); }
      else { el.removeAttribute("aria-current"); }
    });
    var el = list[current];
    var target = el.querySelector("[data-open]") || el;
    target.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }

  function go(link) {
    if (link) { window.location.assign(link.href); }
  }

  function open() {
    var el = selected();
    if (!el) { select(0); return; }
    var link = el.querySelector("[data-open]");
    if (link) { go(link); return; }
    var details = el.querySelector("[data-correct]");
    if (details) {
      details.open = !details.open;
      if (details.open) { details.querySelector("select").focus(); }
    }
  }

  function review() {
    var el = selected();
    var form = (el && el.querySelector("form[data-review]")) ||
      document.querySelector(".actions form[data-review]");
    if (form) { form.requestSubmit(); }
  }

  function reasonField() {
    var input = document.querySelector("form[data-dismiss] input[name=reason]");
    var folded = input && input.closest("details");
    if (folded) { folded.open = true; }
    return input;
  }

  function dismiss() {
    var input = reasonField();
    if (input) {
      input.scrollIntoView({ block: "center" });
      input.focus();
      return;
    }
    var el = selected();
    var link = el && el.querySelector("[data-open]");
    if (link) { window.location.assign(link.href + "#flags"); }
  }

  function help() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) { dialog.showModal(); }
  }

  function typing(target) {
    return target && target.closest &&
      target.closest("input, textarea, select, [contenteditable='true']");
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-action='help']")) { help(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) { return; }
    var actions = {
      j: function () { select(current + 1); },
      k: function () { select(current <= 0 ? 0 : current - 1); },
      o: open,
      r: review,
      d: dismiss,
      u: function () { go(document.querySelector("[data-back]")); },
      "?": help
    };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (window.location.hash === "#flags") {
      var input = reasonField();
      if (input) { input.focus(); }
    }
  });
}());

// A folded panel marked data-wide-open (the queue's filters) starts open on a wide screen
// and folded on a phone.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (!window.matchMedia("(min-width: 761px)").matches) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("details[data-wide-open]"),
    function (panel) { panel.open = true; });
});

// The queue's selection (the boxes of the bulk form): a count, "select all", x to select
// the current thread; and the queue refreshes itself every data-refresh seconds without
// losing the selection, the focus or the keyboard's place.
(function () {
  "use strict";

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("input[data-pick]"));
  }

  function count() {
    var out = document.querySelector("[data-bulk-count]");
    if (!out) { return; }
    var n = boxes().filter(function (b) { return b.checked; }).length;
    out.textContent = out.getAttribute("data-template").replace("{n}", n);
  }

  document.addEventListener("change", function (event) {
    var all = event.target.closest && event.target.closest("[data-pick-all]");
    if (all) { boxes().forEach(function (b) { b.checked = all.checked; }); }
    if (all || (event.target.matches && event.target.matches("input[data-pick]"))) { count(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "x" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.target.closest && event.target.closest("input, textarea, select")) { return; }
    var row = document.querySelector("tr.is-selected");
    var box = row && row.querySelector("input[data-pick]");
    if (box) { box.checked = !box.checked; count(); event.preventDefault(); }
  });

  function refresh(table) {
    var picked = boxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var selected = document.querySelector("tr.is-selected");
    var selectedId = selected && selected.getAttribute("data-thread-id");
    var focused = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("tr[data-item]");
    var focusedId = focused && focused.getAttribute("data-thread-id");
    return fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var body = fresh.querySelector("table.queue tbody");
        var current = table.querySelector("tbody");
        if (!body || body.innerHTML === current.innerHTML) { return; }
        current.innerHTML = body.innerHTML;
        ["[data-testid=queue-count]", "nav.pager", "nav.flag-counts"].forEach(function (sel) {
          var a = document.querySelector(sel), b = fresh.querySelector(sel);
          if (a && b) { a.innerHTML = b.innerHTML; }
        });
        boxes().forEach(function (b) { b.checked = picked.indexOf(b.value) >= 0; });
        if (selectedId) {
          var again = table.querySelector("tr[data-thread-id='" + selectedId + "']");
          if (again) { again.classList.add("is-selected"); again.setAttribute("aria-current", "true"); }
        }
        if (focusedId) {
          var target = table.querySelector("tr[data-thread-id='" + focusedId + "'] input[data-pick]");
          if (target) { target.focus({ preventScroll: true }); }
        }
        count();
        var status = document.querySelector("[data-refresh-status]");
        if (status) { status.textContent = status.getAttribute("data-text"); }
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    count();
    var table = document.querySelector("table.queue[data-refresh]");
    var seconds = table && Number(table.getAttribute("data-refresh"));
    if (!seconds || seconds <= 0) { return; }
    window.setInterval(function () {
      if (!document.hidden) { refresh(table); }
    }, seconds * 1000);
  });
}());
