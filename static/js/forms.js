/* Error summaries (WCAG 3.3.1, 2.4.3). After a refused form the page opens with focus on
   the summary, so a screen reader reads what needs fixing first. Each link in it moves
   focus to its field; for a group of radio buttons or check boxes (whose link points at
   the group) focus goes to the chosen button, or the first. */
(function () {
  "use strict";

  function fieldFor(id) {
    var target = document.getElementById(id);
    if (!target) { return null; }
    if (target.matches("input, select, textarea")) { return target; }
    return target.querySelector("input:checked") || target.querySelector("input, select, textarea");
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = fieldFor(decodeURIComponent(link.hash.slice(1)));
        if (!field) { return; }
        event.preventDefault();
        var group = field.closest("fieldset") || field.closest("[id^='div_']") || field;
        group.scrollIntoView({ block: "start" });
        field.focus({ preventScroll: true });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
