// Views of a query's answer beyond the table: bar and line charts and a timeline (Chart.js), and a
// graph of the answer's IRIs (Cytoscape.js). Both libraries come from npm through /assets/lib/ and
// load only when a view needs them. Each view says in words what it cannot show (no numbers, no
// dates); the table is always one choice away.
(function () {
  "use strict";
  var R = window.SparqlResults;
  var loading = {};
  var MAX_BARS = 300, MAX_NODES = 1500;

  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { delete loading[src]; reject(new Error(src)); };
        document.head.appendChild(script);
      });
    }
    return loading[src];
  }

  function columns(results, test) {
    return results.vars.map(function (v, c) { return c; }).filter(function (c) {
      var seen = 0;
      for (var i = 0; i < results.rows.length && seen < 50; i += 1) {
        var t = results.rows[i][c];
        if (t) { seen += 1; if (!test(t)) { return false; } }
      }
      return seen > 0;
    });
  }
  function isDate(t) { return R.yearOf(t) !== null; }
  function labelColumn(results, avoid) {
    for (var c = 0; c < results.vars.length; c += 1) {
      if (avoid.indexOf(c) < 0) { return c; }
    }
    return 0;
  }
  function yearText(year) {
    var y = Math.floor(year), d = new Date(Date.UTC(y, 0, 1) + (year - y) * 365.25 * 864e5);
    return year === y ? String(y) : d.toISOString().slice(0, 10);
  }

  function frame(container, label, tall) {
    var box = R.el("div", "chart-box" + (tall ? " tall" : ""));
    var canvas = R.el("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
    canvas.textContent = label;
    box.appendChild(canvas);
    container.appendChild(box);
    return { box: box, canvas: canvas };
  }

  function chart(kind, container, results, ctx) {
    var numbers = columns(results, R.isNumber);
    if (!numbers.length) { return Promise.reject(new Error(ctx.ui.needs_numbers)); }
    var labelAt = labelColumn(results, numbers);
    var rows = results.rows.slice(0, MAX_BARS);
    return load("/assets/lib/chart.js").then(function () {
      var horizontal = kind === "bar" && rows.length > 12;
      var f = frame(container, ctx.ui["view_" + (kind === "bar" ? "BarChart" : "LineChart")] + ": " +
        numbers.map(function (c) { return results.vars[c]; }).join(", "), horizontal && rows.length > 30);
      if (horizontal) { f.box.style.height = Math.max(320, rows.length * 22 + 60) + "px"; }
      var made = new window.Chart(f.canvas, {
        type: kind,
        data: {
          labels: rows.map(function (r) { return ctx.names.text(r[labelAt]); }),
          datasets: numbers.map(function (c) {
            return { label: results.vars[c], data: rows.map(function (r) { return r[c] ? parseFloat(r[c].value) : null; }) };
          })
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: horizontal ? "y" : "x",
                   plugins: { legend: { display: numbers.length > 1 } } }
      });
      return { destroy: function () { made.destroy(); } };
    });
  }

  function timeline(container, results, ctx) {
    var dates = columns(results, isDate);
    if (!dates.length) { return Promise.reject(new Error(ctx.ui.needs_dates)); }
    var labelAt = labelColumn(results, dates);
    var start = dates[0], end = dates.length > 1 ? dates[1] : -1;
    var items = [], undated = 0;
    results.rows.forEach(function (r) {
      var from = R.yearOf(r[start]);
      if (from === null) { undated += 1; return; }
      var until = end >= 0 ? R.yearOf(r[end]) : null;
      // An end given as a year or a month lasts to its end; a single date shows as a short mark.
      if (until !== null && r[end].value.length <= 7) { until += r[end].value.length === 4 ? 1 : 1 / 12; }
      items.push({ label: ctx.names.text(r[labelAt]), from: from, until: until !== null ? until : from + 0.04 });
    });
    items = items.slice(0, MAX_BARS);
    return load("/assets/lib/chart.js").then(function () {
      var f = frame(container, ctx.ui.view_Timeline + ": " + results.vars[start] +
        (end >= 0 ? "–" + results.vars[end] : ""), items.length > 12);
      f.box.style.height = Math.max(240, items.length * 22 + 60) + "px";
      if (undated) {
        container.appendChild(R.el("p", "view-note", R.format(ctx.ui.timeline_undated, { n: undated, column: results.vars[start] })));
      }
      var axis = { type: "linear", beginAtZero: false,
                   ticks: { stepSize: 1, callback: function (v) { return yearText(v); } } };
      if (items.length) {
        // The axis spans the periods drawn (whole years), not year 0 onwards, where Chart.js's bars
        // start; with nothing drawn (no row has a start) Chart.js picks it.
        axis.min = Math.floor(Math.min.apply(null, items.map(function (i) { return i.from; })));
        axis.max = Math.max(Math.ceil(Math.max.apply(null, items.map(function (i) { return i.until; }))), axis.min + 1);
      }
      var made = new window.Chart(f.canvas, {
        type: "bar",
        data: {
          labels: items.map(function (i) { return i.label; }),
          datasets: [{ label: results.vars[start], data: items.map(function (i) { return [i.from, i.until]; }) }]
        },
        options: {
          indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) {
            return yearText(c.raw[0]) + " – " + yearText(c.raw[1]);
          } } } },
          scales: { x: axis }
        }
      });
      return { destroy: function () { made.destroy(); } };
    });
  }

  function graph(container, results, ctx) {
    var edges = [], nodes = {}, count = 0;
    function node(term) {
      var key = (term.type === "literal" ? "\u0000" : "") + term.value;
      if (!nodes[key]) {
        if (count >= MAX_NODES) { return null; }
        count += 1;
        nodes[key] = { data: { id: "n" + count, label: ctx.names.text(term).slice(0, 60), kind: term.type } };
      }
      return nodes[key].data.id;
    }
    var LABELS = ["http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label"];
    if (results.kind === "graph") {
      results.rows.forEach(function (t) {
        if (t[2].type === "literal" && LABELS.indexOf(t[1].value) >= 0) {
          var lang = document.documentElement.lang;
          if (!ctx.names.labels[t[0].value] || t[2].lang === lang) { ctx.names.labels[t[0].value] = t[2].value; }
        }
      });
      results.rows.forEach(function (t) {
        if (t[2].type === "literal" && LABELS.indexOf(t[1].value) >= 0) { return; }
        var s = node(t[0]), o = node(t[2]);
        if (s && o) { edges.push({ data: { id: "e" + edges.length, source: s, target: o, label: ctx.names.text(t[1]) } }); }
      });
    } else {
      var iriColumns = columns(results, function (t) { return t.type === "uri"; });
      if (iriColumns.length < 2) { return Promise.reject(new Error(ctx.ui.needs_graph)); }
      results.rows.forEach(function (r) {
        var from = r[iriColumns[0]] && node(r[iriColumns[0]]);
        iriColumns.slice(1).forEach(function (c) {
          var to = r[c] && node(r[c]);
          if (from && to) { edges.push({ data: { id: "e" + edges.length, source: from, target: to, label: results.vars[c] } }); }
        });
      });
    }
    if (!edges.length) { return Promise.reject(new Error(ctx.ui.needs_graph)); }
    return load("/assets/lib/cytoscape.js").then(function () {
      var box = R.el("div", "graph-box");
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", ctx.ui.view_Graph + ": " + R.format(ctx.ui.graph_size, { nodes: count, edges: edges.length }));
      var caption = R.el("p", "hint", R.format(ctx.ui.graph_size, { nodes: count, edges: edges.length }));
      container.append(caption, box);
      var elements = Object.keys(nodes).map(function (k) { return nodes[k]; }).concat(edges);
      var cy = window.cytoscape({
        container: box, elements: elements, wheelSensitivity: 0.3,
        layout: count <= 300 ? { name: "cose", animate: false } : { name: "concentric", animate: false },
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 9, "background-color": "#0b5fa5",
            width: 12, height: 12, color: "#1d2733", "text-wrap": "ellipsis", "text-max-width": 120 } },
          { selector: "node[kind = 'literal']", style: { "background-color": "#8a96a3", shape: "round-rectangle" } },
          { selector: "edge", style: { width: 1, "line-color": "#b8c2cc", "target-arrow-shape": "triangle",
            "target-arrow-color": "#b8c2cc", "curve-style": "bezier", label: count <= 80 ? "data(label)" : "",
            "font-size": 7, color: "#5b6775" } }
        ]
      });
      return { destroy: function () { cy.destroy(); } };
    });
  }

  var VIEWS = {
    BarChart: function (c, r, x) { return chart("bar", c, r, x); },
    LineChart: function (c, r, x) { return chart("line", c, r, x); },
    Timeline: timeline,
    Graph: graph
  };

  // Show `results` in `view` inside `container`: a Promise of {destroy}, rejected with a message
  // the reader can act on when the answer has nothing this view can show.
  function show(view, container, results, ctx) {
    if (!VIEWS[view]) { return Promise.reject(new Error(view)); }
    return VIEWS[view](container, results, ctx);
  }

  window.SparqlViews = { show: show, names: Object.keys(VIEWS) };
})();
