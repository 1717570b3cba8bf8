/* SmartPick pages: the USCE ledger editor and sortable, expandable plan tables. Plain JS. */
(function () {
  "use strict";

  function renumber(tbody) {
    Array.prototype.forEach.call(tbody.querySelectorAll("tr.usce-row"), function (row, i) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) {
            el.setAttribute(attr, value.replace(/usce\[(\d+|__i__)\]/g, "usce[" + i + "]")
              .replace(/err-usce-(\d+|i)-/g, "err-usce-" + i + "-"));
          }
        });
      });
    });
  }

  function setUpLedger() {
    var add = document.getElementById("add-usce");
    var tbody = document.getElementById("usce-rows");
    var template = document.getElementById("usce-row-template");
    if (!add || !tbody || !template) { return; }
    add.addEventListener("click", function () {
      tbody.appendChild(template.content.cloneNode(true));
      renumber(tbody);
      var rows = tbody.querySelectorAll("tr.usce-row");
      rows[rows.length - 1].querySelector("select").focus();
    });
    tbody.addEventListener("click", function (event) {
      var button = event.target.closest(".remove-row");
      if (!button) { return; }
      button.closest("tr").remove();
      renumber(tbody);
      add.focus();
    });
  }

  function cellValue(row, index) {
    var cell = row.children[index];
    var raw = cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : "";
    var number = parseFloat(raw);
    return isNaN(number) ? raw.toLowerCase() : number;
  }

  function setUpSorting() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th[data-sortable]").forEach(function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var tbody = table.tBodies[0];
          var groups = Array.prototype.filter.call(tbody.rows, function (r) {
            return r.classList.contains("main-row");
          }).map(function (r) { return [r, r.nextElementSibling]; });
          var col = Array.prototype.indexOf.call(th.parentNode.children, th);
          groups.sort(function (a, b) {
            var x = cellValue(a[0], col), y = cellValue(b[0], col);
            return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
          });
          groups.forEach(function (g) { tbody.appendChild(g[0]); if (g[1]) { tbody.appendChild(g[1]); } });
        });
      });
    });
  }

  function setUpReasons() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("button.expand");
      if (!button) { return; }
      var target = document.getElementById(button.getAttribute("aria-controls"));
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      target.hidden = open;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpLedger();
    setUpSorting();
    setUpReasons();
  });
})();
