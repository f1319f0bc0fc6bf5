/* safetykb leaderboards: a click (or Enter) on a column header sorts the tables inside div.kb-leaderboard,
 * with the vendored tablesort (tablesort.min.js, tablesort.number.min.js, MIT). The tables are generated
 * best first, so without JavaScript they still read in rank order. Nothing is loaded from another host. */
(function () {
  "use strict";
  if (typeof window.Tablesort !== "function") return;
  var tables = document.querySelectorAll(".kb-leaderboard > table");
  Array.prototype.forEach.call(tables, function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    table.setAttribute("data-sortable", "true");
    new window.Tablesort(table);
  });
})();
