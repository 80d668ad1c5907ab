/* One case: what to do next first (one primary action, the others folded away), a banner
   when a callback sent it back (or the matter was not accepted, or the clock is paused), the
   facts, deadlines with their countdown (provisional ones marked), the petitioner (a number
   to tap for those who call back), and the timeline in the reader's words. What the caller
   may do comes from their capabilities and the case's allowed actions. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["read_cases"]);
  const $ = function (id) { return document.getElementById(id); };
  const caseId = $("case-code").dataset.caseId;
  const message = $("case-message");
  // what the case needs next, by state; the first one the caller may do is the primary action
  const NEXT = { assigned: ["accept", "contact"], accepted: ["contact", "reply", "progress"],
    in_progress: ["reply", "progress"], replied: ["callback"], resolved: ["close"], objected: ["decide-objection"],
    paused: ["resume"], under_review: ["decide-review"], under_re_review: ["decide-re-review"],
    closed: ["request-review"], reviewed: ["request-re-review"] };
  // who takes the next step of a state: the party of the case, or the holders of a capability
  const WHO_NEXT = { assigned: ["party", "work_cases"], accepted: ["party", "work_cases"], in_progress: ["party", "work_cases"],
    replied: ["roles", "record_callbacks"], resolved: ["roles", "record_callbacks"], closed: ["roles", "record_callbacks"],
    reviewed: ["roles", "record_callbacks"], objected: ["roles", "decide"], paused: ["roles", "decide"],
    under_review: ["roles", "decide"], under_re_review: ["roles", "decide"] };
  const baseTitle = document.title;
  let dir = null;
  let currentCase = null;

  function eventOf(c, type) { return c.timeline.filter(function (e) { return e.type === type; }); }
  function last(list) { return list[list.length - 1]; }

  /* When the petitioner spoke, as the tracking page shows it. */
  function registeredAt(c) {
    const opened = last(eventOf(c, "opened"));
    return c.occurred_at || (opened && opened.data && opened.data.occurred_at) || c.created_at;
  }

  /* Who registered it: the operator of a call, the diary's author, the card's cadre or the
     receiving leader (`registered_by`); a shared desk token names no person. */
  function registeredBy(c) {
    const opened = last(eventOf(c, "opened")) || {};
    const id = c.registered_by || (opened.data || {}).operator_id;
    if (id && dir.cadre[id]) return MQ.cadreName(dir, id);
    if (c.source === "hotline") return MQ.t("actor.hotline_operator");
    return opened.actor && dir.cadre[opened.actor] ? MQ.cadreName(dir, opened.actor) : "—";
  }

  /* The handler, saying when they act for the owner (AB角). */
  function handlerLine(c) {
    const name = MQ.cadreLabel(dir, c.handler_cadre_id);
    return c.handler_cadre_id !== c.owner_cadre_id
      ? name + MQ.t("case.handler.backup", { owner: MQ.cadreName(dir, c.owner_cadre_id) }) : name;
  }

  /* The escalation level, who supervises, and who acts for them while they are away. */
  function escalationLine(c) {
    let text = MQ.t("escalation.level." + c.escalation_level);
    if (c.escalated_to_cadre_id) text += MQ.t("case.escalated_to", { name: MQ.cadreName(dir, c.escalated_to_cadre_id) });
    if (c.escalation_acting_cadre_id) {
      text += MQ.t("case.escalation_acting", { acting: MQ.cadreName(dir, c.escalation_acting_cadre_id),
        name: MQ.cadreName(dir, c.escalated_to_cadre_id) });
    }
    return MQ.el("span", { id: "case-escalation", text: text });
  }

  function statusLine(c) {
    return MQ.el("span", null, MQ.statusBadge(c.status),
      c.unsatisfied_count ? MQ.el("span", { class: "badge urgent", id: "case-returned-count",
        text: MQ.t("case.returned.count", { n: c.unsatisfied_count }) }) : null);
  }

  /* The routing reasons as codes and params, in the reader's words. */
  function routingSteps(c) {
    const assigned = eventOf(c, "assigned")[0];
    const coded = (c.routing || {}).steps || (assigned && assigned.data && assigned.data.steps);
    return (coded || (c.routing || {}).explanation || []).map(MQ.reason).map(MQ.readable).filter(Boolean);
  }

  function facts(c) {
    const accepted = last(eventOf(c, "accepted"));
    const pairs = [
      ["case.tracking", c.tracking_code], ["case.status", statusLine(c)],
      ["field.village", MQ.villageName(dir, c.village_code)], ["field.category", MQ.categoryName(dir, c.category)],
      ["field.kind", c.kind ? MQ.t("kind." + c.kind) : "—"], ["field.urgency", MQ.t("urgency." + c.urgency)],
      ["case.source", MQ.t("source." + c.source)],
      ["case.registered", MQ.el("span", { id: "registered-at" }, MQ.timeTag(registeredAt(c)))]];
    // entered well after the petitioner spoke (a visit written up later): say when
    if (c.occurred_at && c.created_at && new Date(c.created_at) - new Date(c.occurred_at) > 600000) {
      pairs.push(["case.entered_at", MQ.timeTag(c.created_at)]);
    }
    pairs.push(["case.registered_by", MQ.el("span", { id: "registered-by", text: registeredBy(c) })],
      ["case.accepted_at", accepted ? MQ.timeTag(accepted.at) : MQ.t("case.not_accepted")],
      ["case.owner", MQ.cadreLabel(dir, c.owner_cadre_id)], ["case.handler", handlerLine(c)],
      ["case.escalation", escalationLine(c)], ["field.summary", c.summary]);
    if (c.details) pairs.push(["field.details", MQ.el("span", { id: "case-details", class: "pre", text: c.details })]);
    pairs.push(["case.routing", MQ.t("routing." + ((c.routing || {}).rule || "unknown"))]);
    const list = MQ.el("dl", { class: "facts" });
    pairs.forEach(function ([key, value]) { list.append(MQ.el("dt", { text: MQ.t(key) }), MQ.el("dd", null, value)); });
    const steps = routingSteps(c);
    const box = MQ.clear($("case-facts"));
    box.append(list);
    if (steps.length) box.append(MQ.el("details", { id: "routing-steps" }, MQ.el("summary", { text: MQ.t("case.routing.steps") }),
      MQ.el("ol", null, ...steps.map(function (s) { return MQ.el("li", { text: s }); }))));
    if (c.accused) {
      const names = (c.accused.cadre_ids || []).map(function (id) { return MQ.cadreName(dir, id); })
        .concat((c.accused.unit_codes || []).map(function (code) { return MQ.villageName(dir, code); }));
      if (names.length) box.append(MQ.el("p", { class: "note note-warning", text: MQ.t("case.accused", { names: names.join("、") }) }));
    }
    relatedCase(c, box);
  }

  /* A repeat call that brought a new accusation opened this case beside an earlier one: link
     to that one only when this reader may open it (else nothing of it is shown). */
  async function relatedCase(c, box) {
    const related = (c.routing || {}).related_case_id;
    if (!related) return;
    try {
      const other = await MQ.api("/api/v1/cases/" + encodeURIComponent(related));
      box.append(MQ.el("p", { id: "related-case", class: "note" }, MQ.t("case.related"), " ",
        MQ.el("a", { href: "/ui/cases/" + other.case_id, text: other.tracking_code })));
    } catch (error) { /* out of this reader's reach: the earlier case stays unmentioned */ }
  }

  /* What happened to the case that the reader must see first. */
  function banner(c) {
    const box = MQ.clear($("case-banner"));
    const back = last(eventOf(c, "reopened"));
    const replied = last(eventOf(c, "replied"));
    if (back && !(replied && replied.seq > back.seq) && ["in_progress", "accepted", "paused"].indexOf(c.status) >= 0) {
      const d = back.data || {};
      box.append(MQ.el("section", { id: "returned", class: "note note-error banner", "aria-labelledby": "returned-heading" },
        MQ.el("h2", { id: "returned-heading", text: MQ.t("case.returned") }),
        MQ.el("p", null, MQ.t("case.returned.when", { when: MQ.when(back.at), n: c.unsatisfied_count || d.unsatisfied_count || 1 }),
          d.problem_solved ? "" : MQ.t("case.returned.unsolved")),
        MQ.el("p", { class: "returned-reason" }, MQ.el("strong", { text: MQ.t("case.returned.reason") }),
          d.note ? d.note : MQ.t("case.returned.no_reason"))));
    }
    const declined = c.status === "not_accepted" ? last(eventOf(c, "not_accepted")) : null;
    if (declined) {
      const d = declined.data || {};
      box.append(MQ.el("section", { id: "declined", class: "note note-warning banner", "aria-labelledby": "declined-heading" },
        MQ.el("h2", { id: "declined-heading", text: MQ.t("case.declined") }),
        MQ.el("p", null, MQ.el("strong", { text: MQ.t("case.declined.reason") }), d.reason || "—"),
        MQ.el("p", null, MQ.el("strong", { text: MQ.t("case.declined.notice") }), d.notice || "—")));
    }
    const paused = c.status === "paused" ? last(eventOf(c, "paused")) : null;
    if (paused) {
      box.append(MQ.el("p", { id: "paused", class: "note note-warning" },
        MQ.t("case.paused", { when: MQ.when(paused.at), who: MQ.cadreName(dir, paused.actor), reason: (paused.data || {}).reason || "—" })));
    }
  }

  function deadlines(c) {
    const state = MQ.deadlineState(c);
    const box = MQ.clear($("case-deadlines"));
    box.append(MQ.el("p", null, MQ.el("span", { class: "deadline-badge " + state.cls, text: state.text }), " ",
      MQ.el("span", { class: "due-line", id: "case-due", text: c.due_at ? MQ.deadlineLine(c) : "" }),
      c.deadlines_provisional ? MQ.el("span", { class: "badge provisional", id: "case-provisional", text: MQ.t("deadline.provisional") }) : null));
    const list = MQ.el("dl", { class: "facts" });
    const running = MQ.dueStage(c);
    Object.entries(c.deadlines).sort(function (a, b) { return a[1] < b[1] ? -1 : 1; }).forEach(function ([stage, due]) {
      list.append(MQ.el("dt", { text: MQ.t("stage." + stage) + (stage === running ? MQ.t("case.deadline.running") : "") }),
        MQ.el("dd", null, MQ.timeTag(due)));
    });
    box.append(list);
    if (c.deadlines_provisional) {
      box.append(MQ.el("p", { class: "hint", id: "case-provisional-why", text: MQ.t("deadline.provisional.why") }));
    }
  }

  /* The number to call back: a tap-to-call link for the owner, the handler and the desk (the
     server unmasks it for them only, and audits each view). */
  function petitioner(c) {
    const p = c.petitioner;
    const box = MQ.clear($("case-petitioner"));
    if (!p) { box.append(MQ.el("p", { class: "hint", text: MQ.t("case.petitioner.none") })); return; }
    const phone = p.phone && !p.masked
      ? MQ.el("a", { href: "tel:" + p.phone.replace(/[^\d+]/g, ""), class: "tel", id: "petitioner-call",
        "aria-label": MQ.t("case.call", { phone: p.phone }), text: p.phone })
      : (p.phone || "—");
    const list = MQ.el("dl", { class: "facts" },
      MQ.el("dt", { text: MQ.t("field.name") }), MQ.el("dd", { text: p.anonymous ? MQ.t("case.anonymous") : (p.name || "—") }),
      MQ.el("dt", { text: MQ.t("field.phone") }), MQ.el("dd", { id: "petitioner-phone" }, phone),
      MQ.el("dt", { text: MQ.t("field.id_number") }), MQ.el("dd", { text: p.id_number || "—" }));
    box.append(list, MQ.el("p", { class: "hint", text: MQ.t(p.masked ? "case.masked" : "case.unmasked") }));
  }

  const CONTACTED = /^contacted the petitioner \((\w+)\): ([\s\S]*)$/;  // the server's note until it carries a code

  function joined(parts) { return parts.filter(Boolean).join(" · "); }

  function detailOf(entry) {
    const d = entry.data || {};
    if (d.code) return MQ.reason({ code: d.code, params: d.params, text: d.note || d.reason });
    switch (entry.type) {
      case "opened": return "";  // the registrar is the entry's actor
      case "assigned": return MQ.t("timeline.assigned", { rule: MQ.t("routing." + (d.rule || "unknown")),
        owner: MQ.cadreName(dir, d.owner_cadre_id), handler: MQ.cadreName(dir, d.handler_cadre_id) });
      case "escalated": return MQ.t("timeline.escalated", { level: MQ.t("escalation.level." + d.level),
        to: MQ.cadreName(dir, d.recipient_cadre_id || d.to_cadre_id) }) +
        (d.acting_cadre_id ? MQ.t("timeline.escalated.acting", { acting: MQ.cadreName(dir, d.acting_cadre_id) }) : "");
      case "extended": return MQ.t("timeline.extended", { days: d.days || "?" }) + (d.reason ? " · " + d.reason : "");
      case "delegated": return MQ.t("timeline.delegated", { to: MQ.cadreName(dir, d.handler_cadre_id) });
      case "transferred": return MQ.t("timeline.transferred", { from: MQ.cadreName(dir, d.from), to: MQ.cadreName(dir, d.owner_cadre_id) }) +
        (d.reason ? " · " + d.reason : "");
      case "warned": return MQ.t("timeline.warned", { stage: MQ.t("stage." + d.stage), due: MQ.when(d.due) });
      case "repeat_linked": return MQ.t("timeline.repeat_linked", { source: MQ.t("source." + String(d.source_topic || "").split(".")[0]) });
      case "reopened": return MQ.t("timeline.reopened", { n: d.unsatisfied_count || 1 }) + (d.note ? " · " + d.note : "");
      case "not_accepted": return joined([MQ.t("timeline.declined.reason", { reason: d.reason || "—" }),
        MQ.t("timeline.declined.notice", { notice: d.notice || "—" }), d.late ? MQ.t("timeline.declined.late") : ""]);
      case "paused": return MQ.t("timeline.paused", { reason: d.reason || "—" });
      case "resumed": return MQ.t("timeline.resumed", { days: Math.round((d.paused_seconds || 0) / 8640) / 10 });
      case "review_requested":
      case "re_review_requested": return joined([d.reason, d.due ? MQ.t("timeline.review.due", { due: MQ.when(d.due) }) : ""]);
      case "reviewed":
      case "re_reviewed": return joined([d.decision, d.final ? MQ.t("timeline.re_reviewed.final") : ""]);
      case "deadlines_recomputed": return Object.entries(d.changes || {}).map(function ([stage, change]) {
        return MQ.t("timeline.recomputed", { stage: MQ.t("stage." + stage), from: MQ.when(change.from), to: MQ.when(change.to) });
      }).join(MQ.t("punct.semicolon"));
      case "resolved":
        if (d.on_spot) return MQ.t("timeline.on_spot") + " · " + (d.resolution || "");
        if (d.callback === "impossible") return MQ.t("timeline.unreachable") + (d.reason ? " · " + d.reason : "");
        if (d.callback) return MQ.t("timeline.satisfied", { solved: MQ.t(d.problem_solved ? "callbacks.solved.yes" : "callbacks.solved.no") }) +
          (d.note ? " · " + d.note : "");
        return "";
      case "progress": {
        const contacted = CONTACTED.exec(d.note || "");
        if (contacted) return MQ.t("timeline.contacted", { channel: MQ.t("channel." + contacted[1]), note: contacted[2] });
        return d.note || "";
      }
      default: {
        const text = d.note || d.reply || d.reason || d.decision || d.resolution || d.callback_note;
        if (text && typeof text === "object") return MQ.readable(MQ.reason(text));
        return text ? MQ.readable(String(text)) : "";
      }
    }
  }

  function actorOf(entry) {
    if (entry.type === "opened") return currentCase ? registeredBy(currentCase) : "—";
    if (!entry.actor) return MQ.t("actor.system");
    return MQ.cadreName(dir, entry.actor);
  }

  function timeline(c) {
    const list = MQ.clear($("case-timeline"));
    c.timeline.forEach(function (entry) {
      const label = MQ.has("event." + entry.type) ? MQ.t("event." + entry.type) : MQ.t("event.other");
      const text = detailOf(entry);
      list.append(MQ.el("li", { "data-type": entry.type },
        MQ.timeTag(entry.at), " ", MQ.el("strong", { text: label }), " · ", actorOf(entry), text ? MQ.el("p", { text: text }) : null));
    });
  }

  /* One action as a form. `options.confirm` asks once more before a final step (the text of
     the question and of the button that confirms it), in place, with a way back. */
  function actionForm(name, heading, fields, submitText, toBody, path, options) {
    const opts = options || {};
    const submit = MQ.el("button", { type: "submit", text: submitText });
    const form = MQ.el("form", { class: "action", id: "action-" + name, "aria-labelledby": "action-" + name + "-h", novalidate: true },
      MQ.el("h3", { id: "action-" + name + "-h", text: heading }), ...fields, submit);
    let confirmBox = null;
    function unconfirm() {
      if (confirmBox) { confirmBox.remove(); confirmBox = null; }
      submit.hidden = false;
    }
    async function send() {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      try {
        const answer = await MQ.api(path || "/api/v1/cases/" + caseId + "/" + name, { method: "POST", body: toBody(MQ.formValues(form)) });
        if (answer && answer.case_id && answer.timeline) render(answer); else await load();
        MQ.announce(message, MQ.t("case.done", { action: heading }), "ok");
      } catch (error) {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        unconfirm();
        MQ.announce(message, error.message, "error");
      }
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const missing = Array.from(form.querySelectorAll("[required]")).filter(function (input) { return !input.value.trim(); });
      form.querySelectorAll("[required]").forEach(function (input) { MQ.fieldError(input, null); });
      if (missing.length) {
        missing.forEach(function (input) { MQ.fieldError(input, MQ.t("validation.missing")); });
        missing[0].focus();
        return;
      }
      if (!opts.confirm || confirmBox) { send(); return; }
      submit.hidden = true;
      const yes = MQ.el("button", { type: "submit", class: "danger", id: "action-" + name + "-confirm", text: MQ.t(opts.confirm[1]) });
      confirmBox = MQ.el("div", { class: "confirm note note-warning", role: "alertdialog", "aria-labelledby": "action-" + name + "-q" },
        MQ.el("p", { id: "action-" + name + "-q", text: MQ.t(opts.confirm[0]) }),
        MQ.el("div", { class: "buttons" }, yes,
          MQ.el("button", { type: "button", class: "secondary", text: MQ.t("confirm.back"), onclick: function () { unconfirm(); submit.focus(); } })));
      form.append(confirmBox);
      yes.focus();
    });
    form.addEventListener("input", unconfirm);  // a changed text is asked about again
    return form;
  }

  function textField(name, id, label, multiline) {
    return [MQ.el("label", { for: id, text: label }),
      MQ.el(multiline ? "textarea" : "input", { id: id, name: name, required: true, maxlength: "4000", rows: multiline ? "3" : null })];
  }

  function selectField(name, id, label, options, required) {
    const select = MQ.el("select", { id: id, name: name, required: !!required },
      ...options.map(function ([value, text, initials]) { return MQ.option(value, text, initials); }));
    MQ.typeahead(select);
    return [MQ.el("label", { for: id, text: label }), select];
  }

  function cadreOptions(cadres) {
    return [["", MQ.t("field.choose")]].concat(cadres.map(function (x) { return [x.cadre_id, x.name + " · " + MQ.postsName(x.posts), x.initials]; }));
  }

  function hint(key) { return MQ.el("p", { class: "hint", text: MQ.t(key) }); }

  /* The case's own work: its owner or handler. */
  function partyForms(c, forms) {
    const allowed = c.allowed_actions;
    if (allowed.indexOf("accept") >= 0) {
      forms.accept = function () {
        return actionForm("accept", MQ.t("action.accept"), [hint("action.accept.hint")], MQ.t("action.accept"), function () { return {}; });
      };
    }
    if (allowed.indexOf("accept") >= 0 || allowed.indexOf("progress") >= 0) {
      forms.contact = function () {
        return actionForm("contact", MQ.t("action.contact"),
          selectField("channel", "contact-channel", MQ.t("field.channel"),
            ["phone", "sms", "wechat", "in_person", "visit"].map(function (ch) { return [ch, MQ.t("channel." + ch)]; }))
            .concat(textField("note", "contact-note", MQ.t("field.note"))),
          MQ.t("action.contact"), function (v) { return { channel: v.channel, note: v.note }; });
      };
    }
    if (allowed.indexOf("progress") >= 0) {
      forms.progress = function () {
        return actionForm("progress", MQ.t("action.progress"), textField("note", "progress-note", MQ.t("field.note"), true),
          MQ.t("action.progress"), function (v) { return { note: v.note }; });
      };
    }
    if (allowed.indexOf("reply") >= 0) {
      forms.reply = function () {
        return actionForm("reply", MQ.t("action.reply"), textField("text", "reply-text", MQ.t("field.reply"), true),
          MQ.t("action.reply"), function (v) { return { text: v.text }; });
      };
    }
    if (allowed.indexOf("extend") >= 0) {
      forms.extension = function () {
        return actionForm("extension", MQ.t("action.extension"),
          [MQ.el("label", { for: "extension-days", text: MQ.t("field.days") }),
            MQ.el("input", { id: "extension-days", name: "days", type: "number", min: "1", max: "30", value: "7", required: true })]
            .concat(textField("reason", "extension-reason", MQ.t("field.reason"))),
          MQ.t("action.extension"), function (v) { return { days: Number(v.days), reason: v.reason }; },
          "/api/v1/cases/" + caseId + "/extension-requests");
      };
    }
    if (allowed.indexOf("object") >= 0) {
      forms.objection = function () {
        return actionForm("objection", MQ.t("action.objection"), textField("reason", "objection-reason", MQ.t("field.reason"), true),
          MQ.t("action.objection"), function (v) { return { reason: v.reason }; });
      };
    }
    if (allowed.indexOf("decline") >= 0) {
      forms.decline = function () {
        return actionForm("decline", MQ.t("action.decline"),
          [hint("action.decline.hint")].concat(textField("reason", "decline-reason", MQ.t("field.decline_reason"), true),
            textField("notice", "decline-notice", MQ.t("field.decline_notice"), true)),
          MQ.t("action.decline"), function (v) { return { reason: v.reason, notice: v.notice }; }, null,
          { confirm: ["action.decline.confirm", "action.decline.confirm_button"] });
      };
    }
    if (who.cadre_id === c.owner_cadre_id && allowed.indexOf("delegate") >= 0) {
      const accused = (c.accused && c.accused.cadre_ids) || [];
      const mine = dir.cadre[who.cadre_id];
      const colleagues = dir.cadres.filter(function (x) {
        return x.cadre_id !== who.cadre_id && accused.indexOf(x.cadre_id) < 0 &&
          (x.unit_code === c.village_code || (mine && x.unit_code === mine.unit_code));
      });
      forms.delegate = function () {
        return actionForm("delegate", MQ.t("action.delegate"),
          selectField("handler_cadre_id", "delegate-to", MQ.t("field.handler"), cadreOptions(colleagues), true),
          MQ.t("action.delegate"), function (v) { return { handler_cadre_id: v.handler_cadre_id }; });
      };
    }
  }

  /* The desk: callbacks, and the petitioner's requests for review and re-review. */
  function deskForms(c, forms) {
    if (c.status === "replied") {
      forms.callback = function () {
        return actionForm("callback", MQ.t("action.callback"),
          selectField("result", "callback-result", MQ.t("field.result"),
            [["", MQ.t("field.choose")]].concat(["satisfied", "unsatisfied", "unreachable"].map(function (r) { return [r, MQ.t("callback." + r)]; })), true)
            .concat([MQ.el("label", { class: "check" }, MQ.el("input", { type: "checkbox", name: "solved", id: "callback-solved" }), " ", MQ.t("callbacks.solved")),
              MQ.el("label", { for: "callback-note", text: MQ.t("callbacks.note") }),
              MQ.el("input", { id: "callback-note", name: "note", maxlength: "4000" })]),
          MQ.t("action.callback"), function (v) {
            return { result: v.result, note: v.note || "", problem_solved: $("callback-solved").checked };
          });
      };
    }
    if (c.allowed_actions.indexOf("request_review") >= 0) {
      forms["request-review"] = function () {
        return actionForm("request-review", MQ.t("action.request_review"),
          [hint("action.request_review.hint")].concat(textField("reason", "review-reason", MQ.t("field.review_reason"), true)),
          MQ.t("action.request_review"), function (v) { return { reason: v.reason }; }, "/api/v1/cases/" + caseId + "/review-requests");
      };
    }
    if (c.allowed_actions.indexOf("request_re_review") >= 0) {
      forms["request-re-review"] = function () {
        return actionForm("request-re-review", MQ.t("action.request_re_review"),
          [hint("action.request_re_review.hint")].concat(textField("reason", "re-review-reason", MQ.t("field.review_reason"), true)),
          MQ.t("action.request_re_review"), function (v) { return { reason: v.reason }; }, "/api/v1/cases/" + caseId + "/re-review-requests");
      };
    }
  }

  /* A leader's decisions: objections, pausing and resuming the clock, review and re-review. */
  function decisionForms(c, forms) {
    const allowed = c.allowed_actions;
    if (c.status === "objected") {
      forms["decide-objection"] = function () {
        return actionForm("decide-objection", MQ.t("action.decide_objection"),
          selectField("decision", "decision", MQ.t("field.decision"),
            [["transfer", MQ.t("decision.transfer")], ["overrule", MQ.t("decision.overrule")]])
            .concat(selectField("owner_cadre_id", "new-owner", MQ.t("field.new_owner"),
              cadreOptions(dir.cadres.filter(function (x) { return x.unit_code === c.village_code || x.unit_code === dir.township.code; }))))
            .concat(textField("reason", "decision-reason", MQ.t("field.reason"))),
          MQ.t("action.decide_objection"), function (v) {
            return { decision: v.decision, reason: v.reason, owner_cadre_id: v.owner_cadre_id || null };
          }, "/api/v1/cases/" + caseId + "/objection/decision");
      };
    }
    if (allowed.indexOf("pause") >= 0) {
      forms.pause = function () {
        return actionForm("pause", MQ.t("action.pause"), [hint("action.pause.hint")].concat(textField("reason", "pause-reason", MQ.t("field.reason"), true)),
          MQ.t("action.pause"), function (v) { return { reason: v.reason }; });
      };
    }
    if (allowed.indexOf("resume") >= 0) {
      forms.resume = function () {
        return actionForm("resume", MQ.t("action.resume"), [hint("action.resume.hint")], MQ.t("action.resume"), function () { return {}; });
      };
    }
    if (allowed.indexOf("decide_review") >= 0) {
      forms["decide-review"] = function () {
        return actionForm("decide-review", MQ.t("action.decide_review"), reviewFields(c, "review_requested", "review-decision"),
          MQ.t("action.decide_review"), function (v) { return { decision: v.decision }; }, "/api/v1/cases/" + caseId + "/review/decision");
      };
    }
    if (allowed.indexOf("decide_re_review") >= 0) {
      forms["decide-re-review"] = function () {
        return actionForm("decide-re-review", MQ.t("action.decide_re_review"), reviewFields(c, "re_review_requested", "re-review-decision"),
          MQ.t("action.decide_re_review"), function (v) { return { decision: v.decision }; }, "/api/v1/cases/" + caseId + "/re-review/decision",
          { confirm: ["action.decide_re_review.confirm", "action.decide_re_review.confirm_button"] });
      };
    }
  }

  /* What the petitioner asked, then the decision. */
  function reviewFields(c, requested, id) {
    const asked = last(eventOf(c, requested));
    const fields = [];
    if (asked) fields.push(MQ.el("p", null, MQ.el("strong", { text: MQ.t("action.review.asked") }), (asked.data || {}).reason || "—"));
    return fields.concat(textField("decision", id, MQ.t("field.review_decision"), true));
  }

  /* Every action this caller may take now, by name. */
  function available(c) {
    const party = who.cadre_id && (who.cadre_id === c.owner_cadre_id || who.cadre_id === c.handler_cadre_id);
    const forms = {};
    if (MQ.can("work_cases", who) && party) partyForms(c, forms);
    if (MQ.can("record_callbacks", who)) deskForms(c, forms);
    if (c.allowed_actions.indexOf("close") >= 0 && (party || MQ.can("record_callbacks", who))) {
      forms.close = function () {
        return actionForm("close", MQ.t("action.close"), [hint("action.close.hint")], MQ.t("action.close"), function () { return {}; });
      };
    }
    if (MQ.can("decide", who)) decisionForms(c, forms);
    return forms;
  }

  function actions(c) {
    const box = MQ.clear($("case-actions"));
    const forms = available(c);
    const names = Object.keys(forms);
    if (!names.length) {
      box.append(MQ.el("p", { class: "hint", text: MQ.t("case.no_actions") }));
      const needed = WHO_NEXT[c.status];  // say who takes the next step, when someone does
      if (needed) box.append(MQ.el("p", { class: "hint", id: "case-next-by", text: MQ.t("case.next_by." + needed[0],
        { roles: MQ.rolesThatMay(needed[1], who) }) }));
      return;
    }
    const primary = (NEXT[c.status] || []).find(function (name) { return forms[name]; }) || names[0];
    const main = forms[primary]();
    main.classList.add("primary");
    box.append(main);
    const others = names.filter(function (name) { return name !== primary; });
    if (others.length) {
      box.append(MQ.el("details", { class: "more-actions", id: "more-actions" },
        MQ.el("summary", { text: MQ.t("case.more_actions", { n: others.length }) }),
        ...others.map(function (name) { return forms[name](); })));
    }
  }

  function render(c) {
    // the answer to an action never unmasks (that takes an audited read): keep the number shown
    if (currentCase && c.petitioner && c.petitioner.masked && currentCase.petitioner && !currentCase.petitioner.masked) {
      c = Object.assign({}, c, { petitioner: currentCase.petitioner });
    }
    currentCase = c;
    $("case-code").textContent = c.tracking_code;
    document.title = c.tracking_code + " · " + baseTitle;
    banner(c); facts(c); deadlines(c); petitioner(c); timeline(c); actions(c);
  }

  /* A link to one action (#action-decline, #action-decide-objection): unfold it and go there. */
  function goToLinkedAction() {
    const wanted = /^#action-[a-z-]+$/.test(window.location.hash) ? document.querySelector(window.location.hash) : null;
    if (!wanted) return;
    const folded = wanted.closest("details");
    if (folded) folded.open = true;
    wanted.scrollIntoView({ block: "start" });
    const first = wanted.querySelector("textarea, input, select");
    if (first) first.focus({ preventScroll: true });
  }

  async function load() {
    const first = currentCase === null;
    try { render(await MQ.api("/api/v1/cases/" + encodeURIComponent(caseId))); }
    catch (error) { MQ.say(message, error.status === 404 ? MQ.t("case.not_found") : error.message, "error"); return; }
    if (first) goToLinkedAction();
  }

  MQ.directory().then(function (d) { dir = d; return load(); });
  setInterval(function () { if (currentCase && currentCase.due_at) $("case-due").textContent = MQ.deadlineLine(currentCase); }, 60000);
})();
