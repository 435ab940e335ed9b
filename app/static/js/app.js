// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // On wide screens, show the list filters open (on a phone they stay folded).
  if (window.matchMedia && window.matchMedia("(min-width: 768px)").matches) {
    document.querySelectorAll("details.more-filters").forEach(function (d) { d.open = true; });
  }
  // Submit a filter form as soon as a select changes.
  document.querySelectorAll("form.filters select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
})();
