/* Sortable tables: any <table class="sortable"> on the page.
 *
 * Contract (the page works without this script; it only adds sorting):
 * - The table has one header row in its <thead> and its rows in one or more <tbody>; each <tbody> is
 *   sorted on its own. Header cells with data-sort="none" are left alone.
 * - Every other header cell's content is wrapped in a <button type="button">, so a click, Enter or
 *   Space sorts by that column: ascending first, then the other way round on each press. The sorted
 *   column's <th> gets aria-sort="ascending" or "descending"; the other headers lose theirs.
 * - A cell's sort key is its data-sort-value attribute if it has one (e.g. an ISO date under a date
 *   written for people), else its text. A cell that spans the column from an earlier column (colspan)
 *   counts as empty. Empty keys, and the key "—", sort last in both directions.
 * - A column is compared as numbers when its <th> says data-sort-type="number", or when it says
 *   nothing and every non-empty key reads as a number (written as the page's language writes numbers:
 *   "1 234,5" in fi and sv, "1,234.5" in en); otherwise as text, by localeCompare's collation in the
 *   page's language (<html lang>; Intl.Collator, numeric): Finnish and Swedish put å, ä, ö after z.
 *   Ties keep their order.
 * - Styling hooks (sortable.css): th[aria-sort], and the button of each sortable header.
 */
(function () {
  "use strict";

  var EMPTY = ["", "—", "–", "-"];

  function cellAt(row, column) {
    // The cell covering `column`, and whether it starts there (colspans counted).
    var index = 0;
    for (var i = 0; i < row.cells.length; i++) {
      var cell = row.cells[i];
      var span = cell.colSpan || 1;
      if (column < index + span) return { cell: cell, starts: column === index };
      index += span;
    }
    return null;
  }

  function key(row, column) {
    var found = cellAt(row, column);
    if (!found || !found.starts) return "";
    var cell = found.cell;
    var value = cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cell.textContent;
    value = value.replace(/\s+/g, " ").trim();
    return EMPTY.indexOf(value) >= 0 ? "" : value;
  }

  function asNumber(text, lang) {
    // Numbers as the page's language writes them: "1 234,5" in Finnish and Swedish, "1,234.5" in English.
    var compact = text.replace(/[\s\u00a0\u202f]/g, "").replace("\u2212", "-");
    compact = /^en\b/.test(lang || "") ? compact.replace(/,/g, "") : compact.replace(",", ".");
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(compact) ? parseFloat(compact) : NaN;
  }

  function columnIndex(th) {
    var index = 0;
    var cells = th.parentNode.cells;
    for (var i = 0; i < cells.length && cells[i] !== th; i++) index += cells[i].colSpan || 1;
    return index;
  }

  function sort(table, th, direction) {
    var column = columnIndex(th);
    var lang = document.documentElement.lang || undefined;
    var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
    var declared = th.getAttribute("data-sort-type");
    var bodies = Array.prototype.slice.call(table.tBodies);
    var numeric = declared === "number";
    if (!declared) {
      numeric = true;
      var any = false;
      bodies.forEach(function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var k = key(row, column);
          if (k !== "") {
            any = true;
            if (isNaN(asNumber(k, lang))) numeric = false;
          }
        });
      });
      numeric = numeric && any;
    }
    var sign = direction === "descending" ? -1 : 1;
    bodies.forEach(function (body) {
      var rows = Array.prototype.map.call(body.rows, function (row, i) {
        return { row: row, key: key(row, column), i: i };
      });
      rows.sort(function (a, b) {
        if (a.key === "" || b.key === "") {
          if (a.key === b.key) return a.i - b.i;
          return a.key === "" ? 1 : -1;
        }
        var order = numeric ? asNumber(a.key, lang) - asNumber(b.key, lang) : collator.compare(a.key, b.key);
        return order !== 0 ? sign * order : a.i - b.i;
      });
      rows.forEach(function (r) {
        body.appendChild(r.row);
      });
    });
    Array.prototype.forEach.call(th.parentNode.cells, function (other) {
      if (other !== th) other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", direction);
  }

  function enhance(table) {
    if (!table.tHead || !table.tHead.rows.length || table.hasAttribute("data-sortable-ready")) return;
    table.setAttribute("data-sortable-ready", "");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.getAttribute("data-sort") === "none") return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        sort(table, th, next);
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
