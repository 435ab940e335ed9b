// The attendance operations waiting on this device, in IndexedDB (through the vendored
// idb-keyval), shared by the pages (js/sync.js, js/attendance.js) and the service worker
// (/sw.js). Each record: {op, user, state: "unsent" | "rejected", reason}. Only the signed-in
// account's own operations are ever sent; another account's wait for it on this device.
(function (root) {
  "use strict";
  var kv = root.idbKeyval;
  if (!kv || !root.indexedDB) { return; }
  var ops = kv.createStore("taphuan-attendance", "ops");
  var meta = kv.createStore("taphuan-attendance-meta", "meta");
  var LIMIT = 500;  // operations per request (the server refuses more)

  function newId() {  // 32 hex digits from the platform's random source (no randomUUID on http)
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  function records(user, state) {
    return kv.values(ops).then(function (all) {
      return all.filter(function (r) {
        return String(r.user) === String(user) && (!state || r.state === state);
      }).sort(function (a, b) { return a.op.taken_at < b.op.taken_at ? -1 : 1; });
    });
  }

  function add(user, list) {
    return kv.setMany(list.map(function (op) {
      return [op.op_id, {op: op, user: String(user), state: "unsent", reason: ""}];
    }), ops);
  }

  // The server's answers: applied, superseded, duplicate and pending leave the queue;
  // rejected ones stay, with the reason, until the trainer marks that learner again.
  function settle(results) {
    var done = [];
    var refused = [];
    results.forEach(function (r) {
      if (r.result === "rejected") { refused.push(r); } else if (r.op_id) { done.push(r.op_id); }
    });
    return kv.delMany(done, ops).then(function () {
      return Promise.all(refused.map(function (r) {
        return kv.update(r.op_id, function (rec) {
          if (rec) { rec.state = "rejected"; rec.reason = r.reason; }
          return rec;
        }, ops);
      }));
    });
  }

  // A newer mark of the same learner replaces a refused one in the list shown.
  function forget(user, sessionId, cadreId) {
    return records(user, "rejected").then(function (list) {
      return kv.delMany(list.filter(function (r) {
        return r.op.session_id === sessionId && r.op.cadre_id === cadreId;
      }).map(function (r) { return r.op.op_id; }), ops);
    });
  }

  function clientId() {
    return kv.get("client", meta).then(function (id) {
      if (id) { return id; }
      id = newId();
      return kv.set("client", id, meta).then(function () { return id; });
    });
  }

  // Send the account's unsent operations, LIMIT at a time. Resolves with {status, results}:
  // "ok"; or, the queue kept whole, "offline", "signedout" (401 or the login page), "csrf" (a
  // stale token: fetch a fresh one and send again), "error" (429, 5xx...).
  function send(user, token) {
    var answered = [];
    function round() {
      return records(user, "unsent").then(function (list) {
        if (!list.length) { return {status: "ok", results: answered}; }
        var batch = list.slice(0, LIMIT);
        return clientId().then(function (client) {
          return root.fetch("/api/attendance/ops", {
            method: "POST", credentials: "same-origin", redirect: "manual",
            headers: {"Content-Type": "application/json", "X-CSRFToken": token || ""},
            body: JSON.stringify({client_id: client, sent_at: new Date().toISOString(),
                                  ops: batch.map(function (r) { return r.op; })})
          });
        }).then(function (response) {
          if (response.type === "opaqueredirect" || response.status === 401) {
            return {status: "signedout", results: answered};
          }
          if (!response.ok) {
            return response.json().catch(function () { return {}; }).then(function (body) {
              return {status: body.error === "csrf" ? "csrf" : "error", code: response.status,
                      message: body.message || "", results: answered};
            });
          }
          return response.json().then(function (body) {
            answered = answered.concat(body.results);
            return settle(body.results).then(round);
          });
        }, function () { return {status: "offline", results: answered}; });
      });
    }
    return round();
  }

  root.AttendanceQueue = {
    newId: newId, add: add, records: records, send: send, forget: forget,
    getMeta: function (key) { return kv.get(key, meta); },
    setMeta: function (key, value) { return kv.set(key, value, meta); }
  };
})(typeof self !== "undefined" ? self : this);
