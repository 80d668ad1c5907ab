/* The cadre's to-do list, nearest deadline first, each with which deadline it is and how long
   is left (a countdown); a search and filter over the loaded cases; the whereabouts sign
   (去向牌) folded away so a phone opens on the cases. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["work_cases"]);
  const $ = function (id) { return document.getElementById(id); };
  let dir = null;
  let items = [];
  let total = 0;

  function words(item) {
    const village = dir.village[item.village_code] || {};
    const category = dir.category[item.category] || {};
    return [item.tracking_code, item.summary, village.name, village.initials, MQ.categoryName(dir, item.category),
      category.initials, MQ.t("status." + item.status)];
  }

  function shown(item, show) {
    if (show === "overdue") return item.overdue;
    if (show === "warning") return item.warning;
    if (show === "assigned") return item.status === "assigned";
    return true;
  }

  function row(item) {
    const state = MQ.deadlineState(item);
    return MQ.el("li", { class: "case-card deadline-" + state.cls, "data-case": item.case_id },
      MQ.el("span", { class: "deadline-badge " + state.cls, text: state.text }), " ",
      MQ.el("span", { class: "due-line", "data-due": item.case_id, text: item.due_at ? MQ.deadlineLine(item) : "" }),
      MQ.el("a", { class: "case-link", href: "/ui/cases/" + item.case_id },
        MQ.el("strong", { text: item.summary })),
      MQ.el("span", { class: "meta" }, item.tracking_code, " · ", MQ.villageName(dir, item.village_code), " · ",
        MQ.categoryName(dir, item.category), " · ", MQ.statusBadge(item.status),
        item.urgency === "urgent" ? MQ.el("span", { class: "badge urgent", text: MQ.t("urgency.urgent") }) : null,
        item.owner_cadre_id !== who.cadre_id ? MQ.el("span", { class: "badge", text: MQ.t("inbox.backup_for", { name: MQ.cadreName(dir, item.owner_cadre_id) }) }) : null),
      item.due_at ? MQ.el("span", { class: "due" }, MQ.t("inbox.due"), " ", MQ.timeTag(item.due_at)) : null);
  }

  function show() {
    const query = $("inbox-search").value, which = $("inbox-show").value;
    const found = items.filter(function (item) { return shown(item, which) && MQ.matches(query, words(item)); });
    const filtered = query.trim() || which !== "all";
    $("inbox-count").textContent = filtered ? MQ.t("inbox.count.filtered", { n: found.length, total: total }) : MQ.t("inbox.count", { n: total });
    const list = MQ.clear($("inbox-list"));
    if (!found.length) list.append(MQ.el("li", { class: "hint", text: MQ.t(filtered ? "search.none" : "inbox.empty") }));
    found.forEach(function (item) { list.append(row(item)); });
  }

  async function load() {
    const inbox = await MQ.api("/api/v1/inbox?limit=200");
    total = inbox.total;
    items = inbox.items;
    show();
  }

  function showWhereabouts(status) {
    $("whereabouts-now").textContent = MQ.t("punct.colon") + MQ.t("whereabouts." + status);
  }

  async function saveWhereabouts() {
    const values = MQ.formValues($("whereabouts-form"));
    // datetime-local has no zone: the sign is read in the township's time (UTC+8).
    const until = values.until ? values.until + ":00+08:00" : null;
    try {
      await MQ.api("/api/v1/cadres/" + encodeURIComponent(who.cadre_id) + "/whereabouts",
        { method: "PUT", body: { status: values.status, until: until } });
      showWhereabouts(values.status);
      MQ.announce($("whereabouts-message"), MQ.t("whereabouts.saved", { status: MQ.t("whereabouts." + values.status) }), "ok");
    } catch (error) { MQ.announce($("whereabouts-message"), error.message, "error"); }
  }

  $("whereabouts-form").addEventListener("change", saveWhereabouts);
  $("whereabouts-form").addEventListener("submit", function (event) { event.preventDefault(); saveWhereabouts(); });
  $("inbox-filter").addEventListener("submit", function (event) { event.preventDefault(); });
  $("inbox-search").addEventListener("input", show);
  $("inbox-show").addEventListener("change", show);

  MQ.directory().then(function (d) {
    dir = d;
    const mine = d.cadre[who.cadre_id];
    const status = mine ? mine.whereabouts : "on_duty";
    const radio = document.querySelector("#whereabouts-form input[value='" + status + "']");
    if (radio) radio.checked = true;
    showWhereabouts(status);
    return load();
  }).catch(function (error) { MQ.say($("inbox-message"), error.message, "error"); });
  setInterval(function () { load().catch(function () {}); }, 60000);
})();
