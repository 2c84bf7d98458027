// Draw a signature with a finger, pen or mouse; on saving, the drawing goes in a hidden field as PNG.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  if (!canvas) return;
  var field = document.getElementById("id_drawn_signature");
  var clear = document.getElementById("signature-clear");
  var pen = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;

  function blank() {
    pen.fillStyle = "#ffffff";
    pen.fillRect(0, 0, canvas.width, canvas.height);
    pen.strokeStyle = "#1a2a5a";
    pen.lineWidth = 2.5;
    pen.lineCap = "round";
    pen.lineJoin = "round";
    drawn = false;
    field.value = "";
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * canvas.width) / box.width,
      y: ((event.clientY - box.top) * canvas.height) / box.height,
    };
  }

  canvas.addEventListener("pointerdown", function (event) {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    var p = point(event);
    pen.beginPath();
    pen.moveTo(p.x, p.y);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    var p = point(event);
    pen.lineTo(p.x, p.y);
    pen.stroke();
    drawn = true;
    event.preventDefault();
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
    canvas.addEventListener(name, function () {
      drawing = false;
    });
  });
  clear.addEventListener("click", blank);
  canvas.closest("form").addEventListener("submit", function () {
    if (drawn) field.value = canvas.toDataURL("image/png");
  });
  blank();
})();
