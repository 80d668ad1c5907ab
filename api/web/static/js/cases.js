/* Every case the caller may see, filtered as the dashboard's counts were (its links lead
   here) and searched as the user types. The search goes to the server as `q` (tracking
   code, phone, name, words of the summary and details, over every page in reach); the names
   the server does not search — villages, categories, owners and their pinyin initials — are
   matched here over the list the filters load, and both are shown. */
(function () {
  "use strict";
  MQ.requireLogin(["read_cases"]);
  const $ = function (id) { return document.getElementById(id); };
  const PAGE = 200;
  let dir = null;
  let base = { items: [], total: 0 }, baseQuery = null;   // the filters without the search
  let searched = null;                                      // the server's answer to `q`
  let asked = 0, timer = null;

  function fromUrl() {
    const params = new URLSearchParams(window.location.search);
    $("cases-search").value = params.get("q") || "";
    $("cases-village").value = params.get("village_code") || "";
    const state = params.get("overdue") === "true" ? "overdue" : params.get("escalated") === "true" ? "escalated"
      : params.get("returned") === "1" ? "returned" : params.get("all") === "1" ? "all" : "open";
    $("cases-state").value = state;
  }

  function toUrl() {
    const params = new URLSearchParams();
    const q = $("cases-search").value.trim(), village = $("cases-village").value, state = $("cases-state").value;
    if (q) params.set("q", q);
    if (village) params.set("village_code", village);
    if (state === "overdue") params.set("overdue", "true");
    if (state === "escalated") params.set("escalated", "true");
    if (state === "returned") params.set("returned", "1");
    if (state === "all") params.set("all", "1");
    history.replaceState(null, "", "?" + params.toString());
  }

  /* Only the filters the list API knows (unknown ones are refused there). */
  function apiQuery(withSearch) {
    const params = new URLSearchParams({ limit: String(PAGE) });
    const q = $("cases-search").value.trim(), village = $("cases-village").value, state = $("cases-state").value;
    if (withSearch) params.set("q", q);
    if (village) params.set("village_code", village);
    if (state === "open" || state === "returned") params.set("open", "true");
    if (state === "returned") params.set("sent_back", "true");
    if (state === "overdue") params.set("overdue", "true");
    if (state === "escalated") params.set("escalated", "true");
    return "/api/v1/cases?" + params.toString();
  }

  function words(item) {
    const village = dir.village[item.village_code] || {};
    const category = dir.category[item.category] || {};
    const owner = dir.cadre[item.owner_cadre_id] || {};
    return [item.tracking_code, item.summary, village.name, village.initials, MQ.categoryName(dir, item.category),
      category.initials, owner.name, owner.initials, MQ.t("status." + item.status)];
  }

  function row(item) {
    const state = MQ.deadlineState(item);
    return MQ.el("li", { class: "case-card deadline-" + state.cls, "data-case": item.case_id },
      MQ.el("span", { class: "deadline-badge " + state.cls, text: state.text }), " ",
      MQ.el("span", { class: "due-line", text: item.due_at ? MQ.deadlineLine(item) : "" }),
      MQ.el("a", { class: "case-link", href: "/ui/cases/" + item.case_id }, MQ.el("strong", { text: item.summary })),
      MQ.el("span", { class: "meta" }, item.tracking_code, " · ", MQ.villageName(dir, item.village_code), " · ",
        MQ.categoryName(dir, item.category), " · ", MQ.statusBadge(item.status), " · ",
        MQ.t("case.owner"), " ", MQ.cadreName(dir, item.owner_cadre_id),
        item.escalation_level ? MQ.el("span", { class: "badge urgent", text: MQ.t("escalation.level." + item.escalation_level) }) : null,
        item.unsatisfied_count ? MQ.el("span", { class: "badge urgent returned", text: MQ.t("case.returned.count", { n: item.unsatisfied_count }) }) : null,
        item.deadlines_provisional ? MQ.el("span", { class: "badge provisional", text: MQ.t("deadline.provisional") }) : null));
  }

  /* The server's matches first, then what only the names here match. */
  function found(q) {
    if (!q) return base.items;
    const server = searched && searched.q === q ? searched.items : [];
    const ids = new Set(server.map(function (item) { return item.case_id; }));
    return server.concat(base.items.filter(function (item) { return !ids.has(item.case_id) && MQ.matches(q, words(item)); }));
  }

  function show() {
    const q = $("cases-search").value.trim(), state = $("cases-state").value;
    const items = found(q).filter(function (item) { return state !== "returned" || item.unsatisfied_count > 0; });
    let count;
    if (q) {
      const waiting = !(searched && searched.q === q);
      const more = !waiting && searched.total > searched.items.length;
      count = waiting ? MQ.t("cases.count.searching") : more
        ? MQ.t("cases.count.found_first", { total: searched.total + items.length - searched.items.length, n: items.length })
        : MQ.t("cases.count.found", { n: items.length });
    } else {
      count = base.total > base.items.length ? MQ.t("cases.count.first", { n: base.items.length, total: base.total })
        : MQ.t("inbox.count", { n: base.total });
    }
    $("cases-count").textContent = count;
    const list = MQ.clear($("cases-list"));
    if (!items.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("search.none") }));
    items.forEach(function (item) { list.append(row(item)); });
  }

  async function load() {
    const mine = ++asked;
    $("cases-list").setAttribute("aria-busy", "true");  // screen readers wait; so can a test
    toUrl();
    const q = $("cases-search").value.trim();
    try {
      const wanted = apiQuery(false);
      const [filtered, answer] = await Promise.all([wanted === baseQuery ? base : MQ.api(wanted),
        q ? MQ.api(apiQuery(true)) : null]);
      if (mine !== asked) return;
      base = filtered; baseQuery = wanted; searched = answer;
      $("cases-message").hidden = true;
      show();
    } catch (error) { if (mine === asked) MQ.say($("cases-message"), error.message, "error"); }
    if (mine === asked) $("cases-list").setAttribute("aria-busy", "false");
  }

  $("cases-filter").addEventListener("submit", function (event) { event.preventDefault(); load(); });
  $("cases-search").addEventListener("input", function () { show(); clearTimeout(timer); timer = setTimeout(load, 300); });
  $("cases-village").addEventListener("change", load);
  $("cases-state").addEventListener("change", load);

  MQ.directory().then(function (d) {
    dir = d;
    d.villages.forEach(function (v) { $("cases-village").append(MQ.option(v.code, v.name, v.initials)); });
    MQ.typeahead($("cases-village"));
    fromUrl();
    return load();
  }).catch(function (error) { MQ.say($("cases-message"), error.message, "error"); });
})();
