// On a question's admin page, picking another guide refreshes the Round and Region menus to that
// guide's (questions/admin.py, guide_choices_view). The server still checks: without this script
// a round or region of another guide is refused with a message naming the guide it belongs to.
(function () {
  "use strict";

  function setOptions(select, items) {
    if (!select || !items) return;
    var current = select.value;
    while (select.options.length > 1) select.remove(1); // keep the empty choice
    items.forEach(function (item) { select.add(new Option(item[1], item[0])); });
    var kept = items.some(function (item) { return String(item[0]) === current; });
    select.value = kept ? current : "";
  }

  function refresh() {
    var guide = document.getElementById("id_guide");
    var base = window.location.pathname.split("/questions/question/")[0];
    var url = base + "/questions/question/guide-choices/?guide=" + encodeURIComponent(guide.value);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        setOptions(document.getElementById("id_round"), data.round);
        setOptions(document.getElementById("id_region"), data.region);
      });
  }

  function start() {
    var guide = document.getElementById("id_guide");
    if (!guide) return;
    // The guide menu is an autocomplete (select2), which announces changes through jQuery.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(guide).on("change", refresh);
    } else {
      guide.addEventListener("change", refresh);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
