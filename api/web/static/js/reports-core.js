/* What every report page shares: calls whose refusals are said in the reader's language
   (reason codes through the catalogues), downloads of the same report as XLSX or PDF (the
   bearer token travels in the header, so the file is fetched and handed to the browser),
   the print button, tables, stars and the periods of today in Beijing time. */
(function () {
  "use strict";
  const TOKEN = "minqing.token";
  const el = MQ.el, t = MQ.t;

  function has(key) { return t(key) !== key; }

  /* A refusal from the server in the reader's words: its code, else its HTTP status. */
  function reasonOf(body, status) {
    if (body && body.code && has("reason." + body.code)) return t("reason." + body.code, body.params || {});
    if (status === 422) return t("reports.error.invalid");
    if (has("reports.error." + status)) return t("reports.error." + status);
    return t("error.http", { status: status });
  }

  function authorised(extra) {
    const headers = Object.assign({ "Accept": "application/json" }, extra || {});
    const token = sessionStorage.getItem(TOKEN);
    if (token) headers["Authorization"] = "Bearer " + token;
    return headers;
  }

  async function failure(response) {
    if (response.status === 401) { MQ.logout(false); }
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json() : null;
    const error = new Error(reasonOf(body, response.status));
    error.status = response.status;
    error.body = body;
    return error;
  }

  async function call(path, options) {
    const opts = options || {};
    const response = await fetch(path, { method: opts.method || "GET",
      headers: authorised(opts.body === undefined ? {} : { "Content-Type": "application/json" }),
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    if (!response.ok) throw await failure(response);
    return response.status === 204 ? null : response.json();
  }

  function withQuery(path, params) {
    const url = new URL(path, window.location.origin);
    Object.entries(params).forEach(function ([name, value]) { if (value) url.searchParams.set(name, value); });
    return url.pathname + url.search;
  }

  /* The same report as a file, in the page's language. */
  async function download(path, format) {
    const response = await fetch(withQuery(path, { format: format, lang: MQ.lang }), { headers: authorised() });
    if (!response.ok) throw await failure(response);
    const blob = await response.blob();
    const named = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
    const link = el("a", { href: URL.createObjectURL(blob), download: named ? named[1] : "report." + format,
      hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  /* A report page: `page.path()` is the report's API path with the form's choices;
     `page.render(body)` draws it. Returns `load`, for the page to call again after a change. */
  function reportPage(page) {
    const form = document.getElementById("report-form");
    const message = document.getElementById("report-message");
    async function load() {
      message.hidden = true;
      try { page.render(await call(page.path())); }
      catch (error) { MQ.say(message, error.message, "error"); }
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
    form.querySelectorAll("[data-download]").forEach(function (button) {
      button.addEventListener("click", async function () {
        button.disabled = true;
        try { await download(page.path(), button.dataset.download); }
        catch (error) { MQ.say(message, error.message, "error"); }
        finally { button.disabled = false; }
      });
    });
    form.querySelector("[data-print]").addEventListener("click", function () { window.print(); });
    return load;
  }

  function table(caption, columns, rows, attrs) {
    const head = el("tr", null, ...columns.map(function (c) { return el("th", { scope: "col", text: c }); }));
    const body = rows.length ? rows : [el("tr", null, el("td", { colspan: columns.length, class: "empty",
      text: t("reports.none") }))];
    return el("div", { class: "scroll" }, el("table", attrs || null, caption ? el("caption", { text: caption }) : null,
      el("thead", null, head), el("tbody", null, ...body)));
  }

  function row(cells, attrs) {
    return el("tr", attrs || null, ...cells.map(function (cell) {
      if (cell instanceof Node && cell.tagName === "TD") return cell;
      return el("td", { class: typeof cell === "number" ? "num" : null }, cell);
    }));
  }

  function section(id, title, ...children) {
    return el("section", { id: id, class: "report-section", "aria-labelledby": id + "-h" },
      el("h2", { id: id + "-h", text: title }), ...children);
  }

  function tiles(items) {
    return el("div", { class: "tiles" }, ...items.map(function ([label, value, hot]) {
      return el("p", { class: "tile" + (hot ? " overdue" : "") }, el("span", { class: "tile-n", text: value }),
        " ", el("span", { text: label }));
    }));
  }

  function stars(n) {
    return el("span", { class: "stars", role: "img", "aria-label": t("reports.stars", { n: n }),
      text: "★".repeat(n) + "☆".repeat(5 - n) });
  }

  /* Names where a person reads them: never a cadre id. */
  function person(dir, id) { const c = id && dir.cadre[id]; return c ? c.name : (id ? t("reports.someone") : "—"); }
  function village(dir, code) { return code ? MQ.villageName(dir, code) : t("reports.township_wide"); }
  function category(dir, code) { return MQ.categoryName(dir, code); }

  /* A topic's label is "<category label>：<keywords>"; in English the category is named in English. */
  function topicLabel(dir, label, code) {
    const at = label.indexOf("：");
    return at < 0 ? category(dir, code) : category(dir, code) + "：" + label.slice(at + 1);
  }

  const beijing = new Intl.DateTimeFormat("en-CA", { timeZone: MQ.zone, year: "numeric", month: "2-digit",
    day: "2-digit" });
  function today() { return beijing.format(new Date()); }          // YYYY-MM-DD in Beijing
  function thisMonth() { return today().slice(0, 7); }
  function dayOf(iso) { return iso ? beijing.format(new Date(iso)) : ""; }
  function moment(iso) { return MQ.when(iso); }
  function day(iso) { return iso ? MQ.day(iso) : "—"; }

  /* Leaders (and the people they answer to) as owners of a decision: township cadres first. */
  function owners(dir) {
    const township = dir.township.code;
    return dir.cadres.filter(function (c) { return c.unit_code === township && c.posts.some(function (p) {
      return p === "party_secretary" || p === "leader_in_charge"; }); });
  }

  function options(select, items, value, label) {
    items.forEach(function (item) { select.append(el("option", { value: value(item), text: label(item) })); });
  }

  const ACTIONS = ["progress", "report_done", "close", "reopen", "extend"];  // the likeliest first

  /* Decisions need the capability and a seat among the township's leaders (the server checks both). */
  function canDecide(who) { return !!(who && MQ.can("decide", who) && who.is_leader); }

  /* A 督办 item's next steps for this reader: what its state allows and they may do (the
     owner reports progress and completion; a leader also closes, reopens and moves the date). */
  function itemActions(item, who, done, message) {
    const mine = who.cadre_id === item.owner_cadre_id, leader = canDecide(who);
    const allowed = ACTIONS.filter(function (a) {
      if (item.allowed_actions.indexOf(a) < 0) return false;
      return a === "progress" || a === "report_done" ? mine || leader : leader;
    });
    if (!allowed.length) return null;
    const action = el("select", { name: "action", "aria-label": t("reports.item.action") },
      ...allowed.map(function (a) { return el("option", { value: a, text: t("reports.item.do." + a) }); }));
    const note = el("input", { name: "note", maxlength: "4000", "aria-label": t("reports.item.note"),
      placeholder: t("reports.item.note") });
    const due = el("input", { name: "due_on", type: "date", "aria-label": t("reports.item.new_date") });
    const showDate = function () { due.hidden = action.value !== "extend"; };
    action.addEventListener("change", showDate);
    showDate();
    const form = el("form", { class: "item-action no-print", "data-item": item.item_id }, action, note, due,
      el("button", { type: "submit", class: "secondary", text: t("reports.item.submit") }));
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const body = { action: action.value, note: note.value.trim() };
      if (action.value === "extend") body.due_on = due.value;
      try {
        await call("/api/v1/supervision-items/" + item.item_id + "/actions", { method: "POST", body: body });
        await done();
      } catch (error) { MQ.say(message, error.message, "error"); }
    });
    return form;
  }

  // on paper every score shows how it was made
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.parts").forEach(function (d) { d.open = true; });
  });

  if (document.querySelector("[data-report-page=hub]")) {
    MQ.requireLogin(["work_cases", "administer"]);
  }

  window.MQR = { call: call, download: download, reportPage: reportPage, table: table, row: row, section: section,
    tiles: tiles, stars: stars, person: person, village: village, category: category, topicLabel: topicLabel,
    today: today, thisMonth: thisMonth, dayOf: dayOf, moment: moment, day: day, owners: owners, options: options,
    canDecide: canDecide, itemActions: itemActions, withQuery: withQuery, reasonOf: reasonOf };
})();
