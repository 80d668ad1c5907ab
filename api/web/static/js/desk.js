/* The operator's call desk: the caller's number first (their earlier cases appear at once),
   then the matter; logged with Ctrl+Enter only (Enter never logs a half-typed call); then the
   tracking code to read out, and 下一个来电 leaves nothing of this caller on screen. */
(function () {
  "use strict";
  MQ.requireLogin(["log_events"]);
  const $ = function (id) { return document.getElementById(id); };
  const form = $("call-form"), message = $("desk-message");
  const EMPTY = { result: "desk.result.empty", earlier: "desk.earlier.empty" };
  let dir = null;
  let shownVillage;
  let lookedUp = "", lookupTimer = null, callNumber = 0;

  function villageFrom(text) {
    const value = (text || "").trim();
    const code = (value.match(/\d{12}/) || [])[0];
    if (code && dir.village[code]) return code;
    const lower = value.toLowerCase();
    const byName = dir.villages.filter(function (v) { return v.name === value || (value && v.name.includes(value)); });
    if (byName.length === 1) return byName[0].code;
    const byInitials = dir.villages.filter(function (v) { return lower && v.initials === lower; });
    return byInitials.length === 1 ? byInitials[0].code : null;
  }

  function fillPickers() {
    dir.villages.forEach(function (v) {
      $("village-list").append(MQ.el("option", { value: v.name + " " + v.code, label: v.initials }));
    });
    dir.categories.forEach(function (c) { $("category").append(MQ.option(c.code, MQ.categoryName(dir, c.code), c.initials)); });
    MQ.typeahead($("category"));
    MQ.typeahead($("dialed"));
  }

  function villageChanged() {
    const code = villageFrom($("village").value);
    if ($("village").value.trim()) $("village").setAttribute("aria-invalid", code ? "false" : "true");
    else $("village").removeAttribute("aria-invalid");
    if (code === shownVillage) return;  // keep the picks when the same village is confirmed again
    shownVillage = code;
    const dialed = MQ.clear($("dialed"));
    dialed.append(MQ.el("option", { value: "", text: MQ.t("desk.dialed.none") }));
    const accused = MQ.clear($("accused"));
    if (!code) return;
    dir.cadres.filter(function (c) { return c.unit_code === code && c.hotline; }).forEach(function (c) {
      dialed.append(MQ.option(c.cadre_id, c.name + " · " + MQ.postsName(c.posts) + " · " + c.hotline + " · " +
        MQ.t("whereabouts." + c.whereabouts), c.initials));
    });
    accused.append(MQ.el("option", { value: "unit:" + code, text: MQ.t("desk.accused.unit", { name: dir.village[code].name }) }));
    dir.cadres.filter(function (c) { return c.unit_code === code; }).forEach(function (c) {
      accused.append(MQ.option("cadre:" + c.cadre_id, c.name + " · " + MQ.postsName(c.posts), c.initials));
    });
    // an accusation may reach a township leader or petition staff: the case then goes above them
    const township = MQ.el("optgroup", { label: MQ.t("desk.accused.township", { name: dir.township.name }) });
    dir.cadres.filter(function (c) { return c.unit_code === dir.township.code; }).forEach(function (c) {
      township.append(MQ.option("cadre:" + c.cadre_id, c.name + " · " + MQ.postsName(c.posts), c.initials));
    });
    if (township.children.length) accused.append(township);
  }

  function kindChanged() {
    const accusing = ["complaint", "report"].indexOf($("kind").value) >= 0;
    $("accused-box").hidden = !accusing;
  }

  function anonymousChanged() {
    const anonymous = $("anonymous").checked;
    ["caller-name", "caller-id"].forEach(function (id) { $(id).disabled = anonymous; MQ.fieldError($(id), null); });
  }

  function caseLine(item) {
    return MQ.el("li", null, MQ.el("a", { href: "/ui/cases/" + item.case_id, text: item.tracking_code }), " ",
      MQ.statusBadge(item.status), " ", MQ.categoryName(dir, item.category), " · ", item.summary, " · ",
      MQ.timeTag(item.created_at), " · ", MQ.t("case.owner"), " ", MQ.cadreName(dir, item.owner_cadre_id));
  }

  function placeholder(which) { MQ.clear($(which)).append(MQ.el("p", { class: "hint", text: MQ.t(EMPTY[which]) })); }

  function showEarlier(items) {
    const box = MQ.clear($("earlier"));
    if (!items.length) { box.append(MQ.el("p", { class: "hint", text: MQ.t("desk.earlier.none") })); return; }
    box.append(MQ.el("ul", { class: "plain" }, ...items.map(caseLine)));
  }

  /* As soon as the number is complete: the caller's earlier cases (an audited look-up). */
  function phoneTyped() {
    const phone = $("caller-phone").value.trim();
    clearTimeout(lookupTimer);
    if (!MQ.phoneKind(phone)) {
      if (lookedUp) { lookedUp = ""; placeholder("earlier"); }
      return;
    }
    MQ.fieldError($("caller-phone"), null);
    lookupTimer = setTimeout(lookUpCaller, 250);
  }

  async function lookUpCaller() {
    const phone = $("caller-phone").value.trim();
    if (!MQ.phoneKind(phone) || phone === lookedUp) return;
    lookedUp = phone;
    const asked = callNumber;
    try {
      const found = (await MQ.api("/api/v1/callers/cases", { method: "POST", body: { phone: phone, limit: 20 } })).items;
      if (asked === callNumber && $("caller-phone").value.trim() === phone) showEarlier(found);
    } catch (error) { MQ.say(message, error.message, "error"); }
  }

  function body() {
    const v = MQ.formValues(form);
    const anonymous = $("anonymous").checked;
    const call = { occurred_at: new Date().toISOString(), village_code: villageFrom(v.village), category: v.category,
      kind: v.kind, urgency: v.urgency, summary: v.summary, details: v.details || null,
      dialed_cadre_id: v.dialed_cadre_id || null,
      caller: { anonymous: anonymous, name: anonymous ? null : (v.name || null), phone: anonymous ? null : (v.phone || null),
                id_number: anonymous ? null : (v.id_number || null) } };
    if (!$("accused-box").hidden) {
      const picked = Array.from($("accused").selectedOptions).map(function (o) { return o.value; });
      const cadres = picked.filter(function (p) { return p.startsWith("cadre:"); }).map(function (p) { return p.slice(6); });
      const units = picked.filter(function (p) { return p.startsWith("unit:"); }).map(function (p) { return p.slice(5); });
      if (cadres.length || units.length) call.accused = { cadre_ids: cadres, unit_codes: units };
    }
    return call;
  }

  /* Every problem next to its field; the first one gets the focus. */
  function problems(call) {
    const found = [];
    const check = function (id, text) { if (MQ.fieldError($(id), text)) found.push(id); };
    const phone = call.caller.phone;
    const phoneCode = MQ.phoneProblem(phone);
    check("caller-phone", phoneCode ? MQ.reason({ code: phoneCode }) :
      (!phone && !call.caller.anonymous ? MQ.t("desk.phone.missing") : null));
    const idCode = call.caller.anonymous ? null : MQ.idProblem(call.caller.id_number);
    check("caller-id", idCode ? MQ.reason({ code: idCode }) : null);
    check("village", call.village_code ? null : MQ.t("desk.village.invalid"));
    check("category", call.category ? null : MQ.t("field.category.missing"));
    check("summary", call.summary ? null : MQ.t("desk.summary.missing"));
    return found;
  }

  async function routed(eventId) {
    for (let i = 0; i < 60; i++) {
      const found = await MQ.api("/api/v1/cases?source_event_id=" + encodeURIComponent(eventId));
      if (found.items.length) return found.items[0];
      await new Promise(function (resolve) { setTimeout(resolve, 500); });
    }
    return null;
  }

  /* A repeat petition is merged into the caller's open case: the 202 says so (`case.linked`);
     when routing took longer than the 202 waited, the case found by the event id came from
     an earlier event. */
  function wasLinked(answer, item) {
    if (typeof item.linked === "boolean") return item.linked;
    return Boolean(item.source_event_id) && item.source_event_id !== answer.event_id;
  }

  function routingLines(item) {
    const routing = item.routing || {};
    const steps = (routing.steps || routing.explanation || []).map(MQ.reason).map(MQ.readable).filter(Boolean);
    if (item.handler_cadre_id && item.handler_cadre_id !== item.owner_cadre_id) {
      steps.push(MQ.t("desk.backup_handles", { handler: MQ.cadreName(dir, item.handler_cadre_id),
        owner: MQ.cadreName(dir, item.owner_cadre_id) }));
    }
    return steps;
  }

  function showCase(item, linked) {
    const box = MQ.clear($("result"));
    const routing = item.routing || {};
    if (linked) {
      box.append(MQ.el("p", { id: "repeat-note", class: "note note-warning" },
        MQ.t("desk.repeat", { code: item.tracking_code, status: MQ.t("status." + item.status) })));
    }
    if (routing.related_case_id) {  // a repeat call that accuses someone new: a case of its own
      box.append(MQ.el("p", { id: "new-accusation-note", class: "note note-warning", text: MQ.t("desk.new_accusation") }));
    }
    box.append(
      MQ.el("p", { class: "tracking" }, MQ.t(linked ? "desk.tracking.repeat" : "desk.tracking"), " ",
        MQ.el("strong", { id: "tracking-code", text: item.tracking_code })),
      MQ.el("dl", { class: "facts" },
        MQ.el("dt", { text: MQ.t("case.status") }), MQ.el("dd", null, MQ.statusBadge(item.status)),
        MQ.el("dt", { text: MQ.t("case.owner") }), MQ.el("dd", { id: "case-owner", text: MQ.cadreName(dir, item.owner_cadre_id) }),
        MQ.el("dt", { text: MQ.t("case.handler") }), MQ.el("dd", { text: MQ.cadreName(dir, item.handler_cadre_id) }),
        MQ.el("dt", { text: MQ.t("case.routing") }), MQ.el("dd", { text: MQ.t("routing." + (routing.rule || "unknown")) })),
      MQ.el("ol", { class: "explanation", "aria-label": MQ.t("case.routing.steps") },
        ...routingLines(item).map(function (s) { return MQ.el("li", { text: s }); })),
      MQ.el("p", null, MQ.el("a", { id: "case-link", href: "/ui/cases/" + item.case_id, "data-case": item.case_id,
        text: MQ.t("desk.open_case") })),
      MQ.el("button", { type: "button", id: "next-call", text: MQ.t("desk.next"), onclick: reset }));
    $("next-call").focus();
  }

  /* The next caller starts from nothing: no code, no history, no field of the last call. */
  function reset() {
    callNumber += 1;
    clearTimeout(lookupTimer);
    lookedUp = "";
    form.reset();
    form.querySelectorAll("[aria-invalid]").forEach(function (input) { MQ.fieldError(input, null); });
    shownVillage = undefined;
    kindChanged(); anonymousChanged(); villageChanged();
    message.hidden = true;
    placeholder("result");
    placeholder("earlier");
    $("caller-phone").focus();
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const call = body();
    const wrong = problems(call);
    if (wrong.length) { MQ.say(message, MQ.t("desk.fix"), "error"); $(wrong[0]).focus(); return; }
    $("log-call").disabled = true;
    const asked = callNumber;
    try {
      const answer = await MQ.api("/api/v1/calls", { method: "POST", body: call });
      if (asked !== callNumber) return;
      if (answer.earlier_cases && answer.earlier_cases.length) showEarlier(answer.earlier_cases);
      MQ.say(message, MQ.t("desk.logged"), "ok");
      MQ.clear($("result")).append(MQ.el("p", { text: MQ.t("desk.routing.wait") }));
      const item = answer.case || await routed(answer.event_id);
      const linked = item ? wasLinked(answer, item) : false;
      if (asked !== callNumber) return;
      if (item) showCase(item, linked);
      else MQ.clear($("result")).append(MQ.el("p", { class: "note note-error", text: MQ.t("desk.routing.late") }));
    } catch (error) {
      if (error.status === 409 && error.body && error.body.code === "repeat.re_reviewed") refusedAsFinal(error.body);
      else MQ.say(message, error.message, "error");
    }
    finally { $("log-call").disabled = false; }
  });

  /* The same petitioner, the same matter, already concluded by re-review (Art. 36): the
     call is not logged. Tell the operator what to say, and which case it was. */
  async function refusedAsFinal(body) {
    const asked = callNumber;
    MQ.say(message, MQ.t("desk.final.short"), "error");
    const box = MQ.clear($("result"));
    const note = MQ.el("section", { id: "final-note", class: "note note-error", "aria-labelledby": "final-heading" },
      MQ.el("h3", { id: "final-heading", text: MQ.t("desk.final.heading") }),
      MQ.el("p", { text: MQ.reason({ code: body.code, params: body.params }) }),
      MQ.el("p", { text: MQ.t("desk.final.say") }));
    box.append(note, MQ.el("button", { type: "button", id: "next-call", class: "secondary", text: MQ.t("desk.next"), onclick: reset }));
    MQ.reveal(note);
    const caseId = (body.params || {}).case_id;
    if (!caseId) return;
    try {
      const done = await MQ.api("/api/v1/cases/" + encodeURIComponent(caseId));
      const decided = done.timeline.filter(function (e) { return e.type === "re_reviewed"; }).pop();
      if (asked !== callNumber) return;
      note.append(MQ.el("p", { id: "final-case" }, MQ.t("desk.final.case"), " ",
        MQ.el("a", { href: "/ui/cases/" + done.case_id, text: done.tracking_code }),
        decided ? MQ.t("desk.final.decided", { when: MQ.when(decided.at), decision: (decided.data || {}).decision || "—" }) : ""));
    } catch (error) { /* out of this desk's reach (it accuses the operator): the reason says enough */ }
  }

  /* Ctrl+Enter logs the call; a plain Enter in a one-line field or picker does not (a form
     would otherwise submit itself), it only reminds how to submit. */
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    if (event.ctrlKey || event.metaKey) { event.preventDefault(); form.requestSubmit(); return; }
    const target = event.target;
    if (target.tagName === "SELECT" || (target.tagName === "INPUT" && target.type !== "submit" && target.type !== "button")) {
      event.preventDefault();
      if (target.id === "village") villageChanged();
      MQ.say(message, MQ.t("desk.enter"), "info");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.activeElement && document.activeElement.id === "next-call") reset();
  });
  $("village").addEventListener("change", villageChanged);
  $("village").addEventListener("input", villageChanged);
  $("kind").addEventListener("change", kindChanged);
  $("anonymous").addEventListener("change", anonymousChanged);
  $("caller-phone").addEventListener("input", phoneTyped);
  $("caller-phone").addEventListener("change", function () {
    const code = MQ.phoneProblem($("caller-phone").value);
    MQ.fieldError($("caller-phone"), code ? MQ.reason({ code: code }) : null);
  });
  $("caller-id").addEventListener("change", function () {
    const code = MQ.idProblem($("caller-id").value);
    MQ.fieldError($("caller-id"), code ? MQ.reason({ code: code }) : null);
  });

  MQ.directory().then(function (d) { dir = d; fillPickers(); villageChanged(); kindChanged(); })
    .catch(function (error) { MQ.say(message, error.message, "error"); });
})();
