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
