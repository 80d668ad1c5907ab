/* The petitioner's page: status and replies by tracking code, no login, nobody's personal data. */
(function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  const who = MQ.me();
  if (who && sessionStorage.getItem("minqing.token")) {
    document.querySelectorAll("[data-roles]").forEach(function (item) {
      item.hidden = item.dataset.roles.split(" ").indexOf(who.role) < 0;
    });
  }

  function categoryName(code) { const key = "category." + code; const text = MQ.t(key); return text === key ? code : text; }

  function render(c) {
    const box = MQ.clear($("track-result"));
    box.hidden = false;
    box.append(MQ.el("h2", { text: MQ.t("track.case", { code: c.tracking_code }) }),
      MQ.el("dl", { class: "facts" },
        MQ.el("dt", { text: MQ.t("case.status") }), MQ.el("dd", null, MQ.el("span", { id: "track-status", class: "badge status-" + c.status, text: MQ.t("status." + c.status) })),
        MQ.el("dt", { text: MQ.t("field.category") }), MQ.el("dd", { text: categoryName(c.category) }),
        MQ.el("dt", { text: MQ.t("case.received") }), MQ.el("dd", null, MQ.timeTag(c.received_at)),
        MQ.el("dt", { text: MQ.t("track.updated") }), MQ.el("dd", null, MQ.timeTag(c.updated_at)),
        MQ.el("dt", { text: MQ.t("track.due") }), MQ.el("dd", null, c.closed ? MQ.t("track.closed") : MQ.timeTag(c.due_at))),
      MQ.el("h3", { text: MQ.t("track.replies") }),
      c.replies.length ? MQ.el("ol", { class: "replies" }, ...c.replies.map(function (r) {
        return MQ.el("li", null, MQ.timeTag(r.at), MQ.el("p", { text: r.text })); }))
        : MQ.el("p", { class: "hint", text: MQ.t("track.no_replies") }));
  }

  async function look(code) {
    $("track-message").hidden = true;
    try { render(await MQ.api("/api/v1/track/" + encodeURIComponent(code), { anonymous: true })); }
    catch (error) {
      $("track-result").hidden = true;
      MQ.say($("track-message"), error.status === 404 || error.status === 422 ? MQ.t("track.unknown") : error.message, "error");
    }
  }

  $("track-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const code = $("tracking-code").value.trim().toUpperCase();
    if (!/^[0-9A-Z]{4,16}$/.test(code)) { MQ.say($("track-message"), MQ.t("track.unknown"), "error"); return; }
    history.replaceState(null, "", "?code=" + code);
    look(code);
  });
  const initial = new URLSearchParams(window.location.search).get("code");
  if (initial) { $("tracking-code").value = initial; look(initial); }
})();
