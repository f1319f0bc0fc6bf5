/* safetykb in-page filter: narrows the papers listed on a taxonomy page by year, venue, contribution and text.
 *
 * The page reads completely without it (groups are <details> that open by themselves); this script shows the
 * filter bar (hidden in the HTML), hides the entries that do not match, opens the groups that keep some and
 * hides the others, and keeps the choice in the address bar (?year=2024&q=clip) so a view can be shared.
 * Entries carry data-year, data-venue and data-contrib (safetykb/site/entries.py). Nothing is inserted as HTML.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-kb-narrow]");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".md-content ul.kb-entries > li"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".md-content details.kb-group"));
  var output = form.querySelector("output");
  var NAMES = ["year", "venue", "contrib", "q"];
  var initiallyOpen = groups.map(function (g) { return g.open; });
  var texts = items.map(function (li) { return li.textContent.toLowerCase(); });

  function values() {
    var out = {};
    NAMES.forEach(function (name) { out[name] = (form.elements[name].value || "").trim(); });
    return out;
  }

  function matches(li, i, v, words) {
    if (v.year && li.getAttribute("data-year") !== v.year) return false;
    if (v.venue && li.getAttribute("data-venue") !== v.venue) return false;
    if (v.contrib && (" " + li.getAttribute("data-contrib") + " ").indexOf(" " + v.contrib + " ") < 0) return false;
    for (var w = 0; w < words.length; w++) if (texts[i].indexOf(words[w]) < 0) return false;
    return true;
  }

  function apply(write) {
    var v = values();
    var active = NAMES.some(function (name) { return v[name]; });
    var words = v.q.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li, i) {
      var ok = !active || matches(li, i, v, words);
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    groups.forEach(function (group, i) {
      var visible = group.querySelectorAll("ul.kb-entries > li:not([hidden])").length;
      group.hidden = active && visible === 0;
      group.open = active ? visible > 0 : initiallyOpen[i];
    });
    output.textContent = active ? shown + " of " + items.length + " entries on this page match" : "";
    if (write) {
      var params = new URLSearchParams(window.location.search);
      NAMES.forEach(function (name) { if (v[name]) params.set(name, v[name]); else params.delete(name); });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") +
        window.location.hash);
    }
  }

  var params = new URLSearchParams(window.location.search);
  NAMES.forEach(function (name) {
    var value = params.get(name);
    var field = form.elements[name];
    if (value === null) return;
    if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === value; })) {
      field.appendChild(new Option(value, value));
    }
    field.value = value;
  });
  var timer = null;
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { apply(true); }, 120); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  form.hidden = false;
  apply(false);
})();
