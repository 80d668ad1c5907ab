/* The Monday/Thursday joint meeting, run from its report: what came in since the last
   meeting, what needs the meeting now, and its decisions (督办) — recorded here, worked by
   their owners, closed by a leader, and listed in every report until closed. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["work_cases", "administer"]);
  const el = MQ.el, t = MQ.t, $ = function (id) { return document.getElementById(id); };
  const TOTALS = ["new", "diary_entries", "resolved_on_spot", "warnings", "due_before_next", "overdue", "escalated",
    "supervision_open", "supervision_overdue"];
  const VILLAGE_KEYS = ["new", "diary_entries", "resolved_on_spot", "warnings", "due_before_next", "overdue",
    "escalated"];
  let dir = null;

  function path() {
    return MQR.withQuery("/api/v1/reports/meeting", { since: $("since").value, until: $("until").value });
  }

  function caseLink(c) { return el("a", { href: "/ui/cases/" + c.case_id, text: c.tracking_code }); }

  function cases(id, title, list, withSummary) {
    const columns = [t("reports.col.tracking_code"), t("field.village"), t("reports.col.category")]
      .concat(withSummary ? [t("reports.col.summary"), t("reports.col.raised")] : [t("reports.col.due")])
      .concat([t("reports.col.owner"), t("reports.col.level")]);
    const rows = list.map(function (c) {
      const cells = [caseLink(c), MQR.village(dir, c.village_code), MQR.category(dir, c.category)]
        .concat(withSummary ? [c.summary, MQR.moment(c.occurred_at)] : [MQR.moment(c.due_at)])
        .concat([MQR.person(dir, c.owner_cadre_id), c.escalation_level || ""]);
      return MQR.row(cells);
    });
    return MQR.section(id, title + " (" + list.length + ")", MQR.table(null, columns, rows));
  }

  function byVillage(report) {
    const rows = report.villages.map(function (v) {
      return el("tr", null, el("th", { scope: "row", text: MQR.village(dir, v.village_code) }),
        ...VILLAGE_KEYS.map(function (k) { return el("td", { class: k === "overdue" && v[k] ? "num hot" : "num", text: v[k] }); }));
    });
    const total = el("tr", { class: "total" }, el("th", { scope: "row", text: t("report.total") }),
      ...VILLAGE_KEYS.map(function (k) { return el("td", { class: "num", text: report.totals[k] }); }));
    const columns = [t("field.village")].concat(VILLAGE_KEYS.map(function (k) { return t("reports.total." + k); }));
    return MQR.section("by-village", t("report.by_village"),
      MQR.table(null, columns, rows.concat([total]), { id: "report-table" }));
  }

  function itemStatus(item) {
    const badge = el("span", { class: "badge item-" + item.status, text: t("reports.item_status." + item.status) });
    return el("td", null, badge, item.overdue ? el("span", { class: "badge urgent", text: t("reports.item.late") }) : null,
      item.escalation_level ? el("span", { class: "badge", text: t("reports.item.escalated_to",
        { name: MQR.person(dir, item.escalated_to_cadre_id) }) }) : null);
  }

  function decisions(report) {
    const columns = [t("reports.item.title"), t("reports.col.owner"), t("reports.item.due_on"), t("reports.item.status"),
      t("reports.item.latest"), t("reports.item.next")];
    const rows = report.supervision.map(function (s) {
      return MQR.row([el("td", null, s.title, s.origin === "top_issue"
          ? el("span", { class: "badge", text: t("reports.item.origin.top_issue") }) : null),
        MQR.person(dir, s.owner_cadre_id), MQR.day(s.due_on), itemStatus(s), s.latest_note || "",
        el("td", null, MQR.itemActions(s, who, load, $("report-message")))], { "data-item": s.item_id });
    });
    return MQR.section("decisions", t("reports.meeting.decisions"), MQR.table(null, columns, rows,
      { id: "decisions-table" }));
  }

  function diary(report) {
    const rows = report.diary_entries.map(function (d) {
      const said = [d.problems, d.difficulties, d.hopes].filter(Boolean).join("；");
      const outcome = d.resolved_on_spot ? t("reports.diary.on_spot") + "：" + (d.resolution || "")
        : (d.tracking_code ? t("reports.diary.became_case", { code: d.tracking_code }) : "");
      return MQR.row([MQR.village(dir, d.village_code), MQR.person(dir, d.author_cadre_id), d.household,
        MQR.category(dir, d.category), said, outcome]);
    });
    return MQR.section("diary", t("reports.meeting.diary"), MQR.table(null, [t("field.village"),
      t("reports.col.author"), t("reports.col.household"), t("reports.col.category"), t("reports.col.content"),
      t("reports.col.outcome")], rows));
  }

  function warnings(report) {
    const rows = report.warnings.map(function (w) {
      return MQR.row([MQR.village(dir, w.village_code), MQR.category(dir, w.category), w.petitioners,
        MQR.moment(w.raised_at), MQR.person(dir, w.leader_cadre_id)]);
    });
    return MQR.section("warnings", t("reports.meeting.warnings"), MQR.table(null, [t("field.village"),
      t("reports.col.category"), t("reports.col.residents"), t("reports.col.raised"), t("reports.col.leader")], rows));
  }

  function topCategories(report) {
    return MQR.section("top-categories", t("report.top_categories"), report.top_categories.length
      ? el("ol", null, ...report.top_categories.map(function (c) {
          return el("li", { text: MQR.category(dir, c.category) + " · " + t("report.cases", { n: c.count }) }); }))
      : el("p", { class: "hint", text: t("reports.none") }));
  }

  function render(report) {
    if (!$("since").value) $("since").value = report.since.slice(0, 10);  // Beijing: the offset is +08:00
    const box = MQ.clear($("report"));
    box.append(
      el("h2", { text: t("report.heading", { township: report.township, date: MQ.day(report.meeting_day) }) }),
      el("p", { text: t("reports.meeting.period", { since: MQR.moment(report.since), until: MQR.moment(report.until),
        next: MQ.day(report.next_meeting_day) }) }),
      MQR.tiles(TOTALS.map(function (k) {
        return [t("reports.total." + k), report.totals[k], (k === "overdue" || k === "supervision_overdue")
          && report.totals[k] > 0];
      })),
      decisions(report),
      cases("overdue", t("reports.meeting.overdue"), report.overdue, false),
      cases("due-next", t("reports.meeting.due_next"), report.due_before_next, false),
      cases("escalated", t("reports.meeting.escalated"), report.escalated, false),
      byVillage(report),
      cases("new-cases", t("reports.meeting.new_cases"), report.new_cases, true),
      diary(report), warnings(report), topCategories(report),
      el("p", { class: "signature", text: t("report.signature") }));
  }

  const load = MQR.reportPage({ path: path, render: render });

  function decisionForm() {
    if (!MQR.canDecide(who)) return;
    $("decision-card").hidden = false;
    MQR.options($("decision-owner"), MQR.owners(dir), function (c) { return c.cadre_id; },
      function (c) { return c.name + " · " + MQ.postsName(c.posts); });
    MQR.options($("decision-village"), dir.villages, function (v) { return v.code; }, function (v) { return v.name; });
    $("decision-form").addEventListener("submit", async function (event) {
      event.preventDefault();
      const values = MQ.formValues(event.target);
      if (!values.title || !values.due_on) { MQ.say($("decision-message"), t("reports.decision.missing"), "error"); return; }
      try {
        await MQR.call("/api/v1/supervision-items", { method: "POST", body: { title: values.title,
          owner_cadre_id: values.owner_cadre_id, due_on: values.due_on, village_code: values.village_code || null } });
        event.target.reset();
        MQ.say($("decision-message"), t("reports.decision.recorded"), "ok");
        await load();
      } catch (error) { MQ.say($("decision-message"), error.message, "error"); }
    });
  }

  MQ.directory().then(function (d) { dir = d; decisionForm(); return load(); });
})();
