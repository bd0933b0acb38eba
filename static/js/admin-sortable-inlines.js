// Drag-and-drop ordering for the admin's inline rows (criteria, rounds, questions, tasks).
//
// SortableJS (vendored in static/vendor/) moves the rows; this script then writes each row's new
// position into its "order" field, so the server saves exactly what the form shows and nothing
// changes until the recruiter presses Save. The order fields stay visible and editable: dragging
// is a shortcut, not the only way (keyboard users type the numbers, and without JavaScript the
// fields work as before).
(function () {
  "use strict";

  function orderInput(row) {
    return row.querySelector('input[name$="-order"]');
  }

  // Rows a recruiter may have filled: saved rows, and added rows with any field typed in.
  function isInUse(row) {
    if (row.classList.contains("has_original")) return true;
    var fields = row.querySelectorAll("input[type=text], input[type=number], textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field === orderInput(row) || field.type === "hidden") continue;
      if (field.tagName === "SELECT" ? field.selectedIndex > 0 : field.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function renumber(container, selector) {
    var position = 0;
    container.querySelectorAll(selector).forEach(function (row) {
      var input = orderInput(row);
      if (!input || !isInUse(row)) return;
      position += 1;
      if (input.value !== String(position)) {
        input.value = String(position);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function makeSortable(group) {
    // Only a tabular inline's own table: stacked rows may hold child tables (admin-nested-rows.js).
    var tabular = group.dataset.inlineType === "tabular" ? group.querySelector("table tbody") : null;
    var container = tabular || group.querySelector("fieldset.module");
    if (!container || container.dataset.sortable === "on") return;
    var rows = tabular ? "tr.form-row" : "div.inline-related";
    if (!container.querySelector(rows + ' input[name$="-order"]')) return;
    container.dataset.sortable = "on";
    group.classList.add("sortable-inline");
    var hint = document.createElement("p");
    hint.className = "help sortable-inline__hint";
    hint.textContent = "Drag rows by their handle (⠿) to reorder them, or type the order numbers.";
    container.closest(".inline-group").prepend(hint);
    container.querySelectorAll(rows).forEach(function (row) {
      if (row.classList.contains("empty-form")) return;
      addHandle(row, tabular);
    });
    window.Sortable.create(container, {
      draggable: rows + ":not(.empty-form)",
      handle: ".sortable-inline__handle",
      animation: 150,
      onEnd: function () { renumber(container, rows); }
    });
  }

  function addHandle(row, tabular) {
    if (row.querySelector(".sortable-inline__handle")) return;
    var handle = document.createElement("span");
    handle.className = "sortable-inline__handle";
    handle.textContent = "⠿";
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    var cell = tabular ? row.querySelector("td.original, td") : row.querySelector("h3");
    if (cell) cell.prepend(handle);
  }

  function start() {
    if (!window.Sortable) return;
    document.querySelectorAll(".inline-group").forEach(makeSortable);
  }

  // Rows added with "Add another" get a handle too (Django's inlines.js sends formset:added).
  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    addHandle(row, row.tagName === "TR");
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
