/* The leader's dashboard: live counts by village (server-sent events read through fetch, so
   the token stays in a header; polling when the stream is unavailable), the lists a leader
   acts on, and the server-drawn SVG charts. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["leader", "admin"]);
  const $ = function (id) { return document.getElementById(id); };
  const message = $("dashboard-message");
  const POLL_MS = 10000;
  const LIST_SIZE = 8;
  let dir = null;

  function showCounts(counts) {
    ["open", "overdue", "escalated"].forEach(function (k) { $("total-" + k).textContent = counts.totals[k]; });
    const body = MQ.clear(document.querySelector("#village-counts tbody"));
    counts.villages.forEach(function (v) {
      body.append(MQ.el("tr", { "data-village": v.village_code },
        MQ.el("th", { scope: "row", text: v.name }),
        MQ.el("td", { class: "n-open", text: v.open }),
        MQ.el("td", { class: "n-overdue" + (v.overdue ? " hot" : ""), text: v.overdue }),
        MQ.el("td", { class: "n-escalated" + (v.escalated ? " hot" : ""), text: v.escalated })));
    });
    $("dashboard-message").hidden = true;
  }

  function liveState(key) { $("live-state").textContent = MQ.t(key); $("live-state").dataset.state = key; }

  async function stream() {
    const response = await fetch("/ui/api/live", { headers: { "Authorization": "Bearer " + sessionStorage.getItem("minqing.token"),
      "Accept": "text/event-stream" } });
    if (!response.ok || !response.body) throw new Error("stream " + response.status);
    liveState("live.on");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split("\n").filter(function (l) { return l.startsWith("data:"); })
          .map(function (l) { return l.slice(5).trim(); }).join("\n");
        if (block.includes("event: counts") && data) showCounts(JSON.parse(data));
      }
    }
  }

  async function poll() {
    liveState("live.polling");
    for (;;) {
      try { showCounts(await MQ.api("/ui/api/village-counts")); } catch (error) { liveState("live.off"); }
      await new Promise(function (resolve) { setTimeout(resolve, POLL_MS); });
    }
  }

  async function live() {
    for (let attempt = 0; attempt < 3; attempt++) {
      try { await stream(); attempt = -1; } catch (error) { liveState("live.reconnecting"); }
      await new Promise(function (resolve) { setTimeout(resolve, 2000); });
    }
    poll();
  }

  function caseItem(item) {
    const state = MQ.deadlineState(item);
    return MQ.el("li", { class: "deadline-" + state.cls },
      MQ.el("a", { href: "/ui/cases/" + item.case_id, text: item.tracking_code }), " ",
      MQ.el("span", { class: "deadline-badge " + state.cls, text: state.text }), " ",
      MQ.villageName(dir, item.village_code), " · ", item.summary, " · ",
      item.escalation_level ? MQ.t("escalation.level." + item.escalation_level) : MQ.cadreName(dir, item.owner_cadre_id));
  }

  function fill(listId, items, render, total) {
    const list = MQ.clear($(listId));
    if (!items.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("dashboard.none") }));
    items.forEach(function (item) { list.append(render(item)); });
    if (total > items.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("dashboard.more", { n: total - items.length }) }));
  }

  async function section(listId, loader) {
    try { await loader(); }
    catch (error) {
      MQ.clear($(listId)).append(MQ.el("li", { class: "hint", text: error.status === 403 ? MQ.t("error.role") : error.message }));
    }
  }

  async function decide(request, approve) {
    try {
      await MQ.api("/api/v1/extension-requests/" + request.id + "/decision", { method: "POST", body: { approve: approve, note: "" } });
      MQ.say(message, MQ.t(approve ? "extension.approved" : "extension.refused"), "ok");
      loadLists();
    } catch (error) { MQ.say(message, error.message, "error"); }
  }

  function extensionItem(request) {
    return MQ.el("li", null,
      MQ.el("a", { href: "/ui/cases/" + request.case_id, text: MQ.t("extension.summary",
        { days: request.days, who: MQ.cadreName(dir, request.requested_by) }) }),
      MQ.el("p", { text: request.reason }),
      MQ.el("button", { type: "button", text: MQ.t("extension.approve"), onclick: function () { decide(request, true); } }), " ",
      MQ.el("button", { type: "button", class: "secondary", text: MQ.t("extension.refuse"), onclick: function () { decide(request, false); } }));
  }

  function alertItem(alert) {
    return MQ.el("li", { class: "alert-item" },
      MQ.el("strong", { text: MQ.t("alert." + alert.kind) }), " ",
      MQ.t("alert.summary", { village: MQ.villageName(dir, alert.village_code), category: MQ.categoryName(dir, alert.category),
        n: alert.petitioners }), " · ", MQ.timeTag(alert.raised_at));
  }

  function loadLists() {
    section("escalated-list", async function () {
      const found = await MQ.api("/api/v1/cases?escalated=true&limit=" + LIST_SIZE);
      fill("escalated-list", found.items, caseItem, found.total);
    });
    section("overdue-list", async function () {
      const found = await MQ.api("/api/v1/cases?overdue=true&limit=" + LIST_SIZE);
      fill("overdue-list", found.items, caseItem, found.total);
    });
    section("alert-list", async function () { fill("alert-list", (await MQ.api("/api/v1/alerts?limit=20")).items, alertItem); });
    section("extension-list", async function () { fill("extension-list", (await MQ.api("/api/v1/extension-requests")).items, extensionItem); });
    section("objection-list", async function () {
      const found = await MQ.api("/api/v1/cases?status=objected&limit=" + LIST_SIZE);
      fill("objection-list", found.items, caseItem, found.total);
    });
  }

  async function charts() {
    document.querySelectorAll("figure[data-chart]").forEach(async function (figure) {
      try {
        const svg = await MQ.api(figure.dataset.chart + "&lang=" + MQ.lang);
        const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        MQ.clear(figure).append(document.importNode(doc.documentElement, true));
      } catch (error) {
        MQ.clear(figure).append(MQ.el("p", { class: "hint", text: error.status === 403 ? MQ.t("error.role") : error.message }));
      }
    });
  }

  MQ.directory().then(function (d) { dir = d; loadLists(); charts(); live(); })
    .catch(function (error) { MQ.say(message, error.message, "error"); });
  setInterval(loadLists, 60000);
  void who;
})();
