// The lesson editor's preview, updated as the trainer types (progressive enhancement: the
// "Xem trước" button does the same on the server without this file). The server renders and
// sanitises the text (course_edit.preview_lesson) and says what it will drop.
(function () {
  "use strict";
  var form = document.querySelector("form.lesson-editor");
  var box = document.getElementById("lesson-preview");
  if (!form || !box || !window.fetch || !window.FormData) { return; }
  var body = form.querySelector("textarea[name=body]");
  var title = form.querySelector("input[name=title]");
  var token = form.querySelector("input[name=csrf_token]");
  var view = box.querySelector(".preview-body");
  var warnings = box.querySelector(".preview-warnings");
  var timer = null;
  var asked = 0;

  function alert(text, kind) {
    var div = document.createElement("div");
    div.className = "alert alert-" + kind;
    div.setAttribute("role", "status");
    div.textContent = text;
    return div;
  }

  function show(data) {
    warnings.textContent = "";
    (data.warnings || []).forEach(function (w) { warnings.appendChild(alert(w, "warning")); });
    if (data.error) { warnings.appendChild(alert(data.error, "danger")); }
    var heading = document.createElement("h1");
    heading.className = "h3 preview-title";
    heading.textContent = title ? title.value : "";
    // the HTML comes sanitised from the server (the same allow-list as the lesson page)
    view.innerHTML = data.html || "";
    view.insertBefore(heading, view.firstChild);
  }

  function update() {
    var mine = ++asked;
    var data = new FormData();
    data.append("csrf_token", token ? token.value : "");
    data.append("title", title ? title.value : "");
    data.append("body", body.value);
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) { return response.json(); })
      .then(function (result) { if (mine === asked) { show(result); } })
      .catch(function () { /* offline: the button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  }

  body.addEventListener("input", later);
  if (title) { title.addEventListener("input", later); }
  if (body.value) { update(); }
})();
