// Child rows inside an inline row on the guide page: a study block's tasks, a round's questions
// (rounds/admin_nested.py, templates/admin/edit_inline/nested_rows.html).
//
// Without this script the blank rows the server sends are enough to add a few rows per save. With
// it, "Add another" copies the hidden template row (numbering its fields like Django's own
// inlines.js does) and rows can be dragged by their handle (SortableJS, vendored), which only
// rewrites the order fields: the server still saves exactly what the form shows.
(function () {
  "use strict";

  var ROWS = "tr.nested-rows__row";

  function orderInput(row) {
    return row.querySelector('input[name$="-order"]');
  }

  function isInUse(row) {
    if (row.classList.contains("nested-rows__row--saved")) return true;
    var fields = row.querySelectorAll("textarea, input[type=text]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() !== "") return true;
    }
    return false;
  }

  function renumber(tbody) {
    var position = 0;
    tbody.querySelectorAll(ROWS).forEach(function (row) {
      var input = orderInput(row);
      if (!input || !isInUse(row)) return;
      position += 1;
      input.value = String(position);
    });
  }

  function addHandle(row) {
    var cell = row.querySelector("td");
    if (!cell || row.querySelector(".nested-rows__handle")) return;
    var handle = document.createElement("span");
    handle.className = "nested-rows__handle";
    handle.textContent = "⠿";
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    cell.prepend(handle);
  }

  function init(group) {
    // The template of a whole new parent row is copied by Django's inlines.js; its child rows
    // come to life once the copy is on the page (see formset:added below).
    if (group.dataset.nestedRows === "on" || group.closest(".empty-form")) return;
    group.dataset.nestedRows = "on";
    var button = group.querySelector(".nested-rows__add");
    if (button) button.hidden = false;
    var tbody = group.querySelector("tbody");
    if (!window.Sortable || !tbody) return;
    tbody.querySelectorAll(ROWS).forEach(addHandle);
    window.Sortable.create(tbody, {
      draggable: ROWS,
      handle: ".nested-rows__handle",
      animation: 150,
      onEnd: function () { renumber(tbody); }
    });
  }

  function addRow(group) {
    var total = group.querySelector('input[name$="-TOTAL_FORMS"]');
    var template = group.querySelector("tr.nested-rows__template");
    if (!total || !template) return;
    var prefix = total.name.slice(0, -"-TOTAL_FORMS".length);
    var index = parseInt(total.value, 10);
    var row = template.cloneNode(true);
    row.hidden = false;
    row.classList.replace("nested-rows__template", "nested-rows__row");
    var placeholder = prefix + "-__prefix__";
    [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (el) {
      ["id", "name", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && value.indexOf(placeholder) !== -1) {
          el.setAttribute(attr, value.replace(placeholder, prefix + "-" + index));
        }
      });
    });
    template.parentNode.insertBefore(row, template);
    total.value = String(index + 1);
    if (window.Sortable) addHandle(row);
    var first = row.querySelector("textarea, input:not([type=hidden]), select");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".nested-rows__add");
    if (!button) return;
    event.preventDefault();
    addRow(button.closest(".nested-rows"));
  });

  // A parent row added with Django's "Add another" brings its own child rows.
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll(".nested-rows").forEach(init);
  });

  function start() {
    document.querySelectorAll(".nested-rows").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
