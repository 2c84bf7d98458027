/* The staff calendar's grid: a click on a free gap books the time under the pointer, and an
   appointment dragged to another place is moved there. Both only fill in what the page already
   offers without script: the gap's link to the booking form, and the Move form (sent with `next`,
   so a refusal comes back to the grid with its reason). */
(function () {
  "use strict";
  var grid = document.querySelector(".tg");
  var form = document.getElementById("tg-move");
  if (!grid || !form) return;
  var firstHour = parseInt(grid.dataset.firstHour, 10);
  var rows = parseInt(grid.dataset.rows, 10);
  var rowMinutes = parseInt(grid.dataset.rowMinutes, 10);
  var step = parseInt(grid.dataset.step, 10) || 15;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function asTime(minutes) { return pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60); }
  function minutesOf(hhmm) { var p = hhmm.split(":"); return parseInt(p[0], 10) * 60 + parseInt(p[1], 10); }
  function rowHeight(body) { return body.getBoundingClientRect().height / rows; }
  // Minutes since midnight at a pointer height inside a column, to the nearest row.
  function minutesAt(body, clientY) {
    var y = clientY - body.getBoundingClientRect().top;
    var row = Math.max(0, Math.min(rows - 1, Math.round(y / rowHeight(body))));
    return firstHour * 60 + row * rowMinutes;
  }

  // A free gap: book the step under the pointer, not always the start of the gap.
  grid.addEventListener("click", function (event) {
    var gap = event.target.closest(".tg-free");
    if (!gap || event.detail === 0) return; // a keyboard "click" keeps the gap's own start
    var start = minutesOf(gap.dataset.start);
    var end = minutesOf(gap.dataset.end);
    var body = gap.parentElement;
    var y = event.clientY - body.getBoundingClientRect().top;
    var at = firstHour * 60 + Math.floor(y / rowHeight(body)) * rowMinutes;
    at = start + Math.floor((at - start) / step) * step;
    at = Math.max(start, Math.min(at, end - rowMinutes));
    var url = new URL(gap.href, window.location.href);
    url.searchParams.set("time", asTime(at));
    gap.href = url.pathname + url.search;
  });

  var dragged = null;
  var grabOffset = 0;
  grid.addEventListener("dragstart", function (event) {
    var appt = event.target.closest && event.target.closest(".tg-appt");
    if (!appt) return;
    dragged = appt;
    grabOffset = event.clientY - appt.getBoundingClientRect().top;
    appt.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", appt.dataset.client || "");
  });
  grid.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    grid.querySelectorAll(".is-drop-target").forEach(function (el) { el.classList.remove("is-drop-target"); });
  });
  grid.addEventListener("dragover", function (event) {
    var body = dragged && event.target.closest(".tg-body[data-therapist]");
    if (!body) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    grid.querySelectorAll(".is-drop-target").forEach(function (el) { if (el !== body) el.classList.remove("is-drop-target"); });
    body.classList.add("is-drop-target");
  });
  grid.addEventListener("drop", function (event) {
    var body = dragged && event.target.closest(".tg-body[data-therapist]");
    if (!body) return;
    event.preventDefault();
    var at = minutesAt(body, event.clientY - grabOffset);
    form.action = dragged.dataset.move;
    form.elements.therapist.value = body.dataset.therapist;
    form.elements.date.value = body.dataset.date;
    form.elements.time.value = asTime(at);
    dragged = null;
    form.submit();
  });
})();
