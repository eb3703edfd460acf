/* /compare: the heat map is one tab stop; the arrow keys move between its numbers (a roving tabindex).
 * Without this script every number is a link of its own, and a skip link leads past the heat map. */
(function () {
  "use strict";

  function start() {
    var table = document.querySelector("table.heat");
    if (!table || !table.tBodies.length) return;
    // One row of links per table row, null where a cell has none (no statements).
    var grid = Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return Array.prototype.filter
        .call(row.cells, function (cell) {
          return cell.tagName === "TD";
        })
        .map(function (cell) {
          return cell.querySelector("a");
        });
    });
    var links = table.querySelectorAll("tbody td a");
    if (!links.length) return;
    var current = links[0];
    Array.prototype.forEach.call(links, function (a) {
      a.tabIndex = a === current ? 0 : -1;
    });

    function position(a) {
      for (var r = 0; r < grid.length; r++) {
        var c = grid[r].indexOf(a);
        if (c >= 0) return [r, c];
      }
      return null;
    }

    function take(a) {
      current.tabIndex = -1;
      a.tabIndex = 0;
      current = a;
    }

    function firstIn(cells, from, step) {
      for (var i = from; i >= 0 && i < cells.length; i += step) if (cells[i]) return cells[i];
      return null;
    }

    function inColumn(c, from, step) {
      for (var r = from; r >= 0 && r < grid.length; r += step) if (grid[r][c]) return grid[r][c];
      return null;
    }

    table.addEventListener("keydown", function (event) {
      var a = event.target.closest ? event.target.closest("td a") : null;
      if (!a || event.altKey || event.metaKey) return;
      var at = position(a);
      if (!at) return;
      var r = at[0];
      var c = at[1];
      var next;
      switch (event.key) {
        case "ArrowRight": next = firstIn(grid[r], c + 1, 1); break;
        case "ArrowLeft": next = firstIn(grid[r], c - 1, -1); break;
        case "ArrowDown": next = inColumn(c, r + 1, 1); break;
        case "ArrowUp": next = inColumn(c, r - 1, -1); break;
        case "Home": next = event.ctrlKey ? links[0] : firstIn(grid[r], 0, 1); break;
        case "End": next = event.ctrlKey ? links[links.length - 1] : firstIn(grid[r], grid[r].length - 1, -1); break;
        default: return;
      }
      event.preventDefault();
      if (next) {
        take(next);
        next.focus();
      }
    });
    // A click (or a screen reader's own navigation) that focuses a number makes it the tab stop.
    table.addEventListener("focusin", function (event) {
      var a = event.target.closest ? event.target.closest("td a") : null;
      if (a && a !== current) take(a);
    });
    var keys = document.querySelector(".heat-keys");
    if (keys) keys.hidden = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
