/* The admin's delivery log: every push delivery with each attempt, newest first; re-send what
   gave up (or must go again); the dead letters; and any cadre's notification preferences. */
(function () {
  "use strict";
  MQ.requireLogin(["administer"]);
  const $ = function (id) { return document.getElementById(id); };
  const PAGE = 100;
  const message = $("deliveries-message");
  let dir = null, shown = 0;

  function recipient(d) {
    if (d.audience === "petitioner") return MQ.t("deliveries.petitioner");
    return d.recipient_cadre_id ? MQ.cadreName(dir, d.recipient_cadre_id) : "—";
  }

  function attempts(d) {
    if (!d.attempt_log.length) return MQ.el("span", { class: "hint", text: MQ.t("deliveries.no_attempts") });
    const rows = d.attempt_log.map(function (a) {
      return MQ.el("tr", null, MQ.el("td", { text: MQ.t("deliveries.attempt", { n: a.attempt }) }),
        MQ.el("td", null, MQ.timeTag(a.started_at)), MQ.el("td", null, a.finished_at ? MQ.timeTag(a.finished_at) : "—"),
        MQ.el("td", { class: "delivery-" + (a.outcome === "gave_up" ? "dead" : a.outcome || "pending"),
          text: MQ.t("deliveries.outcome." + (a.outcome || "unfinished")) }),
        MQ.el("td", { class: "error", text: a.error || "" }));
    });
    return MQ.el("details", null, MQ.el("summary", { text: MQ.t("deliveries.attempt_log", { n: d.attempt_log.length }) }),
      MQ.el("table", null, MQ.el("tbody", null, ...rows)));
  }

  function row(d) {
    const about = d.case_id
      ? MQ.el("a", { href: "/ui/cases/" + encodeURIComponent(d.case_id), text: d.tracking_code || d.case_id }) : null;
    const actions = MQ.el("td");
    if (d.status === "dead" || d.status === "sent") {
      actions.append(MQ.el("button", { type: "button", class: "secondary resend", text: MQ.t("deliveries.resend"),
        onclick: function () { resend(d); } }));
    }
    return MQ.el("tr", { "data-delivery": d.id, "data-status": d.status },
      MQ.el("td", null, MQ.timeTag(d.created_at)),
      MQ.el("td", null, MQ.t("deliveries.channel." + d.channel), d.address ? MQ.el("div", { class: "meta", text: d.address }) : null),
      MQ.el("td", { text: recipient(d) }),
      MQ.el("td", null, d.kind ? MQ.t("notify.kind." + d.kind) : "—", about ? MQ.el("div", null, about) : null),
      MQ.el("td", { class: "delivery-" + d.status, text: MQ.t("deliveries.status." + d.status) }),
      MQ.el("td", null, String(d.attempts), attempts(d)),
      MQ.el("td", { class: "error", text: d.last_error || "" }),
      actions);
  }

  function query(offset) {
    const values = MQ.formValues($("deliveries-filter"));
    const params = new URLSearchParams({ limit: PAGE, offset: offset });
    ["status", "channel", "notification_id"].forEach(function (name) { if (values[name]) params.set(name, values[name]); });
    return "/api/v1/admin/deliveries?" + params.toString();
  }

  async function load(more) {
    const page = await MQ.api(query(more ? shown : 0));
    const body = $("deliveries").tBodies[0];
    if (!more) { MQ.clear(body); shown = 0; }
    page.items.forEach(function (d) { body.append(row(d)); });
    shown += page.items.length;
    if (!shown) body.append(MQ.el("tr", null, MQ.el("td", { colspan: 8, class: "hint", text: MQ.t("deliveries.none") })));
    $("deliveries-more").hidden = page.items.length < PAGE;
  }

  async function loadDeadLetters() {
    const letters = await MQ.api("/api/v1/admin/notification-dead-letters?limit=100");
    const list = MQ.clear($("dead-letters"));
    if (!letters.items.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("deliveries.no_dead_letters") }));
    letters.items.forEach(function (x) {
      list.append(MQ.el("li", null, MQ.timeTag(x.dead_at), " · ", MQ.t("deliveries.channel." + x.channel), " · ",
        MQ.t("deliveries.dead_after", { n: x.attempts }), " · ", MQ.el("span", { class: "error", text: x.error })));
    });
    $("resend-all").disabled = !letters.items.length;
  }

  function refresh() {
    return Promise.all([load(), loadDeadLetters()]).catch(function (error) { MQ.say(message, error.message, "error"); });
  }

  async function resend(d) {
    try {
      await MQ.api("/api/v1/admin/deliveries/" + d.id + "/resend", { method: "POST" });
      MQ.say(message, MQ.t("deliveries.resent", { channel: MQ.t("deliveries.channel." + d.channel) }), "ok");
      refresh();
    } catch (error) { MQ.say(message, error.message, "error"); }
  }

  $("deliveries-filter").addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  $("deliveries-more").addEventListener("click", function () { load(true).catch(function () {}); });
  $("resend-all").addEventListener("click", async function () {
    try {
      const answer = await MQ.api("/api/v1/admin/notification-dead-letters/resend", { method: "POST" });
      MQ.say(message, MQ.t("deliveries.resent_all", { n: answer.resent }), "ok");
      refresh();
    } catch (error) { MQ.say(message, error.message, "error"); }
  });

  const prefs = MQPrefs(null);
  const picker = $("prefs-cadre");
  function pick() { prefs.load("/api/v1/cadres/" + encodeURIComponent(picker.value) + "/notification-preferences"); }
  picker.addEventListener("change", pick);

  MQ.directory().then(function (d) {
    dir = d;
    d.cadres.forEach(function (c) {
      picker.append(MQ.el("option", { value: c.cadre_id, text: c.name + " (" + c.cadre_id + ") · " + MQ.postsName(c.posts) }));
    });
    if (d.cadres.length) pick();
    return refresh();
  }).catch(function (error) { MQ.say(message, error.message, "error"); });
})();
