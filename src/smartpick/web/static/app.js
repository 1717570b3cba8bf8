/* SmartPick pages: the profile kept in this tab (Back, reload and errors lose nothing), the
   USCE ledger editor, sortable and expandable plan tables, and the paste-length note. Plain JS. */
(function () {
  "use strict";

  var DRAFT_KEY = "smartpick-profile-draft";

  function renumber(rows) {
    Array.prototype.forEach.call(rows.querySelectorAll(".usce-row"), function (row, i) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) {
            el.setAttribute(attr, value.replace(/usce\[(\d+|__i__)\]/g, "usce[" + i + "]")
              .replace(/err-usce-(\d+|i)-/g, "err-usce-" + i + "-"));
          }
        });
      });
      var number = row.querySelector(".row-number");
      if (number) { number.textContent = String(i + 1); }
    });
  }

  function addRow(rows, template) {
    rows.appendChild(template.content.cloneNode(true));
    renumber(rows);
    var all = rows.querySelectorAll(".usce-row");
    return all[all.length - 1];
  }

  /* The form's fields as [name, value] pairs (files left out). */
  function fields(form) {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      pairs.push([el.name, el.value]);
    });
    return pairs;
  }

  function saveDraft(form) {
    try { sessionStorage.setItem(DRAFT_KEY, JSON.stringify(fields(form))); } catch (e) { /* full or off */ }
  }

  function restoreDraft(form, rows, template) {
    var raw = null;
    try { raw = sessionStorage.getItem(DRAFT_KEY); } catch (e) { return; }
    if (!raw) { return; }
    var pairs;
    try { pairs = JSON.parse(raw); } catch (e) { return; }
    if (!Array.isArray(pairs)) { return; }
    var count = 0;
    pairs.forEach(function (pair) {
      var m = /^usce\[(\d+)\]/.exec(pair[0]);
      if (m) { count = Math.max(count, parseInt(m[1], 10) + 1); }
    });
    while (rows.querySelectorAll(".usce-row").length < Math.min(count, 50)) { addRow(rows, template); }
    var byName = {};
    pairs.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || !(el.name in byName)) {
        if (el.type === "checkbox" && el.name) { el.checked = false; }
        return;
      }
      var values = byName[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else {
        el.value = values[0];
      }
    });
  }

  function setUpProfile() {
    var form = document.getElementById("profile-form");
    var add = document.getElementById("add-usce");
    var rows = document.getElementById("usce-rows");
    var template = document.getElementById("usce-row-template");
    if (!form || !add || !rows || !template) { return; }
    if (form.getAttribute("data-from-server") === "yes") {
      saveDraft(form);
    } else {
      restoreDraft(form, rows, template);
    }
    if (form.getAttribute("data-imported") === "yes" && window.history.replaceState) {
      /* the form came from a POST (an import, "Edit profile", a refused plan): make this
         entry a plain GET /profile, so that Back and reload never ask to send it again (the
         copy in this tab fills the form) */
      window.history.replaceState(null, "", "/profile");
    }
    form.addEventListener("input", function () { saveDraft(form); });
    form.addEventListener("change", function () { saveDraft(form); });
    add.addEventListener("click", function () {
      addRow(rows, template).querySelector("select").focus();
      saveDraft(form);
    });
    rows.addEventListener("click", function (event) {
      var button = event.target.closest(".remove-row");
      if (!button) { return; }
      button.closest(".usce-row").remove();
      renumber(rows);
      saveDraft(form);
      add.focus();
    });
    var clear = document.getElementById("clear-profile");
    if (clear) {
      clear.addEventListener("click", function () {
        if (!window.confirm("Clear every field of the form?")) { return; }
        try { sessionStorage.removeItem(DRAFT_KEY); } catch (e) { /* ignore */ }
        window.location.assign("/profile");
      });
    }
    /* one request per press: a second press while the page is loading is ignored, and the
       live check still waiting to run (typing, then pressing at once) is dropped */
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending") === "yes") { event.preventDefault(); return; }
      saveDraft(form);
      form.setAttribute("data-sending", "yes");
      var check = document.getElementById("live-check");
      if (check && window.htmx) {
        var fresh = check.cloneNode(false);
        /* a check whose timer already runs fires on the detached element: cancel it there */
        check.addEventListener("htmx:beforeRequest", function (e) { e.preventDefault(); });
        check.remove();
        window.setTimeout(function () {
          form.parentNode.insertBefore(fresh, form);
          window.htmx.process(fresh);
        }, 1500);
      }
      window.setTimeout(function () { form.removeAttribute("data-sending"); }, 4000);
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
      table.querySelectorAll("thead th[data-sortable]").forEach(function (th) {
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

  /* A paste longer than the box's limit is cut by the browser: say so. */
  function setUpLengthNotes() {
    document.querySelectorAll("textarea[maxlength][data-length-note]").forEach(function (box) {
      var note = document.getElementById(box.getAttribute("data-length-note"));
      var limit = parseInt(box.getAttribute("maxlength"), 10);
      box.addEventListener("paste", function (event) {
        var text = (event.clipboardData || window.clipboardData).getData("text") || "";
        var room = limit - box.value.length + (box.selectionEnd - box.selectionStart);
        if (note && text.length > room) {
          note.textContent = "Your paste had " + text.length.toLocaleString("en-US") +
            " characters; only the first " + Math.max(0, room).toLocaleString("en-US") +
            " were kept (the limit is " + limit.toLocaleString("en-US") +
            "). Paste the requirements part of the page only.";
        }
      });
      box.addEventListener("input", function () {
        if (note && box.value.length < limit) { note.textContent = ""; }
      });
    });
  }

  /* Plan page: the what-if buttons answer in place (no reload, no jump to the top). */
  function setUpWhatIfs() {
    var form = document.getElementById("what-if-form");
    var table = document.getElementById("what-if");
    if (!form || !table || !window.fetch) { return; }
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.value) { return; }
      event.preventDefault();
      if (form.getAttribute("data-sending") === "yes") { return; }
      form.setAttribute("data-sending", "yes");
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, key) { body.append(key, value); });
      body.append("_what_if", button.value);
      var status = document.getElementById("what-if-status");
      if (status) { status.textContent = "Working out: " + button.textContent.trim() + "…"; }
      window.fetch("/plan/what-if", {method: "POST", body: body,
                                     headers: {"HX-Request": "true"}})
        .then(function (response) { return response.text().then(function (text) { return [response.ok, text]; }); })
        .then(function (answer) {
          if (answer[0]) {
            table.outerHTML = answer[1];
            button.remove();
            var hidden = document.createElement("input");
            hidden.type = "hidden"; hidden.name = "_what_if"; hidden.value = button.value;
            document.querySelectorAll("form.carries-what-ifs").forEach(function (f) {
              f.appendChild(hidden.cloneNode());
            });
            rememberReplay();
            if (status) { status.textContent = "Added to the table above."; }
          } else if (status) {
            status.innerHTML = answer[1];
          }
        })
        .catch(function () { if (status) { status.textContent = "No answer from SmartPick; try again."; } })
        .then(function () { form.removeAttribute("data-sending"); });
    });
  }

  /* Pages made by a form post (the plan, the USCE report) are never re-posted by reload or
     Back: the page keeps what made it in this tab and turns its history entry into a plain
     GET; that GET answers a page that makes it again from what was kept. */
  var REPLAY_KEY = "smartpick-replay:";

  function rememberReplay() {
    var form = document.querySelector("form[data-replay-path]:not(#replay-form)");
    if (!form) { return; }
    var path = form.getAttribute("data-replay-path");
    var pairs = fields(form).filter(function (pair) { return pair[0].charAt(0) === "_"; });
    try { sessionStorage.setItem(REPLAY_KEY + path, JSON.stringify(pairs)); } catch (e) { /* off */ }
    if (window.history.replaceState && window.location.pathname === path) {
      window.history.replaceState(null, "", path + window.location.hash);
    }
    var again = null;
    try { again = sessionStorage.getItem(REPLAY_KEY + "scroll"); sessionStorage.removeItem(REPLAY_KEY + "scroll"); } catch (e) { again = null; }
    if (again) { window.scrollTo(0, parseInt(again, 10) || 0); }
    window.addEventListener("pagehide", function () {
      try { sessionStorage.setItem(REPLAY_KEY + path + ":y", String(Math.round(window.scrollY))); } catch (e) { /* off */ }
    });
  }

  function replay() {
    var form = document.getElementById("replay-form");
    if (!form) { return; }
    var pairs = null;
    try { pairs = JSON.parse(sessionStorage.getItem(REPLAY_KEY + form.getAttribute("data-replay-path")) || "null"); } catch (e) { pairs = null; }
    if (!Array.isArray(pairs) || !pairs.length) { window.location.replace("/profile"); return; }
    form.textContent = "";
    pairs.forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = String(pair[0]); input.value = String(pair[1]);
      form.appendChild(input);
    });
    try {  /* made again for Back or reload: the page opens where it was left */
      sessionStorage.setItem(REPLAY_KEY + "scroll", sessionStorage.getItem(REPLAY_KEY + form.getAttribute("data-replay-path") + ":y") || "0");
    } catch (e) { /* off */ }
    form.submit();  /* before the page has loaded: the post replaces this entry */
  }

  document.addEventListener("DOMContentLoaded", function () {
    replay();
    rememberReplay();
    setUpProfile();
    setUpSorting();
    setUpReasons();
    setUpLengthNotes();
    setUpWhatIfs();
  });
})();
