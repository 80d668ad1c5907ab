/* Field forms at phone width: a diary entry (民情日记) and a contact-card (联心卡) feedback. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["record_field_forms"]);
  const $ = function (id) { return document.getElementById(id); };
  const message = $("field-message");
  const tabs = [["tab-diary", "diary-form"], ["tab-card", "card-form"]];
  let dir = null;

  function select(tabId) {
    tabs.forEach(function ([tab, panel]) {
      const on = tab === tabId;
      $(tab).setAttribute("aria-selected", on ? "true" : "false");
      $(tab).tabIndex = on ? 0 : -1;
      $(panel).hidden = !on;
    });
    $(tabId).focus();
  }
  tabs.forEach(function ([tab], i) {
    $(tab).addEventListener("click", function () { select(tab); });
    $(tab).addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") select(tabs[(i + 1) % tabs.length][0]);
    });
  });

  $("diary-resolved").addEventListener("change", function () { $("diary-resolution").disabled = !$("diary-resolved").checked; });

  function fill() {
    const mine = dir.cadre[who.cadre_id];
    const home = mine && dir.village[mine.unit_code] ? mine.unit_code : null;
    ["diary-village", "card-village"].forEach(function (id) {
      dir.villages.forEach(function (v) { $(id).append(MQ.el("option", { value: v.code, text: v.name, selected: v.code === home })); });
    });
    document.querySelectorAll("select.categories").forEach(function (s) {
      dir.categories.forEach(function (c) { s.append(MQ.option(c.code, MQ.categoryName(dir, c.code), c.initials)); });
      MQ.typeahead(s);
    });
  }

  function show(answer) {
    const box = MQ.clear($("field-result"));
    box.hidden = false;
    box.append(MQ.el("h2", { text: MQ.t("field.recorded") }));
    if (answer.case) {
      box.append(MQ.el("p", null, MQ.t("desk.tracking"), " ", MQ.el("strong", { text: answer.case.tracking_code }), " · ",
        MQ.statusBadge(answer.case.status), " · ", MQ.el("a", { href: "/ui/cases/" + answer.case.case_id, text: MQ.t("field.open_case") })));
    } else {
      box.append(MQ.el("p", { text: MQ.t("field.routing_later") }));
    }
  }

  async function submit(path, body, form) {
    try {
      const answer = await MQ.api(path, { method: "POST", body: body });
      form.reset();
      message.hidden = true;
      show(answer);
      MQ.reveal($("field-result"));
    } catch (error) { MQ.announce(message, error.message, "error"); }
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

  MQ.directory().then(function (d) { dir = d; fill(); }).catch(function (error) { MQ.say(message, error.message, "error"); });
})();
