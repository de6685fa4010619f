// kyufu desk: keyboard first. Enter in a value submits its row (the browser's own behaviour; the
// server puts the cursor on the next field). Ctrl+Enter submits and goes on to the next case.
// "n" outside a text box opens the next case. No inline script: the pages' CSP forbids it.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && typing && t.form && t.form.classList.contains("fix")) {
      var then = t.form.querySelector("input.then");
      if (then) { then.value = "next"; }
      e.preventDefault();
      t.form.requestSubmit();
      return;
    }
    if (!typing && !e.ctrlKey && !e.altKey && !e.metaKey && e.key === "n") {
      var next = document.getElementById("next-case");
      if (next) { e.preventDefault(); next.click(); }
    }
  });
})();
