// A step's autosave must not land after the step itself was sent: arriving second, it would mark the
// step unfinished again, and the full form carries everything the autosave would have saved.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    if (event.target.id === "intake-form") { event.target.dataset.sent = "1"; }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.id === "intake-form" && form.dataset.sent) { event.preventDefault(); }
  });
})();
