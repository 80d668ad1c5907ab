/* One case: facts, deadlines, petitioner (masked unless allowed), timeline, and the actions
   the API allows now for this caller. */
(function () {
  "use strict";
  const who = MQ.requireLogin();
  const $ = function (id) { return document.getElementById(id); };
  const caseId = $("case-code").dataset.caseId;
  const message = $("case-message");
  const CADRE_ROLES = ["cadre", "leader", "petition_staff"];
  const CALLBACK_ROLES = ["operator", "petition_staff"];
  const baseTitle = document.title;
  let dir = null;

  function facts(c) {
    const pairs = [
      ["case.tracking", c.tracking_code], ["case.status", MQ.statusBadge(c.status)],
      ["field.village", MQ.villageName(dir, c.village_code)], ["field.category", MQ.categoryName(dir, c.category)],
      ["field.kind", c.kind ? MQ.t("kind." + c.kind) : "—"], ["field.urgency", MQ.t("urgency." + c.urgency)],
      ["case.source", MQ.t("source." + c.source)], ["case.owner", MQ.cadreName(dir, c.owner_cadre_id)],
      ["case.handler", MQ.cadreName(dir, c.handler_cadre_id)],
      ["case.escalation", MQ.t("escalation.level." + c.escalation_level)], ["case.received", MQ.timeTag(c.created_at)],
      ["field.summary", c.summary], ["case.routing", MQ.t("routing." + ((c.routing || {}).rule || "unknown"))]];
    const list = MQ.el("dl", { class: "facts" });
    pairs.forEach(function ([key, value]) { list.append(MQ.el("dt", { text: MQ.t(key) }), MQ.el("dd", null, value)); });
    const steps = (c.routing || {}).explanation || [];
    const box = MQ.clear($("case-facts"));
    box.append(list);
    if (steps.length) box.append(MQ.el("details", null, MQ.el("summary", { text: MQ.t("case.routing.steps") }),
      MQ.el("ol", null, ...steps.map(function (s) { return MQ.el("li", { text: s }); }))));
    if (c.accused) {
      const names = (c.accused.cadre_ids || []).map(function (id) { return MQ.cadreName(dir, id); })
        .concat((c.accused.unit_codes || []).map(function (code) { return MQ.villageName(dir, code); }));
      if (names.length) box.append(MQ.el("p", { class: "note note-warning", text: MQ.t("case.accused", { names: names.join("、") }) }));
    }
  }

  function deadlines(c) {
    const state = MQ.deadlineState(c);
    const box = MQ.clear($("case-deadlines"));
    box.append(MQ.el("p", { class: "deadline-badge " + state.cls, text: state.text + (c.due_at ? " · " + MQ.when(c.due_at) : "") }));
    const list = MQ.el("dl", { class: "facts" });
    Object.entries(c.deadlines).sort(function (a, b) { return a[1] < b[1] ? -1 : 1; }).forEach(function ([stage, due]) {
      list.append(MQ.el("dt", { text: MQ.t("stage." + stage) }), MQ.el("dd", null, MQ.timeTag(due)));
    });
    box.append(list);
  }

  function petitioner(c) {
    const p = c.petitioner;
    const box = MQ.clear($("case-petitioner"));
    if (!p) { box.append(MQ.el("p", { class: "hint", text: MQ.t("case.petitioner.none") })); return; }
    const list = MQ.el("dl", { class: "facts" },
      MQ.el("dt", { text: MQ.t("field.name") }), MQ.el("dd", { text: p.anonymous ? MQ.t("case.anonymous") : (p.name || "—") }),
      MQ.el("dt", { text: MQ.t("field.phone") }), MQ.el("dd", { id: "petitioner-phone", text: p.phone || "—" }),
      MQ.el("dt", { text: MQ.t("field.id_number") }), MQ.el("dd", { text: p.id_number || "—" }));
    box.append(list, MQ.el("p", { class: "hint", text: MQ.t(p.masked ? "case.masked" : "case.unmasked") }));
  }

  function detailOf(entry) {
    const d = entry.data || {};
    if (entry.type === "assigned") return MQ.t("routing." + (d.rule || "unknown"));
    if (entry.type === "escalated") return MQ.t("escalation.level." + d.level) + " → " + MQ.cadreName(dir, d.to_cadre_id || d.recipient_cadre_id);
    if (entry.type === "extended") return MQ.t("timeline.extended", { days: d.days || "?" }) + (d.reason ? " · " + d.reason : "");
    const text = d.note || d.reply || d.reason || d.decision || d.resolution || d.callback_note;
    return text ? String(text) : "";
  }

  function timeline(c) {
    const list = MQ.clear($("case-timeline"));
    c.timeline.forEach(function (entry) {
      list.append(MQ.el("li", { "data-type": entry.type },
        MQ.timeTag(entry.at), " ", MQ.el("strong", { text: MQ.t("event." + entry.type) }), " · ",
        MQ.cadreName(dir, entry.actor), detailOf(entry) ? MQ.el("p", { text: detailOf(entry) }) : null));
    });
  }

  function actionForm(name, heading, fields, submitText, toBody, path) {
    const form = MQ.el("form", { class: "action", id: "action-" + name, "aria-labelledby": "action-" + name + "-h", novalidate: true },
      MQ.el("h3", { id: "action-" + name + "-h", text: heading }), ...fields,
      MQ.el("button", { type: "submit", text: submitText }));
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      try {
        const answer = await MQ.api(path || "/api/v1/cases/" + caseId + "/" + name, { method: "POST", body: toBody(MQ.formValues(form)) });
        MQ.say(message, MQ.t("case.done", { action: heading }), "ok");
        if (answer && answer.case_id && answer.timeline) render(answer); else load();
      } catch (error) { MQ.say(message, error.message, "error"); }
    });
    return form;
  }

  function textField(name, id, label, multiline) {
    return [MQ.el("label", { for: id, text: label }),
      MQ.el(multiline ? "textarea" : "input", { id: id, name: name, required: true, maxlength: "4000", rows: multiline ? "3" : null })];
  }

  function selectField(name, id, label, options) {
    return [MQ.el("label", { for: id, text: label }),
      MQ.el("select", { id: id, name: name }, ...options.map(function ([value, text]) { return MQ.el("option", { value: value, text: text }); }))];
  }

  function actions(c) {
    const box = MQ.clear($("case-actions"));
    const allowed = c.allowed_actions;
    const party = who.cadre_id && (who.cadre_id === c.owner_cadre_id || who.cadre_id === c.handler_cadre_id);
    const cadre = CADRE_ROLES.indexOf(who.role) >= 0 && party;
    const forms = [];
    if (cadre && allowed.indexOf("accept") >= 0) {
      forms.push(actionForm("accept", MQ.t("action.accept"), [MQ.el("p", { class: "hint", text: MQ.t("action.accept.hint") })],
        MQ.t("action.accept"), function () { return {}; }));
    }
    if (cadre && (allowed.indexOf("accept") >= 0 || allowed.indexOf("progress") >= 0)) {
      forms.push(actionForm("contact", MQ.t("action.contact"),
        selectField("channel", "contact-channel", MQ.t("field.channel"),
          ["phone", "sms", "wechat", "in_person", "visit"].map(function (ch) { return [ch, MQ.t("channel." + ch)]; }))
          .concat(textField("note", "contact-note", MQ.t("field.note"))),
        MQ.t("action.contact"), function (v) { return { channel: v.channel, note: v.note }; }));
    }
    if (cadre && allowed.indexOf("progress") >= 0) {
      forms.push(actionForm("progress", MQ.t("action.progress"), textField("note", "progress-note", MQ.t("field.note"), true),
        MQ.t("action.progress"), function (v) { return { note: v.note }; }));
    }
    if (cadre && allowed.indexOf("reply") >= 0) {
      forms.push(actionForm("reply", MQ.t("action.reply"), textField("text", "reply-text", MQ.t("field.reply"), true),
        MQ.t("action.reply"), function (v) { return { text: v.text }; }));
    }
    if (cadre && allowed.indexOf("extend") >= 0) {
      forms.push(actionForm("extension", MQ.t("action.extension"),
        [MQ.el("label", { for: "extension-days", text: MQ.t("field.days") }),
          MQ.el("input", { id: "extension-days", name: "days", type: "number", min: "1", max: "30", value: "7", required: true })]
          .concat(textField("reason", "extension-reason", MQ.t("field.reason"))),
        MQ.t("action.extension"), function (v) { return { days: Number(v.days), reason: v.reason }; },
        "/api/v1/cases/" + caseId + "/extension-requests"));
    }
    if (cadre && allowed.indexOf("object") >= 0) {
      forms.push(actionForm("objection", MQ.t("action.objection"), textField("reason", "objection-reason", MQ.t("field.reason"), true),
        MQ.t("action.objection"), function (v) { return { reason: v.reason }; }));
    }
    if (cadre && who.cadre_id === c.owner_cadre_id && allowed.indexOf("delegate") >= 0) {
      const accused = (c.accused && c.accused.cadre_ids) || [];
      const mine = dir.cadre[who.cadre_id];
      const colleagues = dir.cadres.filter(function (x) {
        return x.cadre_id !== who.cadre_id && accused.indexOf(x.cadre_id) < 0 &&
          (x.unit_code === c.village_code || (mine && x.unit_code === mine.unit_code));
      });
      forms.push(actionForm("delegate", MQ.t("action.delegate"),
        selectField("handler_cadre_id", "delegate-to", MQ.t("field.handler"),
          colleagues.map(function (x) { return [x.cadre_id, x.name + " · " + MQ.postsName(x.posts)]; })),
        MQ.t("action.delegate"), function (v) { return { handler_cadre_id: v.handler_cadre_id }; }));
    }
    if (CALLBACK_ROLES.indexOf(who.role) >= 0 && c.status === "replied") {
      forms.push(actionForm("callback", MQ.t("action.callback"),
        selectField("result", "callback-result", MQ.t("field.result"),
          ["satisfied", "unsatisfied", "unreachable"].map(function (r) { return [r, MQ.t("callback." + r)]; }))
          .concat([MQ.el("label", { for: "callback-note", text: MQ.t("callbacks.note") }),
            MQ.el("input", { id: "callback-note", name: "note", maxlength: "4000" })]),
        MQ.t("action.callback"), function (v) { return { result: v.result, note: v.note || "" }; }));
    }
    if (allowed.indexOf("close") >= 0 && (party || CALLBACK_ROLES.indexOf(who.role) >= 0)) {
      forms.push(actionForm("close", MQ.t("action.close"), [], MQ.t("action.close"), function () { return {}; }));
    }
    if (who.role === "leader" && c.status === "objected") {
      forms.push(actionForm("decide-objection", MQ.t("action.decide_objection"),
        selectField("decision", "decision", MQ.t("field.decision"),
          [["transfer", MQ.t("decision.transfer")], ["overrule", MQ.t("decision.overrule")]])
          .concat(selectField("owner_cadre_id", "new-owner", MQ.t("field.new_owner"),
            [["", "—"]].concat(dir.cadres.filter(function (x) {
              return x.unit_code === c.village_code || x.unit_code === dir.township.code; })
              .map(function (x) { return [x.cadre_id, x.name + " · " + MQ.postsName(x.posts)]; }))))
          .concat(textField("reason", "decision-reason", MQ.t("field.reason"))),
        MQ.t("action.decide_objection"), function (v) {
          return { decision: v.decision, reason: v.reason, owner_cadre_id: v.owner_cadre_id || null };
        }, "/api/v1/cases/" + caseId + "/objection/decision"));
    }
    if (!forms.length) box.append(MQ.el("p", { class: "hint", text: MQ.t("case.no_actions") }));
    forms.forEach(function (f) { box.append(f); });
  }

  function render(c) {
    $("case-code").textContent = c.tracking_code;
    document.title = c.tracking_code + " · " + baseTitle;
    facts(c); deadlines(c); petitioner(c); timeline(c); actions(c);
  }

  async function load() {
    try { render(await MQ.api("/api/v1/cases/" + encodeURIComponent(caseId))); }
    catch (error) { MQ.say(message, error.status === 404 ? MQ.t("case.not_found") : error.message, "error"); }
  }

  MQ.directory().then(function (d) { dir = d; return load(); });
})();
