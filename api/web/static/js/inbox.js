/* The cadre's to-do list, nearest deadline first, each with which deadline it is and how long
   is left (a countdown); a search over the list (names, villages, categories, pinyin
   initials) and on the server (`q`: tracking code, phone, name, words of what was said —
   every case in reach, so a case outside the to-do list is found too); filters, among them
   the cases a callback sent back; the whereabouts sign (去向牌) folded away so a phone opens
   on the cases. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["work_cases"]);
  const $ = function (id) { return document.getElementById(id); };
  let dir = null;
  let items = [];
  let total = 0;
  let searched = null, asked = 0, timer = null;

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
    if (show === "returned") return item.unsatisfied_count > 0;
    return true;
  }

  function row(item) {
    const state = MQ.deadlineState(item);
    const mine = item.owner_cadre_id === who.cadre_id || item.handler_cadre_id === who.cadre_id;
    return MQ.el("li", { class: "case-card deadline-" + state.cls, "data-case": item.case_id },
      MQ.el("span", { class: "deadline-badge " + state.cls, text: state.text }), " ",
      MQ.el("span", { class: "due-line", "data-due": item.case_id, text: item.due_at ? MQ.deadlineLine(item) : "" }),
      MQ.el("a", { class: "case-link", href: "/ui/cases/" + item.case_id },
        MQ.el("strong", { text: item.summary })),
      MQ.el("span", { class: "meta" }, item.tracking_code, " · ", MQ.villageName(dir, item.village_code), " · ",
        MQ.categoryName(dir, item.category), " · ", MQ.statusBadge(item.status),
        item.urgency === "urgent" ? MQ.el("span", { class: "badge urgent", text: MQ.t("urgency.urgent") }) : null,
        item.unsatisfied_count ? MQ.el("span", { class: "badge urgent returned", text: MQ.t("case.returned.count", { n: item.unsatisfied_count }) }) : null,
        item.deadlines_provisional ? MQ.el("span", { class: "badge provisional", text: MQ.t("deadline.provisional") }) : null,
        mine && item.owner_cadre_id !== who.cadre_id ? MQ.el("span", { class: "badge", text: MQ.t("inbox.backup_for", { name: MQ.cadreName(dir, item.owner_cadre_id) }) }) : null,
        !mine ? MQ.el("span", { class: "badge", text: MQ.t("inbox.supervising") }) : null),
      item.due_at ? MQ.el("span", { class: "due" }, MQ.t("inbox.due"), " ", MQ.timeTag(item.due_at)) : null);
  }

  function fill(list, found, empty) {
    MQ.clear(list);
    if (!found.length && empty) list.append(MQ.el("li", { class: "hint", text: MQ.t(empty) }));
    found.forEach(function (item) { list.append(row(item)); });
  }

  function show() {
    const query = $("inbox-search").value.trim(), which = $("inbox-show").value;
    const answered = query && searched && searched.q === query ? searched.items : [];
    const hits = new Set(answered.map(function (item) { return item.case_id; }));
    const found = items.filter(function (item) {
      return shown(item, which) && (!query || hits.has(item.case_id) || MQ.matches(query, words(item)));
    });
    const filtered = query || which !== "all";
    $("inbox-count").textContent = filtered ? MQ.t("inbox.count.filtered", { n: found.length, total: total }) : MQ.t("inbox.count", { n: total });
    fill($("inbox-list"), found, filtered ? "search.none" : "inbox.empty");
    // the server's matches beyond the to-do list: other cases in the reader's reach
    const mine = new Set(items.map(function (item) { return item.case_id; }));
    const others = answered.filter(function (item) { return !mine.has(item.case_id) && shown(item, which); });
    $("inbox-others").hidden = !query;
    $("inbox-others-count").textContent = query && !(searched && searched.q === query) ? MQ.t("cases.count.searching", { n: 0 })
      : MQ.t("inbox.count", { n: others.length });
    fill($("inbox-others-list"), others, query ? "search.none" : null);
  }

  async function search() {
    const query = $("inbox-search").value.trim(), mine = ++asked;
    if (!query) { searched = null; show(); return; }
    try {
      const answer = await MQ.api("/api/v1/cases?" + new URLSearchParams({ q: query, limit: "50" }).toString());
      if (mine === asked) { searched = answer; show(); }
    } catch (error) { if (mine === asked) MQ.say($("inbox-message"), error.message, "error"); }
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
  $("inbox-search").addEventListener("input", function () { show(); clearTimeout(timer); timer = setTimeout(search, 300); });
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
