/* safetykb search: Pagefind behind the header's search dialog and the home page's search box.
 *
 * Pagefind's index (<site>/pagefind/, written after every build) is chunked: nothing is loaded until a reader
 * focuses a search box; then pagefind.js, its WebAssembly and the few index chunks the typed words need; then
 * one small fragment per result shown. Results are inserted as text: a title, a kind, and Pagefind's excerpt
 * reduced to text and <mark>. A form submitted without JavaScript (or before the index answers) opens the
 * explorer filtered to the words. Vanilla JavaScript, nothing from another host.
 */
(function () {
  "use strict";
  var config = {};
  try { config = JSON.parse(document.getElementById("__config").textContent); } catch (e) { /* defaults */ }
  var siteRoot = new URL((config.base || ".") + "/", window.location.href);
  var BUNDLE = new URL("pagefind/pagefind.js", siteRoot).href;
  var PAGE = 10;
  /* The `section` filter of every page (safetykb/site/search_marks.py): the tabs above the results. */
  var SECTIONS = [["", "All"], ["Taxonomy", "Taxonomy"], ["Papers", "Papers"],
                  ["Benchmarks and datasets", "Benchmarks & datasets"], ["Site pages", "Pages"]];
  /* Filters offered under "Filters" (loaded from the index the first time the panel opens). */
  var FILTERS = [["family", "Model family"], ["attack", "Attack type"], ["defense", "Defense type"],
                 ["year", "Year"], ["venue", "Venue"]];
  var loading = null;

  function pagefind() {
    if (!loading) {
      loading = import(BUNDLE).then(function (pf) {
        // Names and aliases of taxonomy pages, and method names of papers, count more than other words.
        return pf.options({ excerptLength: 22, ranking: { metaWeights: { title: 6, aliases: 4, method: 4 } } })
          .then(function () { return pf; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* Pagefind's excerpt is HTML (entities escaped, <mark> around hits); keep only its text and the marks. */
  function excerpt(html, into) {
    var holder = document.createElement("template");
    holder.innerHTML = html || "";
    holder.content.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.tagName === "MARK") into.appendChild(el("mark", null, node.textContent));
      else into.appendChild(document.createTextNode(node.textContent));
    });
  }

  function href(url) {
    return new URL(String(url).replace(/^\/+/, ""), siteRoot).href;
  }

  function Search(form) {
    this.form = form;
    this.input = form.querySelector("input[type=search]");
    this.section = "";
    this.filters = {};
    this.token = 0;
    this.results = [];
    this.shown = 0;
    this.timer = null;
    this.build();
  }

  Search.prototype.build = function () {
    var self = this;
    var panel = this.panel = el("div", "kb-search__panel");
    panel.hidden = true;
    var tabs = this.tabs = el("div", "kb-search__tabs");
    tabs.setAttribute("role", "group");
    tabs.setAttribute("aria-label", "Show");
    SECTIONS.forEach(function (pair) {
      var button = el("button", "kb-search__tab", pair[1]);
      button.type = "button";
      button.setAttribute("data-section", pair[0]);
      button.setAttribute("aria-pressed", pair[0] === "" ? "true" : "false");
      button.addEventListener("click", function () {
        self.section = pair[0];
        tabs.querySelectorAll("button").forEach(function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        self.run();
      });
      tabs.appendChild(button);
    });
    var more = el("details", "kb-search__filters");
    more.appendChild(el("summary", null, "Filters"));
    var boxes = el("div", "kb-search__filter-boxes");
    more.appendChild(boxes);
    more.addEventListener("toggle", function () { if (more.open && !boxes.firstChild) self.loadFilters(boxes); });
    tabs.appendChild(more);
    this.status = el("p", "kb-search__status");
    this.status.setAttribute("role", "status");
    this.list = el("ol", "kb-search__results");
    this.more = el("button", "md-button kb-search__more", "More results");
    this.more.type = "button";
    this.more.hidden = true;
    this.more.addEventListener("click", function () { self.page(); });
    panel.appendChild(tabs);
    panel.appendChild(this.status);
    panel.appendChild(this.list);
    panel.appendChild(this.more);
    this.form.appendChild(panel);

    this.input.addEventListener("focus", function () { pagefind().then(function (pf) { pf.init(); }, function () {}); });
    this.input.addEventListener("input", function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.run(); }, 120);
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var first = self.list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    this.list.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(self.list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (at < 0) return;
      event.preventDefault();
      if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
      else if (event.key === "ArrowUp") (at > 0 ? links[at - 1] : self.input).focus();
    });
    this.form.addEventListener("submit", function (event) {
      var first = self.list.querySelector("a");
      if (first && self.input.value.trim()) { event.preventDefault(); window.location.href = first.href; }
    });
  };

  Search.prototype.loadFilters = function (boxes) {
    var self = this;
    pagefind().then(function (pf) { return pf.filters(); }).then(function (available) {
      FILTERS.forEach(function (pair) {
        var values = Object.keys(available[pair[0]] || {});
        if (!values.length) return;
        values.sort(function (a, b) { return pair[0] === "year" ? (a < b ? 1 : -1) : a.localeCompare(b); });
        var label = el("label", "kb-filter");
        label.appendChild(el("span", null, pair[1]));
        var box = el("select");
        box.name = pair[0];
        box.appendChild(new Option("any", ""));
        values.forEach(function (v) { box.appendChild(new Option(v + " (" + available[pair[0]][v] + ")", v)); });
        box.addEventListener("change", function () {
          if (box.value) self.filters[pair[0]] = box.value; else delete self.filters[pair[0]];
          self.run();
        });
        label.appendChild(box);
        boxes.appendChild(label);
      });
    }, function () { boxes.appendChild(el("p", "kb-search__error", "The filters could not be loaded.")); });
  };

  Search.prototype.run = function () {
    var self = this;
    var term = this.input.value.trim();
    var token = ++this.token;
    var active = Object.keys(this.filters).length > 0;
    if (!term && !active) {
      this.panel.hidden = true;
      this.list.textContent = "";
      this.status.textContent = "";
      this.more.hidden = true;
      return;
    }
    this.panel.hidden = false;
    var filters = {};
    Object.keys(this.filters).forEach(function (k) { filters[k] = self.filters[k]; });
    if (this.section) filters.section = this.section;
    pagefind().then(function (pf) { return pf.search(term || null, { filters: filters }); }).then(function (found) {
      if (token !== self.token || !found) return;
      self.results = found.results;
      self.shown = 0;
      self.list.textContent = "";
      var n = found.results.length;
      self.status.textContent = n === 0 ? "No results for \u201c" + term + "\u201d"
        : n + (n === 1 ? " result" : " results") + (term ? " for \u201c" + term + "\u201d" : "");
      return self.page(token);
    }).catch(function (err) {
      if (token !== self.token) return;
      self.status.textContent = "Search is not available here (" + (err && err.message ? err.message : err) +
        "). Press Enter to look in the explorer.";
    });
  };

  /* A name as a reader types it: lower case, words without a plural "s", generic last words dropped
   * ("Backdoor attacks" -> "backdoor", "Vision-language models" -> "vision language"). */
  var GENERIC = { attack: 1, defense: 1, model: 1, benchmark: 1, dataset: 1 };
  function plain(text) {
    var words = String(text || "").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map(function (w) {
      return w.length > 3 && /s$/.test(w) && !/ss$/.test(w) ? w.slice(0, -1) : w;
    });
    while (words.length > 1 && GENERIC[words[words.length - 1]]) words.pop();
    return words.join(" ");
  }
  /* Pages whose own name is what was typed come first: the page's title, one of its aliases or the paper's
   * method; among those, taxonomy, benchmark and dataset pages before papers. The rest keep Pagefind's order. */
  function promote(items, term) {
    var wanted = plain(term);
    function rank(item) {
      var meta = item.meta || {};
      var names = [meta.title, meta.method].concat(String(meta.aliases || "").split(", "));
      var own = names.some(function (n) { return n && plain(n) === wanted; });
      return own ? (meta.kind === "Paper" ? 1 : 0) : 2;
    }
    return items.map(function (item, i) { return [rank(item), i, item]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (t) { return t[2]; });
  }

  Search.prototype.page = function (token) {
    var self = this;
    token = token || this.token;
    var first = this.shown === 0;
    var slice = this.results.slice(this.shown, this.shown + PAGE);
    this.shown += slice.length;
    this.more.hidden = this.shown >= this.results.length;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      if (token !== self.token) return;
      if (first) items = promote(items, self.input.value);
      items.forEach(function (item) { self.list.appendChild(self.item(item)); });
      self.list.setAttribute("data-query", self.input.value.trim());  /* what the list answers (tests wait on it) */
    });
  };

  Search.prototype.item = function (data) {
    var meta = data.meta || {};
    var li = el("li", "kb-search__item");
    var link = el("a");
    link.href = href(data.url);
    var kind = [meta.kind, meta.date].filter(Boolean).join(" \u00b7 ");
    if (kind) link.appendChild(el("span", "kb-search__kind", kind));
    link.appendChild(el("span", "kb-search__title", meta.title || data.url));
    var text = el("span", "kb-search__excerpt");
    excerpt(data.excerpt, text);
    link.appendChild(text);
    li.appendChild(link);
    return li;
  };

  var searches = [];
  document.querySelectorAll("form[data-kb-search]").forEach(function (form) { searches.push(new Search(form)); });

  /* The header's dialog: the magnifier, "/" or "s" opens it; Escape, the close button or a click outside closes. */
  var dialog = document.querySelector("[data-kb-search-dialog]");
  var opener = document.querySelector("[data-kb-search-open]");
  if (dialog && opener && typeof dialog.showModal === "function") {
    var input = dialog.querySelector("input[type=search]");
    var open = function () {
      if (!dialog.open) dialog.showModal();
      input.focus();
      input.select();
    };
    opener.addEventListener("click", open);
    dialog.querySelector("[data-kb-search-close]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () { opener.focus(); });
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (!typing && (event.key === "/" || event.key === "s")) { event.preventDefault(); open(); }
    });
  } else if (opener) {
    opener.hidden = true;
  }
})();
