/* The petitioner's page: status, progress steps and replies by tracking code, no login,
   nobody's personal data. A code read out over the phone may come with spaces, dashes or in
   lower case; a failed look-up never leaves an earlier result on screen. */
(function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  const who = MQ.me();
  if (who && sessionStorage.getItem("minqing.token")) MQ.showNeeds(who);
  // FixMyStreet-style steps; each status is at one of them
  const STEPS = ["registered", "accepted", "in_progress", "replied", "resolved"];
  const STEP_OF = { registered: 0, assigned: 0, objected: 0, accepted: 1, in_progress: 2, paused: 2, replied: 3,
    resolved: 4, closed: 4, under_review: 4, reviewed: 4, under_re_review: 4, re_reviewed: 4, not_accepted: 0 };

  function categoryName(code) { const key = "category." + code; const text = MQ.t(key); return text === key ? code : text; }

  function normalise(raw) { return String(raw || "").replace(/[\s\-_.·]/g, "").toUpperCase(); }

  function steps(status) {
    if (STEP_OF[status] === undefined) return null;  // e.g. not accepted: the status says it all
    const at = STEP_OF[status];
    return MQ.el("ol", { class: "steps", id: "track-steps", "aria-label": MQ.t("track.progress") },
      ...STEPS.map(function (step, i) {
        const state = i < at ? "done" : i === at ? "current" : "todo";
        return MQ.el("li", { class: "step step-" + state, "data-step": step, "aria-current": i === at ? "step" : null },
          MQ.t("track.step." + step), state === "todo" ? null : MQ.el("span", { class: "visually-hidden", text: MQ.t("track.step." + state) }));
      }));
  }

  function dueLabel(c) {
    return c.due_stage ? MQ.t("track.due.stage", { stage: MQ.t("due." + c.due_stage) }) : MQ.t("track.due");
  }

  function render(c) {
    const box = MQ.clear($("track-result"));
    box.hidden = false;
    box.append(MQ.el("h2", { text: MQ.t("track.case", { code: c.tracking_code }) }), steps(c.status),
      MQ.el("dl", { class: "facts" },
        MQ.el("dt", { text: MQ.t("case.status") }), MQ.el("dd", null, MQ.el("span", { id: "track-status", class: "badge status-" + c.status, text: MQ.t("status." + c.status) })),
        MQ.el("dt", { text: MQ.t("field.category") }), MQ.el("dd", { text: categoryName(c.category) }),
        MQ.el("dt", { text: MQ.t("track.registered") }), MQ.el("dd", { id: "track-registered" }, MQ.timeTag(c.received_at)),
        MQ.el("dt", { text: MQ.t("track.updated") }), MQ.el("dd", null, MQ.timeTag(c.updated_at)),
        MQ.el("dt", { id: "track-due-label", text: dueLabel(c) }),
        MQ.el("dd", null, c.closed ? MQ.t("track.closed") : c.due_at ? MQ.timeTag(c.due_at) : "—")),
      MQ.el("h3", { text: MQ.t("track.replies") }),
      c.replies.length ? MQ.el("ol", { class: "replies" }, ...c.replies.map(function (r) {
        return MQ.el("li", null, MQ.timeTag(r.at), MQ.el("p", { text: r.text })); }))
        : MQ.el("p", { class: "hint", text: MQ.t("track.no_replies") }));
  }

  function failed(text) {
    MQ.clear($("track-result")).hidden = true;
    MQ.say($("track-message"), text, "error");
  }

  async function look(code) {
    $("track-message").hidden = true;
    MQ.clear($("track-result")).hidden = true;
    try { render(await MQ.api("/api/v1/track/" + encodeURIComponent(code), { anonymous: true })); }
    catch (error) { failed(error.status === 404 || error.status === 422 ? MQ.t("track.unknown") : error.message); }
  }

  $("track-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const code = normalise($("tracking-code").value);
    if (!/^[0-9A-Z]{4,16}$/.test(code)) { failed(MQ.t("track.unknown")); return; }
    history.replaceState(null, "", "?code=" + code);
    look(code);
  });
  const initial = normalise(new URLSearchParams(window.location.search).get("code"));
  if (initial) { $("tracking-code").value = initial; look(initial); }
})();
