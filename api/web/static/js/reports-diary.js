/* The bi-monthly diary summary of a village: what the diaries recorded, grouped by category
   and household; the two committees' proposed solutions; the branch secretary's submission;
   and, for the township, the villages that have not submitted. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["work_cases", "administer"]);
  const el = MQ.el, t = MQ.t, $ = function (id) { return document.getElementById(id); };
  const COMMITTEE = ["party_secretary", "deputy_secretary", "director", "deputy_director", "member"];
  let dir = null;

  function path() {
    return MQR.withQuery("/api/v1/reports/diary-summary", { village: $("village").value,
      period: $("period").value.trim().toUpperCase() });
  }

  function me() { return who.cadre_id ? dir.cadre[who.cadre_id] : null; }
  function isMember(village) {
    const cadre = me();
    return !!cadre && cadre.unit_code === village && cadre.posts.some(function (p) { return COMMITTEE.indexOf(p) >= 0; });
  }
  function isSecretary(village) {
    const cadre = me();
    return !!cadre && cadre.unit_code === village && cadre.posts.indexOf("party_secretary") >= 0;
  }

  function joined(list) { return list.length ? list.join("；") : "—"; }
  function codes(entries) { return entries.map(function (e) { return e.tracking_code || ""; }).join(" "); }

  function proposal(report, group) {
    const written = report.proposals[group.key] || "";
    if (report.status !== "draft" || !isMember(report.village_code)) return written;
    const text = el("textarea", { name: "solution", rows: "2", maxlength: "4000",
      "aria-label": t("reports.diary.proposal_for", { category: MQR.category(dir, group.key) }) });
    text.value = written;
    const form = el("form", { class: "proposal no-print" }, text,
      el("button", { type: "submit", class: "secondary", text: t("reports.diary.save_proposal") }));
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      try {
        await MQR.call("/api/v1/diary-summaries/" + report.village_code + "/" + report.period + "/proposals/" +
          group.key, { method: "PUT", body: { solution: text.value.trim() } });
        await load();
      } catch (error) { MQ.say($("report-message"), error.message, "error"); }
    });
    return el("td", { class: "left" }, form, el("span", { class: "print-only", text: written }));
  }

  function byCategory(report) {
    const rows = report.by_category.map(function (g) {
      return MQR.row([el("td", { class: "left" }, MQR.category(dir, g.key), g.needs_proposal
          ? el("span", { class: "badge urgent", text: t("reports.diary.needs_proposal") }) : null),
        g.entries, g.households.length, joined(g.problems), joined(g.difficulties), joined(g.hopes),
        g.resolved_on_spot.length, codes(g.became_cases), proposal(report, g)], { "data-category": g.key });
    });
    return MQR.section("by-category", t("reports.diary.by_category"), MQR.table(null, [t("reports.col.category"),
      t("reports.diary.entries"), t("reports.diary.households"), t("reports.diary.problems"),
      t("reports.diary.difficulties"), t("reports.diary.hopes"), t("reports.diary.on_spot"),
      t("reports.diary.cases"), t("reports.diary.proposal")], rows, { id: "diary-table" }));
  }

  function byHousehold(report) {
    const rows = report.by_household.map(function (g) {
      return MQR.row([g.key, g.entries, g.categories.map(function (c) { return MQR.category(dir, c); }).join("、"),
        joined(g.problems.concat(g.difficulties, g.hopes)), g.resolved_on_spot.length, codes(g.became_cases)]);
    });
    return MQR.section("by-household", t("reports.diary.by_household"), MQR.table(null, [t("reports.col.household"),
      t("reports.diary.entries"), t("reports.col.category"), t("reports.col.content"), t("reports.diary.on_spot"),
      t("reports.diary.cases")], rows));
  }

  function submission(report) {
    const state = report.submitted_at
      ? t("reports.diary.submitted", { name: MQR.person(dir, report.submitted_by), at: MQR.moment(report.submitted_at) })
      : t("reports.diary.not_submitted", { due: MQR.moment(report.due) });
    const box = MQR.section("submission", t("reports.diary.submission"),
      el("p", null, state, " ", el("span", { class: "badge submission-" + report.submission,
        text: t("reports.diary.status." + report.submission) })));
    if (report.status === "draft" && isSecretary(report.village_code)) {
      const button = el("button", { type: "button", id: "submit-summary", class: "no-print",
        text: t("reports.diary.submit") });
      button.addEventListener("click", async function () {
        try {
          await MQR.call("/api/v1/diary-summaries/" + report.village_code + "/" + report.period + "/submission",
            { method: "POST" });
          await load();
        } catch (error) { MQ.say($("report-message"), error.message, "error"); }
      });
      box.append(button);
    }
    return box;
  }

  function outstanding(report) {
    const rows = report.not_submitted.map(function (o) {
      return MQR.row([MQR.village(dir, o.village_code), el("td", { class: o.status === "missing" ? "hot" : null,
        text: t("reports.diary.status." + o.status) }), MQR.moment(o.due)]);
    });
    return MQR.section("not-submitted", t("reports.diary.outstanding"), MQR.table(null, [t("field.village"),
      t("reports.item.status"), t("reports.diary.due")], rows, { id: "outstanding-table" }));
  }

  function render(report) {
    $("period").value = report.period;
    MQ.clear($("report")).append(
      el("h2", { text: t("reports.diary.heading", { village: MQR.village(dir, report.village_code),
        period: report.period }) }),
      MQR.tiles([[t("reports.diary.entries"), report.entries, false],
                 [t("reports.diary.categories"), report.by_category.length, false]]),
      byCategory(report), submission(report), byHousehold(report), outstanding(report));
  }

  const load = MQR.reportPage({ path: path, render: render });
  MQ.directory().then(function (d) {
    dir = d;
    MQR.options($("village"), d.villages, function (v) { return v.code; }, function (v) { return v.name; });
    const mine = me();
    const led = d.villages.find(function (v) { return v.leader_cadre_id === who.cadre_id; });
    if (mine && d.village[mine.unit_code]) $("village").value = mine.unit_code;
    else if (led) $("village").value = led.code;
    return load();
  });
})();
