// Small enhancements only; every form works without this file.
// "/" focuses the search box.
document.addEventListener("keydown", function (e) {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
  var q = document.getElementById("q");
  if (q) { e.preventDefault(); q.focus(); q.select(); }
});

// "n" takes the next account on the worklist (the button's form is submitted as is).
document.addEventListener("keydown", function (e) {
  if (e.key !== "n" || e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
  var next = document.getElementById("next-account");
  if (next) { e.preventDefault(); next.click(); }
});

// Picking a reason opens the objection playbook entries that come with it.
document.addEventListener("change", function (e) {
  if (!e.target || e.target.id !== "reason") return;
  var code = e.target.value;
  document.querySelectorAll("details.objection").forEach(function (d) {
    var reasons = (d.getAttribute("data-reasons") || "").split(" ");
    d.open = code !== "" && reasons.indexOf(code) >= 0;
  });
});

// The message guard as the collector types: the text is checked after a short pause and
// the findings (rule, words, how to rewrite) are shown; a blocked text cannot be queued.
(function () {
  var text = document.getElementById("message-text");
  var out = document.getElementById("guard-result");
  if (!text || !out) return;
  var form = text.form;
  var button = document.getElementById("send-message");
  var timer = null;
  function show(view) {
    out.textContent = "";
    if (view.blocked) {
      var p = document.createElement("p");
      p.className = "alert";
      p.textContent = out.getAttribute("data-blocked");
      out.appendChild(p);
    } else if (view.findings.length === 0 && text.value.trim() !== "") {
      var ok = document.createElement("p");
      ok.className = "ok";
      ok.textContent = out.getAttribute("data-ok");
      out.appendChild(ok);
    }
    if (view.findings.length > 0) {
      var ul = document.createElement("ul");
      ul.className = "findings";
      view.findings.forEach(function (f) {
        var li = document.createElement("li");
        li.className = f.severity;
        var b = document.createElement("strong");
        b.textContent = f.name;
        li.appendChild(b);
        li.appendChild(document.createTextNode(": «" + f.words + "» — " + f.advice));
        ul.appendChild(li);
      });
      out.appendChild(ul);
    }
    if (button) button.disabled = view.blocked;
  }
  function check() {
    var body = new URLSearchParams();
    body.set("csrf_token", form.elements["csrf_token"].value);
    body.set("text", text.value);
    fetch(text.getAttribute("data-guard"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (view) { if (view) show(view); })
      .catch(function () {});
  }
  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();

// The template editor: the text is filled with sample data and checked by the message
// guard after a short pause; unknown variables, findings and the preview are shown, and
// a text that may not be submitted keeps the button disabled.
(function () {
  var form = document.getElementById("template-form");
  var out = document.getElementById("preview-result");
  var box = document.getElementById("preview");
  if (!form || !out || !box) return;
  var button = document.getElementById("submit-template");
  var timer = null;
  function para(cls, text) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    out.appendChild(p);
  }
  function show(view) {
    out.textContent = "";
    view.errors.forEach(function (e) { para("alert", e.message); });
    if (view.valid) {
      para(view.blocked ? "alert" : "ok", box.getAttribute(view.blocked ? "data-blocked" : "data-ok"));
      view.problems.forEach(function (p) { para("alert", p); });
      if (view.findings.length > 0) {
        var ul = document.createElement("ul");
        ul.className = "findings";
        view.findings.forEach(function (f) {
          var li = document.createElement("li");
          li.className = f.severity;
          var b = document.createElement("strong");
          b.textContent = f.name;
          li.appendChild(b);
          li.appendChild(document.createTextNode(": «" + f.words + "» — " + f.advice));
          ul.appendChild(li);
        });
        out.appendChild(ul);
      }
      if (view.subject) {
        var s = document.createElement("p");
        var strong = document.createElement("strong");
        strong.id = "preview-subject";
        strong.textContent = view.subject;
        s.appendChild(strong);
        out.appendChild(s);
      }
      if (view.body) {
        var pre = document.createElement("pre");
        pre.className = "tpl-text";
        pre.id = "preview-body";
        pre.textContent = view.body;
        out.appendChild(pre);
      }
    }
    if (button) button.disabled = view.blocked;
  }
  function check() {
    var body = new URLSearchParams();
    ["csrf_token", "stage", "channel", "subject", "body"].forEach(function (name) {
      if (form.elements[name]) body.set(name, form.elements[name].value);
    });
    fetch(form.getAttribute("data-preview"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (view) { if (view) show(view); })
      .catch(function () {});
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();
