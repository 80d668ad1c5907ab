/* The leader's dashboard: live counts by village (server-sent events read through fetch, so
   the token stays in a header; polling when the stream is unavailable), the lists a leader
   acts on, and the server-drawn SVG charts. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["see_rates", "administer"]);
  const $ = function (id) { return document.getElementById(id); };
  const message = $("dashboard-message");
  const POLL_MS = 10000;
  const LIST_SIZE = 8;
  let dir = null;

  function casesLink(params, text, cls) {
    return MQ.el("a", { href: "/ui/cases?" + new URLSearchParams(params).toString(), class: cls || null, text: String(text) });
  }

  function showCounts(counts) {
    ["open", "overdue", "escalated"].forEach(function (k) { $("total-" + k).textContent = counts.totals[k]; });
    const body = MQ.clear(document.querySelector("#village-counts tbody"));
    counts.villages.forEach(function (v) {
      const code = v.village_code;
      body.append(MQ.el("tr", { "data-village": code },
        MQ.el("th", { scope: "row" }, casesLink({ village_code: code }, v.name)),
        MQ.el("td", { class: "n-open" }, casesLink({ village_code: code }, v.open)),
        MQ.el("td", { class: "n-overdue" + (v.overdue ? " hot" : "") }, casesLink({ village_code: code, overdue: "true" }, v.overdue)),
        MQ.el("td", { class: "n-escalated" + (v.escalated ? " hot" : "") }, casesLink({ village_code: code, escalated: "true" }, v.escalated))));
    });
    $("dashboard-message").hidden = true;
  }

  function liveState(key) { $("live-state").textContent = MQ.t(key); $("live-state").dataset.state = key; }

  function stream() {
    return MQ.stream("/ui/api/live", function (name, data) { if (name === "counts") showCounts(data); },
      function () { liveState("live.on"); });
  }

  async function poll() {
    liveState("live.polling");
    for (;;) {
      try { showCounts(await MQ.api("/ui/api/village-counts")); } catch (error) { liveState("live.off"); }
      await new Promise(function (resolve) { setTimeout(resolve, POLL_MS); });
    }
  }

  async function live() {
    for (let attempt = 0; attempt < 3; attempt++) {
      try { await stream(); attempt = -1; } catch (error) { liveState("live.reconnecting"); }
      await new Promise(function (resolve) { setTimeout(resolve, 2000); });
    }
    poll();
  }

  /* Overdue and escalated cases in one list, each once, the most severe first: the highest
     escalation level, then the most days overdue. */
  function severity(a, b) {
    return (b.escalation_level - a.escalation_level) || (b.days_overdue - a.days_overdue) ||
      String(a.due_at).localeCompare(String(b.due_at));
  }

  function attentionItem(item) {
    const state = MQ.deadlineState(item);
    return MQ.el("li", { class: "deadline-" + state.cls, "data-case": item.case_id },
      MQ.el("a", { href: "/ui/cases/" + item.case_id, text: item.tracking_code }), " ",
      item.escalation_level ? MQ.el("span", { class: "deadline-badge overdue", text: MQ.t("escalation.level." + item.escalation_level) }) : null, " ",
      item.days_overdue ? MQ.el("span", { class: "deadline-badge warning days-overdue", text: MQ.t("dashboard.days_overdue", { n: item.days_overdue }) }) : null, " ",
      MQ.villageName(dir, item.village_code), " · ", item.summary,
      MQ.el("span", { class: "meta owner" }, " · ", MQ.t("case.owner"), " ", MQ.cadreName(dir, item.owner_cadre_id),
        item.escalated_to_cadre_id ? " · " + MQ.t("dashboard.escalated_to", { name: MQ.cadreName(dir, item.escalated_to_cadre_id) }) : "",
        item.escalation_acting_cadre_id ? MQ.t("timeline.escalated.acting", { acting: MQ.cadreName(dir, item.escalation_acting_cadre_id) }) : "",
        item.deadlines_provisional ? MQ.el("span", { class: "badge provisional", text: MQ.t("deadline.provisional") }) : null));
  }

  async function attention() {
    const [overdue, escalated] = await Promise.all([MQ.api("/api/v1/cases?overdue=true&limit=200"),
      MQ.api("/api/v1/cases?escalated=true&limit=200")]);
    const byId = {};
    overdue.items.concat(escalated.items).forEach(function (item) {
      byId[item.case_id] = Object.assign({ days_overdue: item.overdue && item.due_at ? MQ.daysOverdue(item.due_at) : 0 }, item);
    });
    const items = Object.values(byId).sort(severity);
    const list = MQ.clear($("attention-list"));
    if (!items.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("dashboard.none") }));
    items.slice(0, LIST_SIZE).forEach(function (item) { list.append(attentionItem(item)); });
    const more = Math.max(items.length, overdue.total, escalated.total) - Math.min(items.length, LIST_SIZE);
    if (more > 0) {
      list.append(MQ.el("li", { class: "hint" }, MQ.t("dashboard.more", { n: more }), " ",
        casesLink({ overdue: "true" }, MQ.t("dashboard.all_overdue")), " · ", casesLink({ escalated: "true" }, MQ.t("dashboard.all_escalated"))));
    }
  }

  function fill(listId, items, render) {
    const list = MQ.clear($(listId));
    if (!items.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("dashboard.none") }));
    items.forEach(function (item) { list.append(render(item)); });
  }

  async function section(listId, loader) {
    try { await loader(); }
    catch (error) {
      MQ.clear($(listId)).append(MQ.el("li", { class: "hint", text: error.status === 403 ? MQ.t("error.role") : error.message }));
    }
  }

  /* The case a request is about: its code, summary and running deadline. */
  async function caseOf(caseId) {
    try { return await MQ.api("/api/v1/cases/" + encodeURIComponent(caseId)); } catch (error) { return null; }
  }

  function caseLines(c) {
    if (!c) return [MQ.el("p", { class: "hint", text: MQ.t("case.not_found") })];
    return [MQ.el("p", null, MQ.el("a", { href: "/ui/cases/" + c.case_id, text: c.tracking_code }), " ",
        MQ.villageName(dir, c.village_code), " · ", c.summary),
      MQ.el("p", { class: "meta" }, MQ.statusBadge(c.status), " ", c.due_at ? MQ.deadlineLine(c) + " · " : "",
        c.due_at ? MQ.when(c.due_at) : "")];
  }

  async function decide(request, approve, note, item) {
    try {
      await MQ.api("/api/v1/extension-requests/" + request.id + "/decision", { method: "POST", body: { approve: approve, note: note || "" } });
      MQ.announce(message, MQ.t(approve ? "extension.approved" : "extension.refused"), "ok");
      loadLists();
    } catch (error) { MQ.say(message, error.message, "error"); if (item) item.querySelectorAll("button").forEach(function (b) { b.disabled = false; }); }
  }

  function extensionItem(entry) {
    const request = entry.request;
    const id = "ext-" + request.id;
    const refuse = MQ.el("form", { class: "refusal", hidden: true, novalidate: true },
      MQ.el("label", { for: id + "-note", text: MQ.t("extension.refuse.reason") }),
      MQ.el("textarea", { id: id + "-note", name: "note", rows: "2", maxlength: "4000", required: true }),
      MQ.el("button", { type: "submit", class: "secondary", text: MQ.t("extension.refuse.confirm") }));
    const item = MQ.el("li", { class: "request", "data-request": request.id },
      MQ.el("p", null, MQ.el("strong", { text: MQ.t("extension.summary", { days: request.days, who: MQ.cadreName(dir, request.requested_by) }) }),
        " · ", MQ.when(request.requested_at)),
      ...caseLines(entry.case),
      MQ.el("p", null, MQ.t("extension.reason"), request.reason),
      MQ.el("div", { class: "buttons" },
        MQ.el("button", { type: "button", text: MQ.t("extension.approve"), onclick: function (event) {
          event.target.disabled = true; decide(request, true, "", item); } }),
        MQ.el("button", { type: "button", class: "secondary", text: MQ.t("extension.refuse"), onclick: function () {
          refuse.hidden = false; refuse.querySelector("textarea").focus(); } })),
      refuse);
    refuse.addEventListener("submit", function (event) {
      event.preventDefault();
      const note = refuse.querySelector("textarea");
      if (MQ.fieldError(note, note.value.trim() ? null : MQ.t("extension.refuse.required"))) { note.focus(); return; }
      refuse.querySelector("button").disabled = true;
      decide(request, false, note.value.trim(), item);
    });
    return item;
  }

  function objectionItem(c) {
    const objected = c.timeline.filter(function (e) { return e.type === "objected"; }).pop() || { data: {} };
    return MQ.el("li", { class: "request", "data-case": c.case_id },
      MQ.el("p", null, MQ.el("strong", { text: MQ.t("objection.summary", { who: MQ.cadreName(dir, objected.actor) }) }),
        " · ", MQ.when(objected.at)),
      ...caseLines(c),
      MQ.el("p", null, MQ.t("objection.reason"), objected.data.reason || "—"),
      MQ.el("p", null, MQ.el("a", { href: "/ui/cases/" + c.case_id + "#action-decide-objection", text: MQ.t("objection.decide") })));
  }

  function alertItem(alert) {
    return MQ.el("li", { class: "alert-item" },
      MQ.el("strong", { text: MQ.t("alert." + alert.kind) }), " ",
      MQ.t("alert.summary", { village: MQ.villageName(dir, alert.village_code), category: MQ.categoryName(dir, alert.category),
        n: alert.petitioners }), " · ", MQ.timeTag(alert.raised_at));
  }

  /* Review (复查) and re-review (复核) requests waiting for a leader's decision. */
  function reviewItem(c) {
    const requested = c.timeline.filter(function (e) { return e.type === "review_requested" || e.type === "re_review_requested"; }).pop() || { data: {} };
    const action = c.status === "under_re_review" ? "decide-re-review" : "decide-review";
    return MQ.el("li", { class: "request", "data-case": c.case_id },
      MQ.el("p", null, MQ.el("strong", { text: MQ.t(c.status === "under_re_review" ? "dashboard.re_review" : "dashboard.review") }),
        " · ", MQ.when(requested.at)),
      ...caseLines(c),
      MQ.el("p", null, MQ.t("dashboard.review.reason"), requested.data.reason || "—"),
      MQ.el("p", null, MQ.el("a", { href: "/ui/cases/" + c.case_id + "#action-" + action, text: MQ.t("dashboard.review.decide") })));
  }

  async function reviews() {
    const [review, reReview] = await Promise.all(["under_review", "under_re_review"].map(function (status) {
      return MQ.api("/api/v1/cases?status=" + status + "&limit=" + LIST_SIZE);
    }));
    const items = reReview.items.concat(review.items).slice(0, LIST_SIZE);
    const cases = (await Promise.all(items.map(function (item) { return caseOf(item.case_id); }))).filter(Boolean);
    fill("review-list", cases, reviewItem);
    const more = review.total + reReview.total - cases.length;
    if (more > 0) $("review-list").append(MQ.el("li", { class: "hint", text: MQ.t("dashboard.more", { n: more }) }));
  }

  /* Only what this caller may use: the lists need the capabilities their API needs. */
  function loadLists() {
    section("attention-list", attention);
    if (MQ.can("decide", who)) section("review-list", reviews);
    if (!MQ.can("see_rates", who)) return;
    section("alert-list", async function () { fill("alert-list", (await MQ.api("/api/v1/alerts?limit=20")).items, alertItem); });
    if (!MQ.can("decide", who)) return;
    section("extension-list", async function () {
      const requests = (await MQ.api("/api/v1/extension-requests")).items;
      const cases = await Promise.all(requests.map(function (r) { return caseOf(r.case_id); }));
      fill("extension-list", requests.map(function (r, i) { return { request: r, case: cases[i] }; }), extensionItem);
    });
    section("objection-list", async function () {
      const found = await MQ.api("/api/v1/cases?status=objected&limit=" + LIST_SIZE);
      const cases = (await Promise.all(found.items.map(function (item) { return caseOf(item.case_id); }))).filter(Boolean);
      fill("objection-list", cases, objectionItem);
      if (found.total > cases.length) $("objection-list").append(MQ.el("li", { class: "hint", text: MQ.t("dashboard.more", { n: found.total - cases.length }) }));
    });
  }

  async function charts() {
    document.querySelectorAll("figure[data-chart]").forEach(async function (figure) {
      try {
        const svg = await MQ.api(figure.dataset.chart + "&lang=" + MQ.lang);
        const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        MQ.clear(figure).append(document.importNode(doc.documentElement, true));
      } catch (error) {
        MQ.clear(figure).append(MQ.el("p", { class: "hint", text: error.status === 403 ? MQ.t("error.role") : error.message }));
      }
    });
  }

  /* The coming 60 days without an official holiday schedule: deadlines there are provisional. */
  async function calendarOutlook() {
    try {
      const found = await MQ.calendarOutlook(who);
      const box = MQ.clear($("calendar-outlook-box"));
      if (found) box.append(MQ.outlookNote(found));
      box.dataset.checked = "true";
    } catch (error) { /* the calendar page says it too */ }
  }

  MQ.directory().then(function (d) {
    dir = d; loadLists(); live(); calendarOutlook();
    if (MQ.can("see_rates", who)) charts();
  }).catch(function (error) { MQ.say(message, error.message, "error"); });
  setInterval(loadLists, 60000);
})();
