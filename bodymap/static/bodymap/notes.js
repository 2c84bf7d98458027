// The session note: add rows to the findings and treatment lists, and tap the body map to add a
// finding on that region. Every control also works without this script.
(function () {
  "use strict";
  var form = document.getElementById("note-form");
  if (!form) { return; }

  function addRow(prefix) {
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var index = parseInt(total.value, 10);
    var html = document.getElementById("empty-" + prefix).innerHTML.replace(/__prefix__/g, String(index));
    var rows = form.querySelector('[data-formset="' + prefix + '"]');
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    return rows.lastElementChild;
  }

  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var row = addRow(button.getAttribute("data-add-row"));
      var first = row.querySelector("select, input, textarea");
      if (first) { first.focus(); }
    });
  });

  var map = form.querySelector("[data-note-map]");
  if (map) {
    map.addEventListener("click", function (event) {
      var shape = event.target.closest("[data-region]");
      if (!shape) { return; }
      var rows = form.querySelectorAll('[data-formset="findings"] .note-row');
      var target = null;
      rows.forEach(function (row) {
        var select = row.querySelector('select[name$="-region"]');
        if (!target && select && !select.value) { target = row; }
      });
      if (!target) { target = addRow("findings"); }
      target.querySelector('select[name$="-region"]').value = shape.getAttribute("data-region");
      var side = shape.getAttribute("data-side");
      target.querySelector('select[name$="-side"]').value = side === "mid" ? "both" : side;
      target.scrollIntoView({ behavior: "smooth", block: "center" });
      target.querySelector('select[name$="-muscle"]').focus({ preventScroll: true });
      form.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
})();
