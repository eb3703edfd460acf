// Query page. With CodeMirror (installed by `npm ci`) the query box gets SPARQL syntax
// highlighting and completion of prefixes and our vocabulary (Ctrl-Space, or after ':').
// Picking a canned question puts its text in the editor; the form runs it. Without
// JavaScript every link still works: each canned question is a permalink to its results.
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  var permalink = document.getElementById("permalink");
  var completions = JSON.parse(document.getElementById("completions").textContent);
  var editor = null;

  function value() { return editor ? editor.getValue() : textarea.value; }
  function setValue(text) { if (editor) { editor.setValue(text); } else { textarea.value = text; } }
  function updatePermalink() { permalink.href = "/sparql?query=" + encodeURIComponent(value()); }

  // Completion: 'stv:Va' -> stv:Value …; a bare word -> matching prefixes.
  function hint(cm) {
    var cursor = cm.getCursor();
    var line = cm.getLine(cursor.line);
    var start = cursor.ch;
    while (start > 0 && /[\w:\-]/.test(line.charAt(start - 1))) { start -= 1; }
    var word = line.slice(start, cursor.ch);
    var list = completions.filter(function (c) { return c.indexOf(word) === 0 && c !== word; });
    return { list: list.slice(0, 50), from: CodeMirror.Pos(cursor.line, start), to: CodeMirror.Pos(cursor.line, cursor.ch) };
  }

  if (window.CodeMirror) {
    editor = CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, indentUnit: 2, viewportMargin: Infinity,
      extraKeys: { "Ctrl-Space": function (cm) { cm.showHint({ hint: hint, completeSingle: false }); },
                   "Ctrl-Enter": function () { document.getElementById("query-form").requestSubmit(); } }
    });
    editor.on("inputRead", function (cm, change) {
      if (change.text[0] === ":" || /^[a-z]$/i.test(change.text[0])) {
        cm.showHint({ hint: hint, completeSingle: false });
      }
    });
    editor.on("change", updatePermalink);
  } else {
    textarea.addEventListener("input", updatePermalink);
  }

  document.querySelectorAll("a.canned-query").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var template = document.querySelector('template.canned-text[data-name="' + link.dataset.name + '"]');
      setValue(template.content.textContent.trim());
      updatePermalink();
      if (editor) { editor.focus(); } else { textarea.focus(); }
    });
  });
})();
