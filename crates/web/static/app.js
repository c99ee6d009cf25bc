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
