/* The operator's call desk: log a call with the keyboard alone, then read out the tracking code. */
(function () {
  "use strict";
  MQ.requireLogin(["operator", "petition_staff"]);
  const $ = function (id) { return document.getElementById(id); };
  const form = $("call-form"), message = $("desk-message");
  let dir = null;
  let shownVillage;

  function villageFrom(text) {
    const value = (text || "").trim();
    const code = (value.match(/\d{12}/) || [])[0];
    if (code && dir.village[code]) return code;
    const byName = dir.villages.filter(function (v) { return v.name === value || (value && v.name.includes(value)); });
    return byName.length === 1 ? byName[0].code : null;
  }

  function fillPickers() {
    dir.villages.forEach(function (v) { $("village-list").append(MQ.el("option", { value: v.name + " " + v.code })); });
    dir.categories.forEach(function (c) {
      $("category").append(MQ.el("option", { value: c.code, text: MQ.categoryName(dir, c.code) }));
    });
  }

  function villageChanged() {
    const code = villageFrom($("village").value);
    $("village").setAttribute("aria-invalid", code ? "false" : "true");
    if (code === shownVillage) return;  // keep the picks when the same village is confirmed again
    shownVillage = code;
    const dialed = MQ.clear($("dialed"));
    dialed.append(MQ.el("option", { value: "", text: MQ.t("desk.dialed.none") }));
    const accused = MQ.clear($("accused"));
    if (!code) return;
    dir.cadres.filter(function (c) { return c.unit_code === code && c.hotline; }).forEach(function (c) {
      dialed.append(MQ.el("option", { value: c.cadre_id,
        text: c.name + " · " + MQ.postsName(c.posts) + " · " + c.hotline + " · " + MQ.t("whereabouts." + c.whereabouts) }));
    });
    accused.append(MQ.el("option", { value: "unit:" + code, text: MQ.t("desk.accused.unit", { name: dir.village[code].name }) }));
    dir.cadres.filter(function (c) { return c.unit_code === code; }).forEach(function (c) {
      accused.append(MQ.el("option", { value: "cadre:" + c.cadre_id, text: c.name + " · " + MQ.postsName(c.posts) }));
    });
  }

  function kindChanged() {
    const accusing = ["complaint", "report"].indexOf($("kind").value) >= 0;
    $("accused-box").hidden = !accusing;
  }

  function anonymousChanged() {
    const anonymous = $("anonymous").checked;
    ["caller-name", "caller-id"].forEach(function (id) { $(id).disabled = anonymous; });
  }

  function caseLine(item) {
    return MQ.el("li", null, MQ.el("a", { href: "/ui/cases/" + item.case_id, text: item.tracking_code }), " ",
      MQ.statusBadge(item.status), " ", MQ.categoryName(dir, item.category), " · ", item.summary, " · ",
      MQ.timeTag(item.created_at), " · ", MQ.t("case.owner"), " ", MQ.cadreName(dir, item.owner_cadre_id));
  }

  function showEarlier(items) {
    const box = MQ.clear($("earlier"));
    if (!items.length) { box.append(MQ.el("p", { class: "hint", text: MQ.t("desk.earlier.none") })); return; }
    box.append(MQ.el("ul", { class: "plain" }, ...items.map(caseLine)));
  }

  async function lookUpCaller() {
    const phone = $("caller-phone").value.trim();
    if (phone.length < 3) return;
    try { showEarlier((await MQ.api("/api/v1/callers/cases", { method: "POST", body: { phone: phone, limit: 20 } })).items); }
    catch (error) { MQ.say(message, error.message, "error"); }
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

  async function routed(eventId) {
    for (let i = 0; i < 60; i++) {
      const found = await MQ.api("/api/v1/cases?source_event_id=" + encodeURIComponent(eventId));
      if (found.items.length) return found.items[0];
      await new Promise(function (resolve) { setTimeout(resolve, 500); });
    }
    return null;
  }

  function showCase(item) {
    const box = MQ.clear($("result"));
    const routing = item.routing || {};
    box.append(
      MQ.el("p", { class: "tracking" }, MQ.t("desk.tracking"), " ", MQ.el("strong", { id: "tracking-code", text: item.tracking_code })),
      MQ.el("dl", { class: "facts" },
        MQ.el("dt", { text: MQ.t("case.id") }), MQ.el("dd", null, MQ.el("a", { id: "case-link", href: "/ui/cases/" + item.case_id, text: item.case_id })),
        MQ.el("dt", { text: MQ.t("case.owner") }), MQ.el("dd", { id: "case-owner", text: MQ.cadreName(dir, item.owner_cadre_id) }),
        MQ.el("dt", { text: MQ.t("case.handler") }), MQ.el("dd", { text: MQ.cadreName(dir, item.handler_cadre_id) }),
        MQ.el("dt", { text: MQ.t("case.routing") }), MQ.el("dd", { text: MQ.t("routing." + (routing.rule || "unknown")) })),
      MQ.el("ol", { class: "explanation", "aria-label": MQ.t("case.routing.steps") },
        ...(routing.explanation || routing.steps || []).map(function (s) { return MQ.el("li", { text: s }); })),
      MQ.el("button", { type: "button", id: "next-call", text: MQ.t("desk.next"), onclick: reset }));
    $("next-call").focus();
  }

  function reset() {
    form.reset();
    kindChanged(); anonymousChanged(); villageChanged();
    message.hidden = true;
    $("village").focus();
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const call = body();
    if (!call.village_code) { MQ.say(message, MQ.t("desk.village.invalid"), "error"); $("village").focus(); return; }
    if (!call.summary) { MQ.say(message, MQ.t("desk.summary.missing"), "error"); $("summary").focus(); return; }
    $("log-call").disabled = true;
    try {
      const answer = await MQ.api("/api/v1/calls", { method: "POST", body: call });
      showEarlier(answer.earlier_cases || []);
      MQ.say(message, MQ.t("desk.logged"), "ok");
      MQ.clear($("result")).append(MQ.el("p", { text: MQ.t("desk.routing.wait") }));
      const item = answer.case ? Object.assign({ routing: answer.case.routing }, answer.case) : await routed(answer.event_id);
      if (item) showCase(item); else MQ.clear($("result")).append(MQ.el("p", { class: "note note-error", text: MQ.t("desk.routing.late") }));
    } catch (error) { MQ.say(message, error.message, "error"); }
    finally { $("log-call").disabled = false; }
  });

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.activeElement && document.activeElement.id === "next-call") reset();
  });
  $("village").addEventListener("change", villageChanged);
  $("village").addEventListener("input", villageChanged);
  $("kind").addEventListener("change", kindChanged);
  $("anonymous").addEventListener("change", anonymousChanged);
  $("caller-phone").addEventListener("change", lookUpCaller);

  MQ.directory().then(function (d) { dir = d; fillPickers(); villageChanged(); kindChanged(); })
    .catch(function (error) { MQ.say(message, error.message, "error"); });
})();
