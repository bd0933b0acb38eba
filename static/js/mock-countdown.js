// Ticks the mock's countdown and warns at one minute. Without this script the page shows the
// deadline as a time of day, and the server measures the time taken either way: the script only
// displays it. At zero it saves the answer, so running out of time never loses what was written.
(function () {
  "use strict";
  var clock = document.getElementById("countdown");
  var alertBox = document.getElementById("countdown-alert");
  var form = document.getElementById("mock-answer");
  if (!clock || !form) { return; }
  var remaining = parseInt(clock.getAttribute("data-remaining"), 10);
  if (isNaN(remaining)) { return; }
  var end = Date.now() + remaining * 1000;
  var warned = remaining <= 60;
  var submitted = false;

  function show(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    clock.textContent = "Time left: " + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var seconds = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    show(seconds);
    if (seconds <= 60 && !warned) {
      warned = true;
      clock.classList.add("countdown--warning");
      alertBox.textContent = "One minute left.";
    }
    if (seconds === 0 && !submitted) {
      submitted = true;
      alertBox.textContent = "Time is up: saving your notes.";
      // Saved by the clock, not by the candidate: the next question waits for "Start question".
      var timeUp = form.querySelector('input[name="time_up"]');
      if (timeUp) { timeUp.value = "1"; }
      form.requestSubmit ? form.requestSubmit() : form.submit();
      return;
    }
    window.setTimeout(tick, 250);
  }

  form.addEventListener("submit", function () { submitted = true; });
  if (remaining > 0) { tick(); }
})();
