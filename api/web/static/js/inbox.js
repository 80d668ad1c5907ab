/* The cadre's inbox, nearest deadline first, and the whereabouts sign (去向牌). */
(function () {
  "use strict";
  const who = MQ.requireLogin(["cadre", "leader", "petition_staff"]);
  const $ = function (id) { return document.getElementById(id); };
  let dir = null;

  function row(item) {
    const state = MQ.deadlineState(item);
    return MQ.el("li", { class: "case-card deadline-" + state.cls, "data-case": item.case_id },
      MQ.el("span", { class: "deadline-badge " + state.cls, text: state.text }),
      MQ.el("a", { class: "case-link", href: "/ui/cases/" + item.case_id },
        MQ.el("strong", { text: item.summary })),
      MQ.el("span", { class: "meta" }, item.tracking_code, " · ", MQ.villageName(dir, item.village_code), " · ",
        MQ.categoryName(dir, item.category), " · ", MQ.statusBadge(item.status),
        item.urgency === "urgent" ? MQ.el("span", { class: "badge urgent", text: MQ.t("urgency.urgent") }) : null,
        item.owner_cadre_id !== who.cadre_id ? MQ.el("span", { class: "badge", text: MQ.t("inbox.backup_for", { name: MQ.cadreName(dir, item.owner_cadre_id) }) }) : null),
      MQ.el("span", { class: "due" }, MQ.t("inbox.due"), " ", MQ.timeTag(item.due_at)));
  }

  async function load() {
    const inbox = await MQ.api("/api/v1/inbox?limit=200");
    $("inbox-count").textContent = MQ.t("inbox.count", { n: inbox.total });
    const list = MQ.clear($("inbox-list"));
    if (!inbox.items.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("inbox.empty") }));
    inbox.items.forEach(function (item) { list.append(row(item)); });
  }

  async function saveWhereabouts() {
    const form = $("whereabouts-form");
    const values = MQ.formValues(form);
    // datetime-local has no zone: the sign is read in the township's time (UTC+8).
    const until = values.until ? values.until + ":00+08:00" : null;
    try {
      await MQ.api("/api/v1/cadres/" + encodeURIComponent(who.cadre_id) + "/whereabouts",
        { method: "PUT", body: { status: values.status, until: until } });
      MQ.say($("whereabouts-message"), MQ.t("whereabouts.saved", { status: MQ.t("whereabouts." + values.status) }), "ok");
    } catch (error) { MQ.say($("whereabouts-message"), error.message, "error"); }
  }

  $("whereabouts-form").addEventListener("change", saveWhereabouts);
  $("whereabouts-form").addEventListener("submit", function (event) { event.preventDefault(); saveWhereabouts(); });

  MQ.directory().then(function (d) {
    dir = d;
    const mine = d.cadre[who.cadre_id];
    const status = mine ? mine.whereabouts : "on_duty";
    const radio = document.querySelector("#whereabouts-form input[value='" + status + "']");
    if (radio) radio.checked = true;
    return load();
  }).catch(function (error) { MQ.say($("inbox-message"), error.message, "error"); });
  setInterval(function () { load().catch(function () {}); }, 30000);
})();
