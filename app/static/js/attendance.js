// Attendance pages: faster with this file, never dependent on it (every page works without).
(function () {
  "use strict";
  var CODES = /^[cxmpv]$/i;

  // "All present": fill in place instead of reloading the page with ?all=... . On the marking
  // page every learner without a choice; on the key-back sheet the empty cells of one session.
  document.querySelectorAll("[data-all-present]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var session = link.getAttribute("data-all-present");
      if (session) {
        document.querySelectorAll("input.keyback-cell[data-session='" + session + "']")
          .forEach(function (cell) {
            if (!cell.disabled && !cell.value.trim()) { cell.value = "c"; }
          });
        return;
      }
      document.querySelectorAll(".mark-row").forEach(function (row) {
        if (!row.querySelector("input[type=radio]:checked")) {
          row.querySelector("input[data-present]").checked = true;
        }
      });
    });
  });

  // The key-back sheet is keyed a paper column at a time: Enter or the down arrow goes to the
  // next learner of the same session, the up arrow back; a code typed moves on by itself.
  function cellBelow(cell, step) {
    var td = cell.closest("td");
    var column = Array.prototype.indexOf.call(td.parentElement.children, td);
    var row = td.parentElement;
    do {
      row = step > 0 ? row.nextElementSibling : row.previousElementSibling;
      if (!row) { return null; }
      var next = row.children[column] && row.children[column].querySelector("input.keyback-cell");
      if (next && !next.disabled) { return next; }
    } while (row);
    return null;
  }

  function go(cell, step) {
    var next = cellBelow(cell, step);
    if (next) { next.focus(); next.select(); }
  }

  document.querySelectorAll("input.keyback-cell").forEach(function (cell) {
    cell.addEventListener("focus", function () { cell.select(); });
    cell.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();
        go(cell, 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        go(cell, -1);
      }
    });
    cell.addEventListener("input", function () {
      if (CODES.test(cell.value)) { go(cell, 1); }
    });
  });
})();
