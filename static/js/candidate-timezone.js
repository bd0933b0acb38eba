// Preselect the browser's time zone on sign-up, while the field still holds its default (UTC);
// without JavaScript the candidate picks it. The picker offers canonical names only, and some
// browsers report an older alias, so the common ones are mapped first.
(function () {
  var ALIASES = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Etc/UTC": "UTC",
    "Etc/GMT": "UTC",
    "GMT": "UTC"
  };
  var select = document.querySelector("select[data-guess-time-zone]");
  if (!select || select.value !== "UTC") return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    zone = ALIASES[zone] || zone;
    if (zone && select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]')) {
      select.value = zone;
    }
  } catch (e) { /* an old browser: keep UTC */ }
})();
