/* Every case the caller may see, filtered as the dashboard's counts were (its links lead
   here) and searched as the user types. The search is sent to the server as `q` and applied
   here too until the server answers with the `q` it applied (then its match is trusted:
   it also searches phones, names and details the list does not show). */
(function () {
  "use strict";
  MQ.requireLogin(["read_cases"]);
  const $ = function (id) { return document.getElementById(id); };
  const CLOSED = ["resolved", "closed", "reviewed", "re_reviewed"];
  const PAGE = 200;
  let dir = null;
  let found = { items: [], total: 0 };
  let asked = 0, timer = null;

  function fromUrl() {
    const params = new URLSearchParams(window.location.search);
    $("cases-search").value = params.get("q") || "";
    $("cases-village").value = params.get("village_code") || "";
    const state = params.get("overdue") === "true" ? "overdue" : params.get("escalated") === "true" ? "escalated"
      : params.get("all") === "1" ? "all" : "open";
    $("cases-state").value = state;
  }

  function toUrl() {
    const params = new URLSearchParams();
    const q = $("cases-search").value.trim(), village = $("cases-village").value, state = $("cases-state").value;
    if (q) params.set("q", q);
    if (village) params.set("village_code", village);
    if (state === "overdue") params.set("overdue", "true");
    if (state === "escalated") params.set("escalated", "true");
    if (state === "all") params.set("all", "1");
    history.replaceState(null, "", "?" + params.toString());
  }

  /* Only the filters the list API knows (unknown ones are refused there). */
  function apiQuery() {
    const params = new URLSearchParams({ limit: String(PAGE) });
    const q = $("cases-search").value.trim(), village = $("cases-village").value, state = $("cases-state").value;
    if (q) params.set("q", q);
    if (village) params.set("village_code", village);
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
        item.escalation_level ? MQ.el("span", { class: "badge urgent", text: MQ.t("escalation.level." + item.escalation_level) }) : null));
  }

  function show() {
    const q = $("cases-search").value.trim(), state = $("cases-state").value;
    const serverSearched = q && found.q === q;
    const items = found.items.filter(function (item) {
      return (state !== "open" || CLOSED.indexOf(item.status) < 0) && (serverSearched || MQ.matches(q, words(item)));
    });
    const exact = !q && state !== "open";
    $("cases-count").textContent = exact ? MQ.t("inbox.count", { n: found.total })
      : MQ.t("cases.count.loaded", { n: items.length, loaded: found.items.length });
    const list = MQ.clear($("cases-list"));
    if (!items.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("search.none") }));
    items.forEach(function (item) { list.append(row(item)); });
  }

  async function load() {
    const mine = ++asked;
    toUrl();
    try {
      const answer = await MQ.api(apiQuery());
      if (mine !== asked) return;
      found = answer;
      show();
    } catch (error) { MQ.say($("cases-message"), error.message, "error"); }
  }

  $("cases-filter").addEventListener("submit", function (event) { event.preventDefault(); load(); });
  $("cases-search").addEventListener("input", function () { show(); clearTimeout(timer); timer = setTimeout(load, 400); });
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
