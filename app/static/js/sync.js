// Attendance taken without a signal, on every page of a trainer or coordinator: the queue on
// this device (js/queue.js) is sent when the signal returns, the service worker (/sw.js) is
// installed where the browser allows one (HTTPS or localhost), and signing out with marks not
// yet sent warns first and keeps them for this account. Without this file nothing is lost:
// the marking page then posts its form.
(function () {
  "use strict";
  var Q = window.AttendanceQueue;
  var bar = document.getElementById("sync-bar");
  var user = (document.querySelector("meta[name=user-id]") || {}).content;
  var tokenMeta = document.querySelector("meta[name=csrf-token]");
  if (!Q || !bar || !user || !tokenMeta) { return; }
  var token = tokenMeta.content;
  var worker = window.isSecureContext && "serviceWorker" in navigator;
  var sending = false;
  var last = null;  // the last sending's status
  var text = bar.dataset;

  function say(template, n) { return template.replace("{n}", n); }

  // The line at the bottom of the screen: what waits, and why it has not gone yet.
  function show(unsent) {
    var lines = [];
    if (unsent) {
      lines.push(say(text.unsent, unsent));
      if (!navigator.onLine || last === "offline") { lines.push(text.offline); }
      if (last === "signedout") { lines.push(text.signedout); }
      if (last === "error") { lines.push(text.error); }
      if (!worker) { lines.push(text.degraded); }
    }
    bar.hidden = !lines.length;
    bar.textContent = lines.join(" ");
    bar.classList.toggle("sync-bar-warn", !!unsent);
  }

  // Marks, not taps: a learner changed three times offline is one mark waiting.
  function marks(list) {
    var seen = {};
    list.forEach(function (r) { seen[r.op.session_id + ":" + r.op.cadre_id] = true; });
    return Object.keys(seen).length;
  }

  function refresh() {
    return Q.records(user, "unsent").then(function (list) { show(marks(list)); return list; });
  }

  function freshToken() {
    return fetch("/api/attendance/sync", {credentials: "same-origin", redirect: "manual"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && String(body.user_id) === String(user)) {
          token = body.csrf_token;
          return Q.setMeta("token:" + user, token).then(function () { return true; });
        }
        return false;
      }, function () { return false; });
  }

  function announce(results) {
    document.dispatchEvent(new CustomEvent("attendance-synced", {detail: results}));
  }

  function flush(again) {
    if (sending) { return Promise.resolve(); }
    sending = true;
    return Q.send(user, token).then(function (out) {
      sending = false;
      last = out.status;
      if (out.results.length) { announce(out.results); }
      if (out.status === "csrf" && !again) {
        return freshToken().then(function (ok) { return ok ? flush(true) : refresh(); });
      }
      if (out.status === "ok" && out.results.length && worker) {  // keep the page as it is now
        navigator.serviceWorker.ready.then(function (reg) {
          reg.active.postMessage({type: "cache-page", url: location.pathname});
        });
      }
      return refresh();
    }, function () { sending = false; });
  }

  document.addEventListener("attendance-queued", function () {
    refresh();
    flush();
    if (worker) {  // Background Sync, where the browser has it: sent even after the tab closes
      navigator.serviceWorker.ready.then(function (reg) {
        return reg.sync && reg.sync.register("attendance-ops");
      }).catch(function () {});
    }
  });
  window.addEventListener("online", function () { flush(); });
  window.addEventListener("offline", function () { refresh(); });
  setInterval(function () {
    Q.records(user, "unsent").then(function (list) {
      if (list.length && navigator.onLine) { flush(); } else { show(marks(list)); }
    });
  }, 2000);
  Q.setMeta("token:" + user, token);
  refresh().then(function (list) { if (list.length) { flush(); } });

  // The service worker: the marking pages of the running classes this trainer teaches and
  // the static files are kept, so a page reloaded without a signal still opens.
  if (worker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "page-cached" && event.data.url === location.pathname) {
        document.documentElement.setAttribute("data-offline-ready", "1");
      }
    });
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      reg.active.postMessage({type: "refresh-pages", user: user});
      if (document.querySelector("form[data-offline]")) {
        reg.active.postMessage({type: "cache-page", url: location.pathname});
      }
    }).catch(function () {});
  }

  // Signing out: marks not yet sent are said, and kept on this device for this account; the
  // pages kept for offline use (they carry names) are cleared.
  function clearPages() {
    if (!worker) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      navigator.serviceWorker.getRegistration().then(function (reg) {
        if (!reg || !reg.active) { resolve(); return; }
        var channel = new MessageChannel();
        channel.port1.onmessage = function () { resolve(); };
        reg.active.postMessage({type: "signed-out"}, [channel.port2]);
      }, resolve);
      setTimeout(resolve, 1500);
    });
  }

  function leave(form) {
    clearPages().then(function () { form.dataset.confirmed = "1"; form.submit(); });
  }

  document.querySelectorAll("form.account-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed) { return; }
      event.preventDefault();
      Q.records(user, "unsent").then(function (list) {
        if (!list.length) { leave(form); return; }
        var box = document.getElementById("signout-warning");
        if (box) { box.remove(); }
        box = document.createElement("div");
        box.id = "signout-warning";
        box.className = "alert alert-warning signout-warning";
        box.setAttribute("role", "alertdialog");
        var p = document.createElement("p");
        p.className = "mb-2";
        p.textContent = say(text.signout, marks(list)) + " " + text.kept;
        var go = document.createElement("button");
        go.type = "button";
        go.className = "btn btn-outline-danger tap me-2";
        go.textContent = text.leave;
        go.addEventListener("click", function () { leave(form); });
        var stay = document.createElement("button");
        stay.type = "button";
        stay.className = "btn btn-primary tap";
        stay.textContent = text.stay;
        stay.addEventListener("click", function () { box.remove(); flush(); });
        box.append(p, go, stay);
        document.querySelectorAll("details.menu[open]").forEach(function (menu) {
          menu.open = false;  // the phone's folded menu would cover the warning
        });
        document.getElementById("main").prepend(box);
        box.scrollIntoView();
        stay.focus();
      });
    });
  });
})();
