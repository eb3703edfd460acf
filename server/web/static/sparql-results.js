// The query page's results: read from the endpoint's answer (SPARQL results JSON, or N-Triples for
// a graph), and shown as a table that pages, sorts by any column and filters by text. Sorting and
// filtering work on the whole answer in memory; only the visible page (100 rows) is in the DOM, so
// 10,000 rows stay responsive (bench/query_table.py measures it).
(function () {
  "use strict";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = {};
  ("integer decimal double float int long short byte nonNegativeInteger positiveInteger negativeInteger " +
   "nonPositiveInteger unsignedInt unsignedLong unsignedShort unsignedByte").split(" ").forEach(function (t) {
    NUMERIC[XSD + t] = true;
  });
  var DATE_TYPES = {};
  ["date", "dateTime", "gYear", "gYearMonth", "dateTimeStamp"].forEach(function (t) { DATE_TYPES[XSD + t] = true; });
  var DATE_TEXT = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?$/;

  function fromJson(answer) {
    if (typeof answer.boolean === "boolean") { return { kind: "boolean", boolean: answer.boolean, vars: [], rows: [] }; }
    var vars = answer.head.vars;
    var rows = answer.results.bindings.map(function (b) {
      return vars.map(function (v) {
        var t = b[v];
        if (!t) { return null; }
        return { type: t.type === "typed-literal" ? "literal" : t.type, value: t.value, lang: t["xml:lang"] || null,
                 datatype: t.datatype || null };
      });
    });
    return { kind: "table", vars: vars, rows: rows };
  }

  // N-Triples as Oxigraph writes it: one triple a line, terms in canonical form.
  var NT_TERM = '(<[^>]*>|_:\\S+|"(?:[^"\\\\]|\\\\.)*"(?:@[A-Za-z0-9-]+|\\^\\^<[^>]*>)?)';
  var NT_LINE = new RegExp("^" + NT_TERM + "\\s+" + NT_TERM + "\\s+" + NT_TERM + "\\s*\\.\\s*$");
  function ntTerm(text) {
    if (text.charAt(0) === "<") { return { type: "uri", value: text.slice(1, -1) }; }
    if (text.charAt(0) === "_") { return { type: "bnode", value: text.slice(2) }; }
    var end = text.lastIndexOf('"');
    var raw = text.slice(0, end + 1).replace(/\\U([0-9A-Fa-f]{8})/g, function (m, hex) {
      return JSON.stringify(String.fromCodePoint(parseInt(hex, 16))).slice(1, -1);
    });
    var rest = text.slice(end + 1);
    return { type: "literal", value: JSON.parse(raw), lang: rest.charAt(0) === "@" ? rest.slice(1) : null,
             datatype: rest.indexOf("^^") === 0 ? rest.slice(3, -1) : null };
  }
  function fromNTriples(text) {
    var rows = [];
    text.split("\n").forEach(function (line) {
      var m = NT_LINE.exec(line.trim());
      if (m) { rows.push([ntTerm(m[1]), ntTerm(m[2]), ntTerm(m[3])]); }
    });
    return { kind: "graph", vars: ["subject", "predicate", "object"], rows: rows };
  }

  function isNumber(term) { return !!term && term.type === "literal" && !!NUMERIC[term.datatype]; }
  // A date as a year with a fraction (2024.5 is about July 2024), or null.
  function yearOf(term) {
    if (!term || term.type !== "literal") { return null; }
    if (term.datatype && !DATE_TYPES[term.datatype] && term.datatype !== XSD + "string") { return null; }
    var m = DATE_TEXT.exec(term.value);
    if (!m) { return null; }
    var year = parseInt(m[1], 10), month = m[2] ? parseInt(m[2], 10) - 1 : 0, day = m[3] ? parseInt(m[3], 10) : 1;
    var start = Date.UTC(year, 0, 1), next = Date.UTC(year + 1, 0, 1);
    return year + (Date.UTC(year, month, day) - start) / (next - start);
  }

  // How IRIs show: a label where we have one, else a prefixed name; our own things by their path.
  function Names(prefixes, base) {
    var byLength = Object.keys(prefixes).map(function (p) { return [p, prefixes[p]]; })
      .sort(function (a, b) { return b[1].length - a[1].length; });
    this.labels = {};
    this.shortName = function (iri) {
      for (var i = 0; i < byLength.length; i += 1) {
        var ns = byLength[i][1];
        if (iri.indexOf(ns) === 0 && iri.length > ns.length) { return byLength[i][0] + ":" + iri.slice(ns.length); }
      }
      if (iri.indexOf(base + "id/") === 0) { return iri.slice(base.length + 3); }
      return iri;
    };
    this.browsePath = function (iri) {
      if (iri.indexOf(base) !== 0) { return iri; }
      var local = iri.slice(base.length);
      return local.indexOf("id/") === 0 ? "/page/" + local.slice(3) : "/" + local;
    };
    this.text = function (term) {
      if (!term) { return ""; }
      if (term.type === "uri") { return this.labels[term.value] || this.shortName(term.value); }
      if (term.type === "bnode") { return "_:" + term.value; }
      return term.value;
    };
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });
  var tableCount = 0;

  // options: ui (the page's words), names (Names), pageRows, wantLabels(iris) -> Promise of {iri: label}
  function Table(container, results, options) {
    var ui = options.ui, names = options.names, pageRows = options.pageRows || 100;
    var vars = results.vars, rows = results.rows;
    var order = rows.map(function (r, i) { return i; });  // row indices after sort and filter
    var sortColumn = -1, descending = false, filterText = "", page = 0, haystack = null;
    tableCount += 1;
    var id = "rows-" + tableCount;

    var tools = el("div", "result-tools");
    var filterLabel = el("label", null, ui.filter_rows);
    filterLabel.htmlFor = id + "-filter";
    var filter = el("input");
    filter.type = "search";
    filter.id = id + "-filter";
    filter.autocomplete = "off";
    var count = el("span", "row-count");
    count.setAttribute("aria-live", "polite");
    tools.append(filterLabel, filter, count);
    var box = el("div", "table-box");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", ui.results_caption);
    var table = el("table", "results");
    var caption = el("caption", "visually-hidden", ui.results_caption);
    var thead = el("thead"), headRow = el("tr"), tbody = el("tbody");
    var numericColumn = vars.map(function (v, c) {
      var seen = 0;
      for (var i = 0; i < rows.length && seen < 50; i += 1) {
        if (rows[i][c]) { seen += 1; if (!isNumber(rows[i][c])) { return false; } }
      }
      return seen > 0;
    });
    var headers = vars.map(function (v, c) {
      var th = el("th");
      th.scope = "col";
      if (numericColumn[c]) { th.className = "num"; }
      var button = el("button", "sort", v);
      button.type = "button";
      button.title = format(ui.sort_by, { column: v });
      button.addEventListener("click", function () { sortBy(c); });
      th.appendChild(button);
      headRow.appendChild(th);
      return th;
    });
    thead.appendChild(headRow);
    table.append(caption, thead, tbody);
    box.appendChild(table);
    var pager = el("nav", "pager");
    pager.setAttribute("aria-label", ui.results_caption);
    var prev = el("button", null, ui.previous), next = el("button", null, ui.next), where = el("span", "page-of");
    prev.type = next.type = "button";
    prev.addEventListener("click", function () { goTo(page - 1); });
    next.addEventListener("click", function () { goTo(page + 1); });
    pager.append(prev, where, next);
    container.append(tools, box, pager);

    var pending = null;
    filter.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { setFilter(filter.value); }, 120);
    });

    function sortKey(term) {
      if (!term) { return null; }
      if (isNumber(term)) { return parseFloat(term.value); }
      return names.text(term);
    }
    function compare(a, b) {
      if (a === null || b === null) { return a === b ? 0 : (a === null ? 1 : -1); }  // blanks last
      if (typeof a === "number" && typeof b === "number") { return a - b; }
      if (typeof a === "number") { return -1; }
      if (typeof b === "number") { return 1; }
      return collator.compare(a, b);
    }
    function sortBy(column) {
      descending = sortColumn === column ? !descending : false;
      sortColumn = column;
      apply();
    }
    function setFilter(text) {
      filterText = fold(text.trim());
      page = 0;
      apply();
    }
    function texts() {
      if (!haystack) {
        haystack = rows.map(function (r) {
          return fold(r.map(function (t) {
            return t ? names.text(t) + (t.type === "uri" ? " " + t.value : "") : "";
          }).join("\u0001"));
        });
      }
      return haystack;
    }
    function apply() {
      var indices = rows.map(function (r, i) { return i; });
      if (filterText) {
        var all = texts();
        indices = indices.filter(function (i) { return all[i].indexOf(filterText) >= 0; });
      }
      if (sortColumn >= 0) {
        var keys = rows.map(function (r) { return sortKey(r[sortColumn]); });
        var sign = descending ? -1 : 1;
        indices.sort(function (a, b) { return sign * compare(keys[a], keys[b]) || a - b; });
      }
      order = indices;
      headers.forEach(function (th, c) {
        if (c === sortColumn) { th.setAttribute("aria-sort", descending ? "descending" : "ascending"); }
        else { th.removeAttribute("aria-sort"); }
      });
      render();
    }
    function goTo(n) {
      page = Math.max(0, Math.min(n, pages() - 1));
      render();
      box.scrollTop = 0;
    }
    function pages() { return Math.max(1, Math.ceil(order.length / pageRows)); }

    function cell(term, c) {
      var td = el("td");
      if (!term) { return td; }
      if (term.type === "uri") {
        var a = el("a", null, names.text(term));
        a.href = names.browsePath(term.value);
        a.title = term.value;
        td.appendChild(a);
      } else if (term.type === "bnode") {
        td.appendChild(el("span", "bnode", "_:" + term.value));
      } else {
        if (term.lang) {
          // Marked as its language for screen readers (WCAG 3.1.2); the tag beside it is not copied with it.
          var text = el("span", null, term.value);
          text.lang = term.lang;
          td.append(text, el("span", "lang", term.lang));
        } else {
          td.appendChild(document.createTextNode(term.value));
          if (term.datatype && term.datatype !== XSD + "string" && !NUMERIC[term.datatype]) {
            td.appendChild(el("span", "datatype", names.shortName(term.datatype)));
          }
        }
        if (isNumber(term) || numericColumn[c]) { td.className = "num"; }
      }
      return td;
    }
    function render() {
      var first = page * pageRows, last = Math.min(order.length, first + pageRows);
      var fragment = document.createDocumentFragment();
      var unlabelled = {};
      for (var i = first; i < last; i += 1) {
        var row = rows[order[i]], tr = el("tr");
        for (var c = 0; c < row.length; c += 1) {
          tr.appendChild(cell(row[c], c));
          if (row[c] && row[c].type === "uri" && !(row[c].value in names.labels)) { unlabelled[row[c].value] = true; }
        }
        fragment.appendChild(tr);
      }
      tbody.replaceChildren(fragment);
      var total = rows.length;
      count.textContent = filterText ? format(ui.rows_match, { matching: order.length, total: total })
        : total + " " + ui.rows;
      where.textContent = order.length ? format(ui.rows_of, { first: first + 1, last: last, total: order.length }) +
        " · " + format(ui.page_of, { page: page + 1, pages: pages() }) : ui.no_rows;
      prev.disabled = page === 0;
      next.disabled = page >= pages() - 1;
      pager.hidden = pages() === 1 && !filterText;
      var wanted = Object.keys(unlabelled);
      if (wanted.length && options.wantLabels) {
        options.wantLabels(wanted).then(function (found) {
          wanted.forEach(function (iri) { names.labels[iri] = found[iri] || names.labels[iri] || null; });
          haystack = null;
          if (Object.keys(found).length) { rerender(); }
        }, function () { /* labels are a nicety: prefixed names stay */ });
      }
    }
    var rerender = function () {
      var first = page * pageRows, last = Math.min(order.length, first + pageRows);
      var trs = tbody.children;
      for (var i = first; i < last; i += 1) {
        var row = rows[order[i]], tds = trs[i - first].children;
        for (var c = 0; c < row.length; c += 1) {
          if (row[c] && row[c].type === "uri") { tds[c].firstChild.textContent = names.text(row[c]); }
        }
      }
    };
    render();
    return { sortBy: sortBy, setFilter: setFilter, goTo: goTo, rows: function () { return order.length; } };
  }

  window.SparqlResults = { fromJson: fromJson, fromNTriples: fromNTriples, Names: Names, Table: Table,
                           isNumber: isNumber, yearOf: yearOf, format: format, fold: fold, el: el };
})();
