/* Visiting days: every two-committee member owes 7 days a month visiting households, as
   their diary of people's feelings shows; the shortfalls first, village by village. */
(function () {
  "use strict";
  MQ.requireLogin(["work_cases", "administer"]);
  const el = MQ.el, t = MQ.t, $ = function (id) { return document.getElementById(id); };
  let dir = null, last = null;

  function path() { return MQR.withQuery("/api/v1/reports/visiting-days", { month: $("month").value }); }

  function bar(days, required) {
    const width = Math.min(100, Math.round(100 * days / Math.max(required, 1)));
    return el("span", { class: "days-bar", "aria-hidden": "true" },
      el("span", { class: days >= required ? "days-fill ok" : "days-fill", "data-width": width }));
  }

  function render(report) {
    last = report;
    $("month").value = report.month;
    const shortOnly = $("short-only").checked;
    const items = report.items.filter(function (r) { return !shortOnly || r.shortfall > 0; });
    const rows = items.map(function (r) {
      const days = el("td", null, String(r.days), " ", bar(r.days, r.required));
      return MQR.row([MQR.village(dir, r.village_code), MQR.person(dir, r.cadre_id), days, r.required,
        el("td", { class: r.shortfall ? "num hot" : "num", text: r.shortfall }),
        r.dates.map(function (d) { return d.slice(5); }).join(" ")], { "data-cadre": r.cadre_id });
    });
    const box = MQ.clear($("report"));
    box.append(
      el("h2", { text: t("reports.visiting.heading", { month: report.month }) }),
      el("p", { class: "hint", text: t("reports.visiting.rule", { n: report.required }) }),
      MQR.tiles([[t("reports.visiting.members"), report.members, false],
                 [t("reports.visiting.members_short"), report.members_short, report.members_short > 0]]),
      MQR.table(t("reports.visiting.title"), [t("field.village"), t("reports.col.member"), t("reports.visiting.days"),
        t("reports.visiting.required"), t("reports.visiting.shortfall"), t("reports.visiting.dates")], rows,
      { id: "visiting-table" }));
    box.querySelectorAll(".days-fill").forEach(function (fill) { fill.style.width = fill.dataset.width + "%"; });
  }

  $("short-only").addEventListener("change", function () { if (last) render(last); });
  if (!$("month").value) $("month").value = MQR.thisMonth();
  const load = MQR.reportPage({ path: path, render: render });
  MQ.directory().then(function (d) { dir = d; return load(); });
})();
