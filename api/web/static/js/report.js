/* The Monday/Thursday joint-meeting report, printable. */
(function () {
  "use strict";
  MQ.requireLogin(["leader", "admin", "petition_staff"]);
  const $ = function (id) { return document.getElementById(id); };
  let dir = null;
  const KEYS = ["new", "closed", "overdue", "escalated"];

  function table(report) {
    const head = MQ.el("tr", null, MQ.el("th", { scope: "col", text: MQ.t("field.village") }),
      ...KEYS.map(function (k) { return MQ.el("th", { scope: "col", text: MQ.t("report." + k) }); }));
    const rows = report.villages.map(function (v) {
      return MQ.el("tr", null, MQ.el("th", { scope: "row", text: v.name }),
        ...KEYS.map(function (k) { return MQ.el("td", { text: v[k] }); }));
    });
    const total = MQ.el("tr", { class: "total" }, MQ.el("th", { scope: "row", text: MQ.t("report.total") }),
      ...KEYS.map(function (k) { return MQ.el("td", { text: report.totals[k] }); }));
    return MQ.el("table", { id: "report-table" }, MQ.el("caption", { text: MQ.t("report.by_village") }),
      MQ.el("thead", null, head), MQ.el("tbody", null, ...rows, total));
  }

  function render(report) {
    const box = MQ.clear($("report"));
    box.append(
      MQ.el("h2", { text: MQ.t("report.heading", { township: report.township, date: MQ.day(report.meeting) }) }),
      MQ.el("p", { text: MQ.t("report.period", { since: MQ.when(report.since), until: MQ.when(report.generated_at) }) }),
      table(report),
      MQ.el("h3", { text: MQ.t("report.top_categories") }),
      report.top_categories.length
        ? MQ.el("ol", null, ...report.top_categories.map(function (c) {
            return MQ.el("li", { text: MQ.categoryName(dir, c.code) + " · " + MQ.t("report.cases", { n: c.count }) }); }))
        : MQ.el("p", { class: "hint", text: MQ.t("dashboard.none") }),
      MQ.el("p", { class: "signature", text: MQ.t("report.signature") }));
  }

  async function load() {
    const since = $("since").value;
    try {
      const report = await MQ.api("/ui/api/report" + (since ? "?since=" + since : ""));
      // the default period starts at the last meeting day: show it in the field
      if (!since) $("since").value = report.since.slice(0, 10);
      render(report);
    } catch (error) { MQ.say($("report-message"), error.message, "error"); }
  }

  $("report-form").addEventListener("submit", function (event) { event.preventDefault(); load(); });
  $("print").addEventListener("click", function () { window.print(); });
  MQ.directory().then(function (d) { dir = d; return load(); });
})();
