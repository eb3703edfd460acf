// The query page. Without JavaScript it is a form: a permalink renders its results on the server.
// With it: the editor (CodeMirror: highlighting, completion, the PREFIX line added for a known
// prefix, problems marked where they are), queries run in place with a Stop, the address becomes
// the permalink (query and view), results show as a table or a chart, timeline or graph, and the
// reader's recent queries are kept in this browser.
(function () {
  "use strict";
  var R = window.SparqlResults, V = window.SparqlViews;
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var ui = data.ui;
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var runButton = document.getElementById("run");
  var stopButton = document.getElementById("stop");
  var viewSelect = document.getElementById("view");
  var permalink = document.getElementById("permalink");
  var copyButton = document.getElementById("copy-link");
  var shortLink = document.getElementById("short-link");
  var status = document.getElementById("status");
  var resultsBox = document.getElementById("results");
  var problemsList = document.getElementById("problems");
  var names = new R.Names(data.prefixes, data.base);
  var HISTORY_KEY = "strategiaverkko.sparql.history", HISTORY_SIZE = 30;
  var editor = null, running = null, shown = null, current = null, marks = [];

  function value() { return editor ? editor.getValue() : textarea.value; }
  function setValue(text) { if (editor) { editor.setValue(text); } else { textarea.value = text; } }
  // The protocol's dataset (default-graph-uri, named-graph-uri) the page was opened with: every
  // run, link and download keeps it, so the page answers what the same URL answers a client.
  var dataset = Array.prototype.map.call(form.querySelectorAll('#dataset-note input[type="hidden"]'), function (input) {
    return [input.name, input.value];
  });
  function datasetQuery() {
    return dataset.map(function (pair) { return "&" + pair[0] + "=" + encodeURIComponent(pair[1]); }).join("");
  }
  function link(query, view) {
    return "/sparql?query=" + encodeURIComponent(query) + (view && view !== "Table" ? "&view=" + encodeURIComponent(view) : "") +
      datasetQuery();
  }
  function updatePermalink() { permalink.href = link(value(), viewSelect.value); }
  function say(text) { status.textContent = text; }
  function defaultView(query) {
    var m = /^\s*#\s*defaultView:\s*(\w+)/m.exec(query);
    return m && viewSelect.querySelector('option[value="' + m[1] + '"]') ? m[1] : null;
  }

  // --- The editor -------------------------------------------------------------------------
  function declaredInQuery(text) {
    var found = {}, re = /^\s*PREFIX\s+([\w-]*):/gim, m;
    while ((m = re.exec(text))) { found[m[1]] = true; }
    return found;
  }
  function hint(cm) {
    var cursor = cm.getCursor(), line = cm.getLine(cursor.line), start = cursor.ch;
    while (start > 0 && /[\w:\-]/.test(line.charAt(start - 1))) { start -= 1; }
    var word = line.slice(start, cursor.ch);
    var lower = word.toLowerCase();
    var list = data.completions.filter(function (c) { return c !== word && c.toLowerCase().indexOf(lower) === 0; });
    return { list: list.slice(0, 60), from: CodeMirror.Pos(cursor.line, start), to: CodeMirror.Pos(cursor.line, cursor.ch) };
  }
  // Typing a known prefix and its colon adds its PREFIX line (after the PREFIX lines there are).
  function addPrefixLine(cm, prefix) {
    var ns = data.prefixes[prefix];
    if (!ns || declaredInQuery(cm.getValue())[prefix]) { return; }
    var at = 0;
    for (var i = 0; i < cm.lineCount(); i += 1) {
      var text = cm.getLine(i);
      if (/^\s*(PREFIX|BASE)\b/i.test(text)) { at = i + 1; } else if (/^\s*#/.test(text) && at === i) { at = i + 1; }
      else if (text.trim()) { break; }
    }
    cm.replaceRange("PREFIX " + prefix + ": <" + ns + ">\n", CodeMirror.Pos(at, 0));
  }

  function setupEditor() {
    var escaped = false;
    editor = CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, indentUnit: 2, viewportMargin: Infinity, lineWrapping: true,
      screenReaderLabel: document.querySelector("label[for=query]").textContent,
      extraKeys: {
        "Ctrl-Space": function (cm) { cm.showHint({ hint: hint, completeSingle: false }); },
        "Ctrl-Enter": function () { run(); },
        "Cmd-Enter": function () { run(); },
        // WCAG 2.1.2: Esc, then Tab (or Shift-Tab), leaves the editor (see the key map below); Tab alone indents.
        "Esc": function (cm) { escaped = true; if (cm.state.completionActive) { cm.state.completionActive.close(); } },
        "Tab": function (cm) { cm.execCommand(cm.somethingSelected() ? "indentMore" : "insertSoftTab"); },
        "Shift-Tab": function (cm) { cm.execCommand("indentLess"); }
      }
    });
    // Checked before every other key map: after Esc, Tab is the browser's again (false: CodeMirror
    // neither handles the key nor stops its default, so focus moves on).
    editor.addKeyMap({ call: function (key) {
      if (escaped && (key === "Tab" || key === "Shift-Tab")) { escaped = false; return false; }
      return undefined;
    } });
    editor.getInputField().setAttribute("aria-describedby", "editor-help");
    editor.on("keydown", function (cm, event) {
      if (event.key !== "Escape" && event.key !== "Tab" && event.key !== "Shift") { escaped = false; }
    });
    editor.on("blur", function () { escaped = false; });
    editor.on("inputRead", function (cm, change) {
      var typed = change.text[0];
      if (typed === ":") {
        var line = cm.getLine(change.from.line).slice(0, change.from.ch);
        var m = /(?:^|[^\w?$:-])([A-Za-z][\w-]*)$/.exec(line);
        if (m) { addPrefixLine(cm, m[1]); }
      }
      if (typed === ":" || /^[a-z]$/i.test(typed)) { cm.showHint({ hint: hint, completeSingle: false }); }
    });
    editor.on("change", function () { updatePermalink(); scheduleCheck(); });
  }

  // --- Problems, before running (/sparql/check) and from a run -------------------------------
  var checkTimer = null, checkAbort = null;
  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 400);
  }
  function check() {
    if (checkAbort) { checkAbort.abort(); }
    checkAbort = new AbortController();
    var body = new URLSearchParams({ query: value() });
    fetch("/sparql/check", { method: "POST", body: body, signal: checkAbort.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { problems: [] }; })
      .then(function (answer) { showProblems(answer.problems); }, function () {});
  }
  function clearMarks() { marks.forEach(function (m) { m.clear(); }); marks = []; }
  function mark(problem) {
    if (!editor) { return; }
    var line = problem.line - 1, from = CodeMirror.Pos(line, problem.column - 1);
    var to = CodeMirror.Pos(line, problem.column - 1 + Math.max(problem.length || 1, 1));
    if (problem.column - 1 >= editor.getLine(line).length) { from = CodeMirror.Pos(line, Math.max(0, problem.column - 2)); }
    marks.push(editor.markText(from, to, { className: "cm-problem cm-problem-" + (problem.severity || "error"),
                                           title: problem.message, attributes: { "data-message": problem.message } }));
  }
  function goToProblem(problem) {
    if (editor) {
      editor.focus();
      editor.setCursor(CodeMirror.Pos(problem.line - 1, problem.column - 1));
    }
  }
  function showProblems(problems) {
    clearMarks();
    problemsList.replaceChildren();
    problems.forEach(function (p) {
      mark(p);
      var li = R.el("li", "problem " + p.severity);
      var button = R.el("button", "link-like", p.message);
      button.type = "button";
      button.addEventListener("click", function () { goToProblem(p); });
      li.appendChild(button);
      problemsList.appendChild(li);
    });
  }

  // --- Running -----------------------------------------------------------------------------
  function setRunning(on) {
    runButton.disabled = on;
    stopButton.hidden = !on;
    resultsBox.setAttribute("aria-busy", on ? "true" : "false");
    resultsBox.classList.toggle("running", on);
  }
  function showError(reader, fallback) {
    var box = R.el("div", "error");
    box.setAttribute("role", "alert");
    box.append(R.el("strong", null, (reader && reader.title) || ui.error_title), document.createTextNode(": "),
               R.el("span", "error-message", (reader && reader.message) || fallback));
    if (reader && reader.hint) { box.appendChild(R.el("p", "hint", reader.hint)); }
    resultsBox.replaceChildren(box);
    if (reader && reader.problems) {
      clearMarks();
      reader.problems.forEach(mark);
    }
  }
  function run(options) {
    options = options || {};
    var query = value();
    if (running) { running.abort(); }
    var controller = new AbortController();
    running = controller;
    var chosen = defaultView(query);
    if (chosen && !options.keepView) { viewSelect.value = chosen; }
    setRunning(true);
    say(ui.running);
    var started = performance.now();
    var body = new URLSearchParams({ query: query });
    dataset.forEach(function (pair) { body.append(pair[0], pair[1]); });
    fetch("/sparql", {
      method: "POST", body: body, signal: controller.signal,
      headers: { Accept: "application/sparql-results+json, application/n-triples;q=0.9, application/json;q=0.5" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        return response.json().then(function (e) {
          throw { reader: e.details && e.details.reader, message: e.title + ": " + e.message };
        }, function () { throw { message: R.format(ui.err_other, { status: response.status }) }; });
      }
      var time = response.headers.get("X-Query-Time");
      return (type.indexOf("json") >= 0 ? response.json().then(R.fromJson) : response.text().then(R.fromNTriples))
        .then(function (results) { return { results: results, time: time }; });
    }).then(function (answer) {
      if (running !== controller) { return; }
      current = answer.results;
      show();
      var count = current.kind === "boolean" ? String(current.boolean)
        : current.kind === "graph" ? R.format(ui.graph_triples, { n: current.rows.length }) : current.rows.length + " " + ui.rows;
      say(count + " · " + (answer.time || Math.round(performance.now() - started) + " ms"));
      remember(query, viewSelect.value);
      if (!options.fromHistory) { pushAddress(query, viewSelect.value, options.replace); }
    }).catch(function (e) {
      if (running !== controller) { return; }
      if (e && e.name === "AbortError") { say(ui.stopped); return; }
      say("");
      showError(e && e.reader, (e && e.message) || ui.err_network);
      if (!options.fromHistory) { pushAddress(query, viewSelect.value, options.replace); }
    }).finally(function () {
      if (running === controller) { running = null; setRunning(false); }
    });
  }
  function stop() { if (running) { running.abort(); } }

  function pushAddress(query, view, replace) {
    var url = link(query, view);
    if (location.pathname + location.search === url) { return; }
    (replace ? history.replaceState : history.pushState).call(history, { query: query, view: view }, "", url);
  }

  // --- Showing results ------------------------------------------------------------------------
  function downloads(query, kind) {
    var p = R.el("p", "downloads", ui.download + ": ");
    var formats = kind === "graph" ? [["turtle", "Turtle"], ["jsonld", "JSON-LD"], ["rdfxml", "RDF/XML"], ["ntriples", "N-Triples"]]
      : [["json", "JSON"], ["xml", "XML"], ["csv", "CSV"], ["tsv", "TSV"]];
    formats.forEach(function (f) {
      var a = R.el("a", null, f[1]);
      a.href = "/sparql?query=" + encodeURIComponent(query) + "&format=" + f[0] + "&download=1" +
        (f[0] === "csv" || f[0] === "tsv" ? "&bom=1" : "") + datasetQuery();
      p.append(a, document.createTextNode(" "));
    });
    return p;
  }
  function wantLabels(iris) {
    return fetch("/sparql/labels", { method: "POST", body: JSON.stringify(iris),
                                     headers: { "Content-Type": "application/json", Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : {}; });
  }
  function show() {
    if (!current) { return; }
    if (shown) { shown.destroy(); shown = null; }
    resultsBox.replaceChildren();
    resultsBox.appendChild(downloads(value(), current.kind));
    if (current.kind === "boolean") {
      resultsBox.appendChild(R.el("p", "boolean", String(current.boolean)));
      return;
    }
    var view = viewSelect.value;
    var holder = R.el("div", "view-holder");
    resultsBox.appendChild(holder);
    var table = function () {
      R.Table(holder, current, { ui: ui, names: names, pageRows: data.pageRows, wantLabels: wantLabels });
    };
    if (view === "Table" || !V || V.names.indexOf(view) < 0) { table(); return; }
    V.show(view, holder, current, { ui: ui, names: names }).then(function (made) { shown = made; }, function (e) {
      holder.replaceChildren(R.el("p", "hint view-note", e.message));
      table();
    });
  }

  // --- History (this browser only) ------------------------------------------------------------
  function readHistory() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY)) || []; } catch (e) { return []; }
  }
  function remember(query, view) {
    var items = readHistory().filter(function (h) { return h.query !== query; });
    items.unshift({ query: query, view: view, at: new Date().toISOString() });
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_SIZE))); } catch (e) { return; }
    renderHistory();
  }
  function renderHistory() {
    var section = document.getElementById("history"), list = document.getElementById("history-list");
    var items = readHistory();
    section.hidden = false;
    list.replaceChildren();
    if (!items.length) { list.appendChild(R.el("li", "hint", ui.history_empty)); }
    items.forEach(function (h) {
      var li = R.el("li"), a = R.el("a", "history-query", h.query.replace(/^(\s*(PREFIX|#).*\n)+/i, "").trim().slice(0, 90));
      a.href = link(h.query, h.view);
      a.title = h.query;
      a.addEventListener("click", function (event) {
        event.preventDefault();
        setValue(h.query);
        viewSelect.value = h.view || "Table";
        run({ keepView: true });
      });
      li.append(a, R.el("span", "meta", new Date(h.at).toLocaleString(document.documentElement.lang || undefined)));
      list.appendChild(li);
    });
  }

  // --- Questions -----------------------------------------------------------------------------
  function setupQuestions() {
    var search = document.querySelector(".question-search"), input = document.getElementById("question-filter");
    var none = document.getElementById("no-question");
    search.hidden = false;
    input.addEventListener("input", function () {
      var words = R.fold(input.value.trim()).split(/\s+/).filter(Boolean), any = false;
      document.querySelectorAll("section.topic").forEach(function (topic) {
        var visible = 0;
        topic.querySelectorAll("li.question").forEach(function (li) {
          var text = R.fold(li.textContent + " " + topic.querySelector("h3").textContent);
          var match = words.every(function (w) { return text.indexOf(w) >= 0; });
          li.hidden = !match;
          if (match) { visible += 1; }
        });
        topic.hidden = visible === 0;
        any = any || visible > 0;
      });
      none.hidden = any;
    });
    document.querySelectorAll("a.canned-query").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        var template = document.querySelector('template.canned-text[data-name="' + a.dataset.name + '"]');
        setValue(template.content.textContent.trim());
        viewSelect.value = a.closest("li").dataset.view || "Table";
        updatePermalink();
        if (editor) { editor.focus(); } else { textarea.focus(); }
      });
    });
  }

  // --- Start -----------------------------------------------------------------------------------
  if (window.CodeMirror) { setupEditor(); } else { textarea.addEventListener("input", updatePermalink); }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  stopButton.addEventListener("click", stop);
  viewSelect.addEventListener("change", function () {
    updatePermalink();
    if (current) { show(); history.replaceState({ query: value(), view: viewSelect.value }, "", link(value(), viewSelect.value)); }
  });
  // A short link (/s/…) stands for the query and its view; it is shown, and copied where the
  // browser lets us. Without room on the server for more, the full permalink is copied instead.
  copyButton.hidden = false;
  copyButton.addEventListener("click", function () {
    var body = new URLSearchParams({ query: value(), view: viewSelect.value });
    // A short link holds the query and its view only: with a dataset, the permalink is copied.
    (dataset.length ? Promise.resolve({ ok: false })
      : fetch("/sparql/short", { method: "POST", body: body, headers: { Accept: "application/json" } }))
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (made) {
        var href = new URL(made ? made.href : permalink.getAttribute("href"), location.href).href;
        shortLink.href = href;
        shortLink.textContent = href;
        shortLink.hidden = false;
        if (!navigator.clipboard) { say(ui.short_link_made); return; }
        return navigator.clipboard.writeText(href).then(
          function () { say(ui.link_copied); },
          function () { say(ui.short_link_made); }
        );
      }, function () { say(ui.err_network); });
  });
  window.addEventListener("popstate", function (event) {
    var state = event.state || {};
    var params = new URLSearchParams(location.search);
    var query = state.query || params.get("query");
    if (!query) { return; }
    setValue(query);
    viewSelect.value = state.view || params.get("view") || "Table";
    run({ keepView: true, fromHistory: true });
  });
  setupQuestions();
  renderHistory();
  // A permalink the server answered: its problems are marked, and its answer becomes the live
  // table (the server has it cached: the fetch is quick).
  var serverProblems = Array.prototype.map.call(document.querySelectorAll("#results .problem-at"), function (s) {
    return { line: +s.dataset.line, column: +s.dataset.column, length: +s.dataset.length,
             message: document.querySelector("#results .error-message").textContent, severity: "error" };
  });
  serverProblems.forEach(mark);
  if (problemsList.children.length) { check(); }
  if (new URLSearchParams(location.search).get("query") && document.querySelector("#results table, #results pre, #results .boolean")) {
    run({ keepView: true, replace: true });
  }
  window.sparqlPage = { run: run, stop: stop, editor: function () { return editor; } };
})();
