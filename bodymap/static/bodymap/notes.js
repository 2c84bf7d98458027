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

  // A finding's muscle list shows only the muscles of the region chosen on that row.
  var placed = document.getElementById("muscles-by-region");
  var musclesByRegion = placed ? JSON.parse(placed.textContent) : null;
  function filterMuscles(row) {
    var region = row.querySelector('select[name$="-region"]');
    var muscle = row.querySelector('select[name$="-muscle"]');
    if (!musclesByRegion || !region || !muscle) { return; }
    var allowed = musclesByRegion[region.value] || [];
    muscle.querySelectorAll("option").forEach(function (option) {
      var show = !option.value || allowed.indexOf(option.value) !== -1;
      option.hidden = !show;
      option.disabled = !show;
      if (!show && option.selected) { muscle.value = ""; }
    });
    muscle.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.matches('[data-formset="findings"] select[name$="-region"]')) {
      filterMuscles(event.target.closest(".note-row"));
    }
  });
  form.querySelectorAll('[data-formset="findings"] .note-row').forEach(filterMuscles);

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
      filterMuscles(target);
      target.scrollIntoView({ behavior: "smooth", block: "center" });
      target.querySelector('select[name$="-muscle"]').focus({ preventScroll: true });
      form.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
})();
