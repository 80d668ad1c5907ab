/* The month's top issue (每月一题): the candidates, problems spreading across villages and
   rising or recurring first; a leader picks one, names an owner and a deadline, and its
   progress is followed here until it is closed. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["work_cases", "administer"]);
  const el = MQ.el, t = MQ.t, $ = function (id) { return document.getElementById(id); };
  let dir = null, month = null;

  function path() { return MQR.withQuery("/api/v1/reports/topics", { month: $("month").value }); }

  function villages(codes) { return codes.map(function (c) { return MQR.village(dir, c); }).join("、"); }

  function pickForm(topic) {
    const owner = el("select", { name: "owner_cadre_id", "aria-label": t("reports.topics.owner") });
    MQR.options(owner, MQR.owners(dir), function (c) { return c.cadre_id; }, function (c) { return c.name; });
    const due = el("input", { name: "due_on", type: "date", required: true, "aria-label": t("reports.topics.due_on") });
    const form = el("form", { class: "pick no-print inline" }, el("label", { text: t("reports.topics.owner") }), owner,
      el("label", { text: t("reports.topics.due_on") }), due,
      el("button", { type: "submit", text: t("reports.topics.pick") }));
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (!due.value) { MQ.say($("report-message"), t("reports.topics.due_missing"), "error"); return; }
      try {
        await MQR.call("/api/v1/top-issues", { method: "POST", body: { month: month, label: topic.label,
          owner_cadre_id: owner.value, due_on: due.value } });
        await load();
      } catch (error) { MQ.say($("report-message"), error.message, "error"); }
    });
    return form;
  }

  function candidate(topic, n) {
    const badges = [topic.across_villages && "across", topic.rising && "rising",
      topic.recurring_months.length && "recurring"].filter(Boolean);
    return el("li", { class: "card topic", "data-label": topic.label },
      el("h3", null, n + ". " + MQR.topicLabel(dir, topic.label, topic.category), ...badges.map(function (b) {
        return el("span", { class: "badge topic-" + b, text: t("reports.topics." + b) }); })),
      el("p", null, t("reports.topics.cases", { n: topic.count, previous: topic.previous_count }), " · ",
        t("reports.topics.villages", { names: villages(topic.village_codes) })),
      el("p", { class: "keywords" }, ...topic.keywords.map(function (k) { return el("span", { class: "keyword", text: k }); })),
      MQR.canDecide(who) ? pickForm(topic) : null);
  }

  function picks(report) {
    const rows = report.picks.map(function (p) {
      const item = p.item;
      return MQR.row([MQR.topicLabel(dir, p.label, p.category), MQR.person(dir, item.owner_cadre_id), MQR.day(item.due_on),
        el("td", null, el("span", { class: "badge", text: t("reports.item_status." + item.status) }),
          item.overdue ? el("span", { class: "badge urgent", text: t("reports.item.late") }) : null),
        el("td", { class: "left" }, item.latest_note || "", MQR.itemActions(item, who, load, $("report-message")))],
        { "data-pick": p.pick_id });
    });
    return MQR.section("picks", t("reports.topics.picked"), MQR.table(null, [t("reports.topics.issue"),
      t("reports.topics.owner"), t("reports.topics.due_on"), t("reports.item.status"), t("reports.item.latest")], rows,
    { id: "picks-table" }));
  }

  function render(report) {
    month = report.month;
    $("month").value = report.month;
    MQ.clear($("report")).append(
      el("h2", { text: t("reports.topics.heading", { month: report.month }) }),
      el("p", { class: "hint", text: t("reports.topics.rule") }),
      picks(report),
      MQR.section("candidates", t("reports.topics.candidates"), report.items.length
        ? el("ol", { class: "topics", id: "topics-list" }, ...report.items.slice(0, 20).map(function (topic, i) {
            return candidate(topic, i + 1); }))
        : el("p", { class: "hint", text: t("reports.none") })));
  }

  if (!$("month").value) $("month").value = MQR.thisMonth();
  const load = MQR.reportPage({ path: path, render: render });
  MQ.directory().then(function (d) { dir = d; return load(); });
})();
