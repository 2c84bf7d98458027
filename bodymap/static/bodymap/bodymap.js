// The body map on the intake: tapping a region ticks its entry in the list below (which works
// on its own with a keyboard or screen reader), and the map follows the list.
(function () {
  "use strict";
  var map = document.querySelector("[data-bodymap-input]");
  if (!map) { return; }
  var form = map.closest("form");

  function checkbox(key) { return form.querySelector("#id_" + key + "__on"); }
  function painSelect(key) { return form.querySelector("#id_" + key + "__pain"); }

  function paint(key) {
    var box = checkbox(key);
    if (!box) { return; }
    var pain = painSelect(key).value;
    map.querySelectorAll('[data-key="' + key + '"]').forEach(function (shape) {
      shape.classList.remove.apply(shape.classList, ["is-selected"].concat(
        Array.from({ length: 11 }, function (_, n) { return "pain-" + n; })));
      if (box.checked) {
        shape.classList.add("is-selected");
        if (pain !== "") { shape.classList.add("pain-" + pain); }
      }
    });
  }

  map.addEventListener("click", function (event) {
    var shape = event.target.closest("[data-key]");
    if (!shape) { return; }
    var key = shape.getAttribute("data-key");
    var box = checkbox(key);
    if (!box) { return; }
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    if (box.checked) {
      var item = box.closest(".region-item");
      // The name at the top of the screen, not the middle: an open entry is taller than a phone.
      item.scrollIntoView({ behavior: "smooth", block: "start" });
      painSelect(key).focus({ preventScroll: true });
    }
  });

  form.addEventListener("change", function (event) {
    var item = event.target.closest(".region-item");
    if (item) { paint(item.getAttribute("data-key")); }
  });

  form.querySelectorAll(".region-item").forEach(function (item) { paint(item.getAttribute("data-key")); });
})();
