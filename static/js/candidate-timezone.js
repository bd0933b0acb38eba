// Preselect the browser's time zone on sign-up; without JavaScript the candidate picks it.
(function () {
  var select = document.querySelector("select[name=time_zone][data-guess], form select[name=time_zone]");
  if (!select || select.dataset.touched || select.value !== "UTC") return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
  } catch (e) { /* an old browser: keep UTC */ }
})();
