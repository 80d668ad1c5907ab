/* Field forms at phone width: a diary entry (民情日记), a contact-card (联心卡) feedback, and
   for leaders (and the petition office) the reception-day form (领导接访日): visitors, up to
   five representatives, the accused; the receiving leader then decides on acceptance. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["record_field_forms"]);
  const $ = function (id) { return document.getElementById(id); };
  const message = $("field-message");
  const MAX_REPRESENTATIVES = 5;  // Art. 20
  const tabs = [["tab-diary", "diary-form"], ["tab-card", "card-form"], ["tab-reception", "reception-form"]];
  let dir = null;

  function visibleTabs() { return tabs.filter(function ([tab]) { return !$(tab).hidden; }); }

  function select(tabId, focus) {
    tabs.forEach(function ([tab, panel]) {
      const on = tab === tabId;
      $(tab).setAttribute("aria-selected", on ? "true" : "false");
      $(tab).tabIndex = on ? 0 : -1;
      $(panel).hidden = !on;
    });
    if (focus !== false) $(tabId).focus();
  }
  tabs.forEach(function ([tab]) {
    $(tab).addEventListener("click", function () { select(tab); });
    $(tab).addEventListener("keydown", function (event) {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const shown = visibleTabs(), at = shown.findIndex(function ([t]) { return t === tab; });
      const step = event.key === "ArrowRight" ? 1 : shown.length - 1;
      select(shown[(at + step) % shown.length][0]);
    });
  });

  $("diary-resolved").addEventListener("change", function () { $("diary-resolution").disabled = !$("diary-resolved").checked; });

  function fill() {
    const mine = dir.cadre[who.cadre_id];
    const home = mine && dir.village[mine.unit_code] ? mine.unit_code : null;
    ["diary-village", "card-village", "reception-village"].forEach(function (id) {
      dir.villages.forEach(function (v) { $(id).append(MQ.el("option", { value: v.code, text: v.name, selected: v.code === home })); });
    });
    document.querySelectorAll("select.categories").forEach(function (s) {
      dir.categories.forEach(function (c) { s.append(MQ.option(c.code, MQ.categoryName(dir, c.code), c.initials)); });
      MQ.typeahead(s);
    });
  }

  function show(answer, decide) {
    const box = MQ.clear($("field-result"));
    box.hidden = false;
    box.append(MQ.el("h2", { text: MQ.t("field.recorded") }));
    const c = answer.case;
    if (c) {
      box.append(MQ.el("p", null, MQ.t("desk.tracking"), " ", MQ.el("strong", { id: "field-tracking", text: c.tracking_code }), " · ",
        MQ.statusBadge(c.status), " · ", MQ.el("a", { href: "/ui/cases/" + c.case_id, text: MQ.t("field.open_case") })));
      if (c.linked) box.append(MQ.el("p", { class: "note note-warning", text: MQ.t("field.linked") }));
      if (decide && c.status === "assigned" && c.owner_cadre_id === who.cadre_id) box.append(acceptance(c));
    } else {
      box.append(MQ.el("p", { text: MQ.t("field.routing_later") }));
    }
  }

  /* The receiving leader owns the case (谁接访谁负责) and decides on acceptance: accept here,
     or decline (不予受理, with its reason and notice) on the case page. */
  function acceptance(c) {
    const done = MQ.el("p", { id: "acceptance-message", class: "note", role: "status", hidden: true });
    const accept = MQ.el("button", { type: "button", id: "reception-accept", text: MQ.t("action.accept"), onclick: async function () {
      accept.disabled = true;
      try {
        await MQ.api("/api/v1/cases/" + c.case_id + "/accept", { method: "POST", body: {} });
        MQ.announce(done, MQ.t("reception.accepted", { code: c.tracking_code }), "ok");
        buttons.remove();
      } catch (error) { accept.disabled = false; MQ.announce(done, error.message, "error"); }
    } });
    const buttons = MQ.el("div", { class: "buttons" }, accept,
      MQ.el("a", { href: "/ui/cases/" + c.case_id + "#action-decline", id: "reception-decline", text: MQ.t("reception.decline") }));
    return MQ.el("section", { id: "acceptance", "aria-labelledby": "acceptance-h" },
      MQ.el("h3", { id: "acceptance-h", text: MQ.t("reception.decide") }), MQ.el("p", { class: "hint", text: MQ.t("reception.decide.hint") }),
      buttons, done);
  }

  /* The 202 waits only briefly for the worker: look for the case a while longer, as the desk does. */
  async function routed(answer) {
    if (answer.case) return answer.case;
    for (let i = 0; i < 60; i++) {
      await new Promise(function (resolve) { setTimeout(resolve, 500); });
      const found = await MQ.api("/api/v1/cases?source_event_id=" + encodeURIComponent(answer.event_id));
      if (found.items.length) {
        const item = found.items[0];
        return Object.assign({ linked: Boolean(item.source_event_id) && item.source_event_id !== answer.event_id }, item);
      }
    }
    return null;
  }

  async function submit(path, body, form, decide) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const answer = await MQ.api(path, { method: "POST", body: body });
      form.reset();
      if (form.id === "reception-form") resetReception();
      message.hidden = true;
      const box = MQ.clear($("field-result"));
      box.hidden = false;
      box.append(MQ.el("p", { text: MQ.t("desk.routing.wait") }));
      MQ.reveal(box);
      show(Object.assign({}, answer, { case: await routed(answer) }), decide);
    } catch (error) { MQ.announce(message, error.message, "error"); }
    finally { button.disabled = false; }
  }

  /* Problems next to their fields; false (and the focus on the first) when there are any. */
  function checked(pairs) {
    const wrong = pairs.filter(function ([id, problem]) { return MQ.fieldError($(id), problem); });
    if (wrong.length) { MQ.announce(message, MQ.t("desk.fix"), "error"); $(wrong[0][0]).focus(); }
    return !wrong.length;
  }

  $("diary-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const v = MQ.formValues(event.target);
    if (!checked([["diary-household", v.household ? null : MQ.t("validation.missing")],
      ["diary-category", v.category ? null : MQ.t("field.category.missing")],
      ["diary-summary", v.summary ? null : MQ.t("desk.summary.missing")],
      ["diary-problems", v.problems || v.difficulties || v.hopes ? null : MQ.t("diary.missing.content")],
      ["diary-resolution", !$("diary-resolved").checked || v.resolution ? null : MQ.t("validation.missing")]])) return;
    submit("/api/v1/diary", { occurred_at: new Date().toISOString(), village_code: v.village_code, category: v.category,
      summary: v.summary, household: v.household, problems: v.problems || null, difficulties: v.difficulties || null,
      hopes: v.hopes || null, resolved_on_spot: $("diary-resolved").checked, resolution: v.resolution || null }, event.target);
  });

  $("card-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const v = MQ.formValues(event.target);
    const phone = MQ.phoneProblem(v.phone);
    if (!checked([["card-phone", phone ? MQ.reason({ code: phone }) : null],
      ["card-category", v.category ? null : MQ.t("field.category.missing")],
      ["card-summary", v.summary ? null : MQ.t("desk.summary.missing")]])) return;
    submit("/api/v1/contact-cards", { occurred_at: new Date().toISOString(), village_code: v.village_code, category: v.category,
      summary: v.summary, details: v.details || null, channel: v.channel, kind: v.kind,
      resident: { name: v.name || null, phone: v.phone || null } }, event.target);
  });

  /* The reception day: representatives (at most five), the accused when it is a complaint. */
  function representativeRow(index) {
    const id = "rep-" + index;
    return MQ.el("div", { class: "representative", "data-representative": String(index) },
      MQ.el("div", null, MQ.el("label", { for: id + "-name", text: MQ.t("reception.rep.name", { n: index + 1 }) }),
        MQ.el("input", { id: id + "-name", name: "rep_name", maxlength: "64", autocomplete: "off" })),
      MQ.el("div", null, MQ.el("label", { for: id + "-phone", text: MQ.t("reception.rep.phone", { n: index + 1 }) }),
        MQ.el("input", { id: id + "-phone", name: "rep_phone", type: "tel", maxlength: "32", autocomplete: "off" })));
  }
  function addRepresentative() {
    const rows = $("reception-rows");
    if (rows.children.length >= MAX_REPRESENTATIVES) return;
    rows.append(representativeRow(rows.children.length));
    $("reception-add").hidden = rows.children.length >= MAX_REPRESENTATIVES;
  }
  function localNow() {
    const now = new Date(Date.now() + 8 * 3600000);  // the township's time (UTC+8)
    return now.toISOString().slice(0, 16);
  }
  function resetReception() {
    MQ.clear($("reception-rows"));
    addRepresentative();
    $("reception-at").value = localNow();
    receptionKindChanged();
  }
  function receptionKindChanged() {
    $("reception-accused-box").hidden = ["complaint", "report"].indexOf($("reception-kind").value) < 0;
  }
  function villageCadres() {
    const code = $("reception-village").value, accused = MQ.clear($("reception-accused"));
    if (!code || !dir.village[code]) return;
    accused.append(MQ.el("option", { value: "unit:" + code, text: MQ.t("desk.accused.unit", { name: dir.village[code].name }) }));
    dir.cadres.filter(function (c) { return c.unit_code === code; }).forEach(function (c) {
      accused.append(MQ.option("cadre:" + c.cadre_id, c.name + " · " + MQ.postsName(c.posts), c.initials));
    });
    const township = MQ.el("optgroup", { label: MQ.t("desk.accused.township", { name: dir.township.name }) });
    dir.cadres.filter(function (c) { return c.unit_code === dir.township.code && c.cadre_id !== who.cadre_id; }).forEach(function (c) {
      township.append(MQ.option("cadre:" + c.cadre_id, c.name + " · " + MQ.postsName(c.posts), c.initials));
    });
    accused.append(township);
  }

  $("reception-add").addEventListener("click", function () {
    addRepresentative();
    const rows = $("reception-rows").querySelectorAll("[name=rep_name]");
    rows[rows.length - 1].focus();
  });
  $("reception-kind").addEventListener("change", receptionKindChanged);
  $("reception-village").addEventListener("change", villageCadres);

  $("reception-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const v = MQ.formValues(event.target);
    const count = Number(v.visitor_count);
    const checks = [["reception-at", v.occurred_at ? null : MQ.t("validation.missing")],
      ["reception-category", v.category ? null : MQ.t("field.category.missing")],
      ["reception-summary", v.summary ? null : MQ.t("desk.summary.missing")]];
    const representatives = [];
    $("reception-rows").querySelectorAll("[data-representative]").forEach(function (row) {
      const name = row.querySelector("[name=rep_name]"), phone = row.querySelector("[name=rep_phone]");
      const code = MQ.phoneProblem(phone.value);
      checks.push([phone.id, code ? MQ.reason({ code: code }) : null]);
      checks.push([name.id, !name.value.trim() && phone.value.trim() ? MQ.t("reception.rep.name.missing") : null]);
      if (name.value.trim()) representatives.push({ name: name.value.trim(), phone: phone.value.trim() || null });
    });
    checks.unshift(["reception-count", !(Number.isInteger(count) && count >= 1) ? MQ.t("reception.visitors.invalid")
      : representatives.length > count ? MQ.t("reception.visitors.fewer") : null]);
    if (!checked(checks)) return;
    const body = { occurred_at: v.occurred_at + ":00+08:00", village_code: v.village_code, category: v.category,
      summary: v.summary, details: v.details || null, visitor_count: count, representatives: representatives, kind: v.kind };
    if (!$("reception-accused-box").hidden) {
      const picked = Array.from($("reception-accused").selectedOptions).map(function (o) { return o.value; });
      const cadres = picked.filter(function (p) { return p.startsWith("cadre:"); }).map(function (p) { return p.slice(6); });
      const units = picked.filter(function (p) { return p.startsWith("unit:"); }).map(function (p) { return p.slice(5); });
      if (cadres.length || units.length) body.accused = { cadre_ids: cadres, unit_codes: units };
    }
    submit("/api/v1/reception-visits", body, event.target, true);
  });

  MQ.directory().then(function (d) {
    dir = d; fill(); resetReception(); villageCadres();
    if (!$("tab-reception").hidden && MQ.can("decide", who)) select("tab-reception", false);  // a leader's reception day first
  }).catch(function (error) { MQ.say(message, error.message, "error"); });
})();
