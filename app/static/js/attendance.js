// Attendance pages: faster with this file, never dependent on it (every page works without).
(function () {
  "use strict";
  var CODES = /^[cxmpv]$/i;

  var offline = null;  // the marking page's own queue (below), where this browser has one

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
      var filled = [];
      document.querySelectorAll(".mark-row").forEach(function (row) {
        if (!row.querySelector("input[type=radio]:checked")) {
          row.querySelector("input[data-present]").checked = true;
          filled.push(row);
        }
      });
      if (offline) { offline.take(filled); }
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

  // The marking page, with or without a signal: each tap is an operation saved on this phone
  // at once (js/queue.js), shown "chưa gửi" until the server confirms it, and sent by
  // js/sync.js when the signal allows. Without IndexedDB the form is posted as before.
  var form = document.querySelector("form[data-offline]");
  var Q = window.AttendanceQueue;
  var user = (document.querySelector("meta[name=user-id]") || {}).content;
  if (!form || !Q || !user) { return; }
  var sessionId = Number(form.getAttribute("data-session"));
  var words = form.dataset;
  var rows = {};
  form.querySelectorAll(".mark-row").forEach(function (row) {
    rows[row.getAttribute("data-cadre")] = row;
  });

  function badge(row, text, colour) {
    var tag = row.querySelector(".sync-state");
    if (!tag) {
      tag = document.createElement("span");
      tag.className = "sync-state badge ms-1";
      row.querySelector("legend").appendChild(tag);
    }
    tag.className = "sync-state badge ms-1 text-bg-" + colour;
    tag.textContent = text;
    row.setAttribute("data-state", colour === "warning" ? "unsent" : colour);
  }

  function show(row, status, note) {
    var input = row.querySelector("input[type=radio][value='" + status + "']");
    if (input) { input.checked = true; }
    if (note !== null && note !== undefined) { row.querySelector("input[id^='n-']").value = note; }
  }

  function operation(row) {
    var chosen = row.querySelector("input[type=radio]:checked");
    if (!chosen) { return null; }
    var op = {op_id: Q.newId(), session_id: sessionId,
              cadre_id: Number(row.getAttribute("data-cadre")), status: chosen.value,
              note: row.querySelector("input[id^='n-']").value,
              taken_at: new Date().toISOString(),
              base_op_id: row.getAttribute("data-op") || null};
    row.setAttribute("data-op", op.op_id);  // the next change was made having seen this one
    badge(row, words.tUnsent, "warning");
    return op;
  }

  function take(list) {
    var made = list.map(operation).filter(Boolean);
    if (!made.length) { return; }
    Q.add(user, made).then(function () {
      made.forEach(function (op) { Q.forget(user, op.session_id, op.cadre_id); });
      document.dispatchEvent(new CustomEvent("attendance-queued"));
    });
  }
  offline = {take: take};

  form.addEventListener("change", function (event) {
    var row = event.target.closest(".mark-row");
    if (row) { take([row]); }
  });
  form.addEventListener("submit", function (event) {  // the marks are saved already: send now
    event.preventDefault();
    document.dispatchEvent(new CustomEvent("attendance-queued"));
  });

  // What waits on this phone is shown over the page as the server last sent it (a page kept
  // for offline use may be older than the marks taken since).
  Q.records(user).then(function (list) {
    list.forEach(function (rec) {
      var row = rec.op.session_id === sessionId && rows[String(rec.op.cadre_id)];
      if (!row) { return; }
      show(row, rec.op.status, rec.op.note);
      row.setAttribute("data-op", rec.op.op_id);
      if (rec.state === "rejected") {
        badge(row, words.tRejected + ": " + rec.reason, "danger");
      } else {
        badge(row, words.tUnsent, "warning");
      }
    });
  });

  document.addEventListener("attendance-synced", function (event) {
    event.detail.forEach(function (result) {
      var row = null;
      Object.keys(rows).forEach(function (cadre) {
        if (rows[cadre].getAttribute("data-op") === result.op_id) { row = rows[cadre]; }
      });
      if (!row) { return; }
      if (result.result === "rejected") {
        badge(row, words.tRejected + ": " + result.reason, "danger");
      } else if (result.result === "pending") {
        badge(row, words.tPending, "secondary");
      } else if (result.result === "superseded" && result.mark) {
        show(row, result.mark.status, result.mark.note);
        row.setAttribute("data-op", result.mark.op_id || "");
        badge(row, words.tNewer + (result.mark.by ? " (" + result.mark.by + ")" : ""), "info");
      } else {
        badge(row, words.tSaved, "success");
      }
    });
  });
})();
