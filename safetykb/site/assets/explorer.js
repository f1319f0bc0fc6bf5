/* safetykb explorer: every paper in one sortable, filterable table.
 * Filters live in the URL query string (?model=vlm&model=dm&attack=jailbreak&q=...): each filter takes several
 * values (a paper matches one of them), filters combine with AND; a view can be shared and survives a reload.
 * Every value from a record is inserted with textContent; only http(s) URLs become links.
 * Vanilla JavaScript, no library, nothing loaded from another host. */
(function () {
  "use strict";
  var root = document.getElementById("kb-explorer");
  if (!root) return;
  var PAGE = 100;
  var FILTERS = ["model", "attack", "defense", "contribution", "year", "venue"];
  var base = ".";
  try { base = JSON.parse(document.getElementById("__config").textContent).base || "."; } catch (e) { /* default */ }
  var state = { q: "", sort: "date", dir: "desc", shown: PAGE };
  var data = null, controls = {}, tbody = null, counter = null, more = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function isHttp(url) { return typeof url === "string" && /^https?:\/\//i.test(url); }
  function pageOf(id) { return base + "/" + root.getAttribute("data-paper").replace("{id}", encodeURIComponent(id)); }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    FILTERS.forEach(function (f) {
      state[f] = [];
      params.getAll(f).forEach(function (v) { if (v && state[f].indexOf(v) < 0) state[f].push(v); });
    });
    state.q = params.get("q") || "";
    state.sort = params.get("sort") || "date";
    state.dir = params.get("dir") === "asc" ? "asc" : "desc";
  }
  function writeUrl() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (f) { state[f].forEach(function (v) { params.append(f, v); }); });
    if (state.q) params.set("q", state.q);
    if (state.sort !== "date" || state.dir !== "desc") { params.set("sort", state.sort); params.set("dir", state.dir); }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  /* A multi-value filter styled like Material: a button that opens a panel of checkboxes. */
  function multi(name, label, options) {
    var wrap = el("details", "kb-multi");
    wrap.setAttribute("data-filter", name);
    var summary = el("summary", "kb-multi__summary");
    var title = el("span", "kb-multi__label", label);
    var picked = el("span", "kb-multi__value");
    summary.appendChild(title);
    summary.appendChild(picked);
    wrap.appendChild(summary);
    var panel = el("fieldset", "kb-multi__panel");
    panel.appendChild(el("legend", "kb-multi__legend", label));
    var known = options.map(function (o) { return o[0]; });
    state[name].forEach(function (v) { if (known.indexOf(v) < 0) options.push([v, v, 0]); });
    var boxes = [];
    options.forEach(function (o) {
      var row = el("label", "kb-multi__option");
      row.style.paddingLeft = (0.4 + 0.8 * (o[2] || 0)) + "em";
      var box = el("input");
      box.type = "checkbox";
      box.name = name;
      box.value = o[0];
      box.checked = state[name].indexOf(o[0]) >= 0;
      box.addEventListener("change", function () {
        state[name] = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
        state.shown = PAGE;
        update();
      });
      boxes.push(box);
      row.appendChild(box);
      row.appendChild(el("span", null, o[1]));
      panel.appendChild(row);
    });
    var clear = el("button", "kb-multi__clear", "Clear");
    clear.type = "button";
    clear.addEventListener("click", function () { state[name] = []; state.shown = PAGE; update(); });
    panel.appendChild(clear);
    wrap.appendChild(panel);
    wrap.addEventListener("toggle", function () {
      if (!wrap.open) return;
      root.querySelectorAll("details.kb-multi[open]").forEach(function (d) { if (d !== wrap) d.open = false; });
      wrap.classList.remove("kb-multi--flip");  /* a panel that would leave the screen opens to the left */
      if (panel.getBoundingClientRect().right > document.documentElement.clientWidth) wrap.classList.add("kb-multi--flip");
    });
    controls[name] = {
      sync: function () {
        boxes.forEach(function (b) { b.checked = state[name].indexOf(b.value) >= 0; });
        var n = state[name].length;
        picked.textContent = n === 0 ? "any" : n === 1 ? (options.filter(function (o) { return o[0] === state[name][0]; })[0] || [0, state[name][0]])[1].trim() : n + " selected";
        wrap.classList.toggle("kb-multi--on", n > 0);
      }
    };
    return wrap;
  }
  function treeOptions(kind) {
    return data.trees[kind].map(function (pair) { return [pair[0], data.names[pair[0]] || pair[0], pair[1]]; });
  }
  function distinct(key) {
    var seen = {};
    data.papers.forEach(function (p) { [].concat(p[key]).forEach(function (v) { if (v !== "") seen[v] = true; }); });
    return Object.keys(seen);
  }

  function any(wanted, have) {
    if (!wanted.length) return true;
    for (var i = 0; i < wanted.length; i++) if (have.indexOf(wanted[i]) >= 0) return true;
    return false;
  }
  function matches(p) {
    if (!any(state.model, p.M) || !any(state.attack, p.A) || !any(state.defense, p.D)) return false;
    if (!any(state.contribution, p.c) || !any(state.year, [String(p.y)]) || !any(state.venue, [p.v])) return false;
    if (state.q) {
      var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
      var hay = p._hay || (p._hay = [p.t, p.a.join(" "), p.v, p.me, p.id].join(" ").toLowerCase());
      for (var i = 0; i < words.length; i++) if (hay.indexOf(words[i]) < 0) return false;
    }
    return true;
  }
  var KEYS = {
    date: function (p) { return p.d; }, title: function (p) { return p.t.toLowerCase(); },
    authors: function (p) { return (p.a[0] || "").toLowerCase(); }, venue: function (p) { return p.v.toLowerCase(); }
  };

  function chip(id, cls) {
    var a = el("span", "kb-chip " + cls, data.names[id] || id);
    return a;
  }
  function row(p) {
    var tr = el("tr");
    var title = el("th", "kb-col-title");
    title.scope = "row";
    var link = el("a", null, p.t);
    link.href = pageOf(p.id);
    title.appendChild(link);
    if (p.me) title.appendChild(el("span", "kb-method", p.me));
    var tools = el("span", "kb-tools");
    if (isHttp(p.u)) { var pl = el("a", "kb-link", "paper"); pl.href = p.u; pl.rel = "noopener"; tools.appendChild(pl); }
    if (isHttp(p.co)) { var cl = el("a", "kb-link", "code"); cl.href = p.co; cl.rel = "noopener"; tools.appendChild(cl); }
    title.appendChild(tools);
    tr.appendChild(title);
    tr.appendChild(el("td", "kb-col-date", p.d));
    var authors = p.a.slice(0, 3).join(", ") + (p.a.length > 3 || p.ac === false ? " et al." : "");
    tr.appendChild(el("td", "kb-col-authors", authors));
    tr.appendChild(el("td", "kb-col-venue", p.v));
    var tags = el("td", "kb-col-tags");
    p.m.forEach(function (id) { tags.appendChild(chip(id, "kb-model")); });
    p.th.forEach(function (id) { tags.appendChild(chip(id, "kb-attack")); });
    p.df.forEach(function (id) { tags.appendChild(chip(id, "kb-defense")); });
    tr.appendChild(tags);
    tr.appendChild(el("td", "kb-col-contrib", p.c.join(", ")));
    return tr;
  }

  function update() {
    writeUrl();
    var rows = data.papers.filter(matches);
    var key = KEYS[state.sort] || KEYS.date, sign = state.dir === "asc" ? 1 : -1;
    rows.sort(function (a, b) { var x = key(a), y = key(b); return x < y ? -sign : x > y ? sign : 0; });
    tbody.textContent = "";
    var frag = document.createDocumentFragment();
    rows.slice(0, state.shown).forEach(function (p) { frag.appendChild(row(p)); });
    tbody.appendChild(frag);
    counter.textContent = rows.length + " of " + data.papers.length + " papers";
    more.style.display = rows.length > state.shown ? "" : "none";
    more.textContent = "Show " + Math.min(PAGE, rows.length - state.shown) + " more";
    root.querySelectorAll("th[data-sort]").forEach(function (th) {
      var on = th.getAttribute("data-sort") === state.sort;
      th.setAttribute("aria-sort", on ? (state.dir === "asc" ? "ascending" : "descending") : "none");
    });
    FILTERS.forEach(function (f) { controls[f].sync(); });
  }

  function build() {
    var bar = el("div", "kb-filters");
    bar.appendChild(multi("model", "Model family", treeOptions("model")));
    bar.appendChild(multi("attack", "Attack type", treeOptions("attack")));
    bar.appendChild(multi("defense", "Defense type", treeOptions("defense")));
    bar.appendChild(multi("contribution", "Contribution", distinct("c").sort().map(function (c) { return [c, c]; })));
    bar.appendChild(multi("year", "Year", distinct("y").map(String).sort().reverse().map(function (y) { return [y, y]; })));
    bar.appendChild(multi("venue", "Venue", distinct("v").sort(function (a, b) {
      return a.toLowerCase() < b.toLowerCase() ? -1 : 1; }).map(function (v) { return [v, v]; })));
    var search = el("label", "kb-filter kb-search");
    search.appendChild(el("span", null, "Text"));
    var input = el("input");
    input.type = "search"; input.name = "q"; input.placeholder = "title, author, method, venue…"; input.value = state.q;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = input.value.trim(); state.shown = PAGE; update(); }, 150);
    });
    search.appendChild(input);
    bar.appendChild(search);
    var reset = el("button", "md-button kb-reset", "Reset");
    reset.type = "button";
    reset.addEventListener("click", function () {
      FILTERS.forEach(function (f) { state[f] = []; });
      state.q = ""; input.value = ""; state.sort = "date"; state.dir = "desc"; state.shown = PAGE; update();
    });
    bar.appendChild(reset);
    root.appendChild(bar);
    counter = el("p", "kb-counter");
    root.appendChild(counter);
    var wrap = el("div", "kb-scroll");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Papers");
    wrap.tabIndex = 0;
    var table = el("table", "kb-table kb-explorer-table");
    var head = el("tr");
    [["title", "Title"], ["date", "Date"], ["authors", "Authors"], ["venue", "Venue"], [null, "Tags"],
     [null, "Contribution"]].forEach(function (c) {
      var th = el("th", null, c[1]);
      th.scope = "col";
      if (c[0]) {
        th.setAttribute("data-sort", c[0]);
        th.tabIndex = 0;
        var go = function () {
          if (state.sort === c[0]) state.dir = state.dir === "asc" ? "desc" : "asc";
          else { state.sort = c[0]; state.dir = c[0] === "date" ? "desc" : "asc"; }
          update();
        };
        th.addEventListener("click", go);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
      }
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    tbody = el("tbody");
    table.appendChild(tbody);
    wrap.appendChild(table);
    root.appendChild(wrap);
    more = el("button", "md-button kb-more");
    more.type = "button";
    more.addEventListener("click", function () { state.shown += PAGE; update(); });
    root.appendChild(more);
  }

  document.addEventListener("click", function (event) {
    root.querySelectorAll("details.kb-multi[open]").forEach(function (d) { if (!d.contains(event.target)) d.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    root.querySelectorAll("details.kb-multi[open]").forEach(function (d) { d.open = false; d.querySelector("summary").focus(); });
  });

  readUrl();
  fetch(base + "/" + root.getAttribute("data-src"))
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (json) { data = json; build(); update(); root.setAttribute("data-ready", "true"); })
    .catch(function (err) { root.appendChild(el("p", "kb-error", "Could not load the paper list: " + err.message)); });
})();
