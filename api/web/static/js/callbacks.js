/* Callback queue (回访): cases replied to, waiting for the operator to ask the petitioner.
   Nothing is pre-ticked, and every result (and archiving) can be undone for a few seconds
   before it is sent. */
(function () {
  "use strict";
  MQ.requireLogin(["record_callbacks"]);
  const message = document.getElementById("callbacks-message");
  const NOTE_REQUIRED = ["unsatisfied", "unreachable"];
  let dir = null;

  function lastReply(detail) {
    const replies = detail.timeline.filter(function (e) { return e.type === "replied"; });
    const last = replies[replies.length - 1];
    return last ? (last.data.reply || last.data.text || "") : "";
  }

  /* The card gives way to an undo bar; the result is sent when the time is up. */
  function record(detail, result, form, card) {
    const values = MQ.formValues(form);
    const note = form.querySelector("[name=note]");
    if (NOTE_REQUIRED.indexOf(result) >= 0 && !values.note) {
      MQ.fieldError(note, MQ.t("callbacks.note.required." + result));
      note.focus();
      return;
    }
    MQ.fieldError(note, null);
    const solved = form.querySelector("[name=solved]").checked;
    const body = { result: result, note: values.note || "", problem_solved: solved };
    const summary = MQ.t("callbacks.pending", { code: detail.tracking_code, result: MQ.t("callback." + result),
      solved: MQ.t(solved ? "callbacks.solved.yes" : "callbacks.solved.no") });
    card.hidden = true;
    MQ.undoable(card.parentNode.insertBefore(MQ.el("li", { class: "pending", "data-pending": detail.case_id }), card), summary,
      async function (leaving) {
        const updated = await MQ.api("/api/v1/cases/" + detail.case_id + "/callback", { method: "POST", body: body, keepalive: leaving });
        if (!leaving) MQ.say(message, MQ.t("callbacks.recorded", { code: updated.tracking_code, status: MQ.t("status." + updated.status) }), "ok");
      }, {
        undone: function () { removePending(detail.case_id); card.hidden = false; form.querySelector("button[data-result]").focus(); },
        after: function () { removePending(detail.case_id); load(); },
        failed: function (error) { removePending(detail.case_id); card.hidden = false; MQ.announce(message, error.message, "error"); }
      });
  }

  function removePending(caseId) {
    const holder = document.querySelector("li[data-pending='" + caseId + "']");
    if (holder) holder.remove();
  }

  function closeCase(item, card) {
    card.hidden = true;
    MQ.undoable(card.parentNode.insertBefore(MQ.el("li", { class: "pending", "data-pending": item.case_id }), card),
      MQ.t("callbacks.closing", { code: item.tracking_code }),
      async function (leaving) {
        const updated = await MQ.api("/api/v1/cases/" + item.case_id + "/close", { method: "POST", body: {}, keepalive: leaving });
        if (!leaving) MQ.say(message, MQ.t("callbacks.closed", { code: updated.tracking_code }), "ok");
      }, {
        undone: function () { removePending(item.case_id); card.hidden = false; },
        after: function () { removePending(item.case_id); load(); },
        failed: function (error) { removePending(item.case_id); card.hidden = false; MQ.announce(message, error.message, "error"); }
      });
  }

  function callbackItem(detail) {
    const id = "cb-" + detail.case_id;
    const who = detail.petitioner || {};
    const form = MQ.el("form", { class: "callback", "aria-label": MQ.t("callbacks.form", { code: detail.tracking_code }), novalidate: true },
      MQ.el("label", { for: id + "-note", text: MQ.t("callbacks.note") }),
      MQ.el("input", { id: id + "-note", name: "note", maxlength: "4000", "aria-describedby": id + "-note-hint" }),
      MQ.el("small", { id: id + "-note-hint", class: "hint", text: MQ.t("callbacks.note.hint") }),
      MQ.el("label", { class: "check" }, MQ.el("input", { type: "checkbox", name: "solved" }), " ", MQ.t("callbacks.solved")));
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    const card = MQ.el("li", { class: "case-card", "data-case": detail.case_id },
      MQ.el("p", null, MQ.el("a", { href: "/ui/cases/" + detail.case_id, text: detail.tracking_code }), " ",
        MQ.villageName(dir, detail.village_code), " · ", MQ.categoryName(dir, detail.category), " · ", detail.summary),
      MQ.el("p", null, MQ.t("case.petitioner"), MQ.t("punct.colon"), who.anonymous ? MQ.t("case.anonymous") : (who.name || "—"), " · ",
        who.phone ? MQ.el("a", { href: "tel:" + who.phone, text: who.phone }) : "—"),
      MQ.el("blockquote", { text: lastReply(detail) }), form);
    const buttons = MQ.el("div", { class: "buttons" });
    ["satisfied", "unsatisfied", "unreachable"].forEach(function (result) {
      buttons.append(MQ.el("button", { type: "button", class: "result-" + result, "data-result": result,
        text: MQ.t("callback." + result), onclick: function () { record(detail, result, form, card); } }));
    });
    form.append(buttons);
    return card;
  }

  function resolvedItem(item) {
    const card = MQ.el("li", { class: "case-card", "data-case": item.case_id });
    card.append(MQ.el("a", { href: "/ui/cases/" + item.case_id, text: item.tracking_code }), " ", MQ.statusBadge(item.status), " ",
      item.summary, " ",
      MQ.el("button", { type: "button", "data-close": item.case_id, text: MQ.t("action.close"),
        onclick: function () { closeCase(item, card); } }));
    return card;
  }

  async function load() {
    const waiting = await MQ.api("/api/v1/cases?status=replied&limit=50");
    const details = await Promise.all(waiting.items.map(function (item) { return MQ.api("/api/v1/cases/" + item.case_id); }));
    const list = document.getElementById("callback-list");
    list.querySelectorAll("li:not(.pending)").forEach(function (li) { li.remove(); });
    const busy = new Set(Array.from(list.querySelectorAll("li.pending")).map(function (li) { return li.dataset.pending; }));
    const shown = details.filter(function (d) { return !busy.has(d.case_id); });
    if (!shown.length) list.append(MQ.el("li", { class: "hint", text: MQ.t("callbacks.none") }));
    shown.forEach(function (d) { list.append(callbackItem(d)); });
    const resolved = await MQ.api("/api/v1/cases?status=resolved&limit=50");
    const done = document.getElementById("resolved-list");
    done.querySelectorAll("li:not(.pending)").forEach(function (li) { li.remove(); });
    const closing = new Set(Array.from(done.querySelectorAll("li.pending")).map(function (li) { return li.dataset.pending; }));
    const left = resolved.items.filter(function (i) { return !closing.has(i.case_id); });
    if (!left.length) done.append(MQ.el("li", { class: "hint", text: MQ.t("callbacks.none") }));
    left.forEach(function (item) { done.append(resolvedItem(item)); });
  }

  MQ.directory().then(function (d) { dir = d; return load(); }).catch(function (error) { MQ.say(message, error.message, "error"); });
})();
