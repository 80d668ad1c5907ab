/* Callback queue (回访): cases replied to, waiting for the operator to ask the petitioner. */
(function () {
  "use strict";
  MQ.requireLogin(["operator", "petition_staff"]);
  const message = document.getElementById("callbacks-message");
  let dir = null;

  function lastReply(detail) {
    const replies = detail.timeline.filter(function (e) { return e.type === "replied"; });
    const last = replies[replies.length - 1];
    return last ? (last.data.reply || last.data.text || "") : "";
  }

  async function record(caseId, result, form) {
    const values = MQ.formValues(form);
    if (result === "unreachable" && !values.note) { MQ.say(message, MQ.t("callbacks.note.required"), "error"); return; }
    try {
      const updated = await MQ.api("/api/v1/cases/" + caseId + "/callback", { method: "POST",
        body: { result: result, note: values.note || "", problem_solved: form.querySelector("[name=solved]").checked } });
      MQ.say(message, MQ.t("callbacks.recorded", { code: updated.tracking_code, status: MQ.t("status." + updated.status) }), "ok");
      await load();
    } catch (error) { MQ.say(message, error.message, "error"); }
  }

  async function closeCase(caseId) {
    try {
      const updated = await MQ.api("/api/v1/cases/" + caseId + "/close", { method: "POST", body: {} });
      MQ.say(message, MQ.t("callbacks.closed", { code: updated.tracking_code }), "ok");
      await load();
    } catch (error) { MQ.say(message, error.message, "error"); }
  }

  function callbackItem(detail) {
    const id = "cb-" + detail.case_id;
    const who = detail.petitioner || {};
    const form = MQ.el("form", { class: "callback", "aria-label": MQ.t("callbacks.form", { code: detail.tracking_code }) },
      MQ.el("label", { for: id + "-note", text: MQ.t("callbacks.note") }),
      MQ.el("input", { id: id + "-note", name: "note", maxlength: "4000" }),
      MQ.el("label", { class: "check" }, MQ.el("input", { type: "checkbox", name: "solved", checked: true }), " ", MQ.t("callbacks.solved")));
    const buttons = MQ.el("div", { class: "buttons" });
    ["satisfied", "unsatisfied", "unreachable"].forEach(function (result) {
      buttons.append(MQ.el("button", { type: "button", class: "result-" + result, "data-result": result,
        text: MQ.t("callback." + result), onclick: function () { record(detail.case_id, result, form); } }));
    });
    form.append(buttons);
    return MQ.el("li", { class: "case-card", "data-case": detail.case_id },
      MQ.el("p", null, MQ.el("a", { href: "/ui/cases/" + detail.case_id, text: detail.tracking_code }), " ",
        MQ.villageName(dir, detail.village_code), " · ", MQ.categoryName(dir, detail.category), " · ", detail.summary),
      MQ.el("p", null, MQ.t("case.petitioner"), ": ", who.anonymous ? MQ.t("case.anonymous") : (who.name || "—"), " · ",
        who.phone ? MQ.el("a", { href: "tel:" + who.phone, text: who.phone }) : "—"),
      MQ.el("blockquote", { text: lastReply(detail) }), form);
  }

  function resolvedItem(item) {
    return MQ.el("li", { class: "case-card", "data-case": item.case_id },
      MQ.el("a", { href: "/ui/cases/" + item.case_id, text: item.tracking_code }), " ", MQ.statusBadge(item.status), " ",
      item.summary, " ",
      MQ.el("button", { type: "button", text: MQ.t("action.close"), onclick: function () { closeCase(item.case_id); } }));
  }

  async function load() {
    const waiting = await MQ.api("/api/v1/cases?status=replied&limit=50");
    const details = await Promise.all(waiting.items.map(function (item) { return MQ.api("/api/v1/cases/" + item.case_id); }));
    const list = MQ.clear(document.getElementById("callback-list"));
    if (!details.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("callbacks.none") }));
    details.forEach(function (d) { list.append(callbackItem(d)); });
    const resolved = await MQ.api("/api/v1/cases?status=resolved&limit=50");
    const done = MQ.clear(document.getElementById("resolved-list"));
    if (!resolved.items.length) done.append(MQ.el("li", { class: "hint", text: MQ.t("callbacks.none") }));
    resolved.items.forEach(function (item) { done.append(resolvedItem(item)); });
  }

  MQ.directory().then(function (d) { dir = d; return load(); }).catch(function (error) { MQ.say(message, error.message, "error"); });
})();
