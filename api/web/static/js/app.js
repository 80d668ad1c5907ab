/* Minqing UI core: texts, token, API calls, dates, DOM building. No framework, no CDN.
   The bearer token lives in sessionStorage: it is sent only by our scripts in the
   Authorization header (so no cookie can be ridden by another site), and it is gone when
   the tab closes. The page's Content-Security-Policy allows scripts from this origin only. */
(function () {
  "use strict";
  const root = document.documentElement;
  const texts = JSON.parse(document.getElementById("mq-texts").textContent);
  const lang = root.lang === "en" ? "en" : "zh";
  const zone = root.dataset.tz || "Asia/Shanghai";
  const TOKEN = "minqing.token", ME = "minqing.me";

  function t(key, values) {
    let text = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
    if (values) {
      Object.keys(values).forEach(function (name) { text = text.split("{" + name + "}").join(String(values[name])); });
    }
    return text;
  }

  function el(tag, attrs) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([name, value]) {
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  const dateTime = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-CN", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });
  const dateOnly = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-CN", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" });

  function when(iso) { return iso ? dateTime.format(new Date(iso)) : "—"; }
  function day(iso) { return iso ? dateOnly.format(new Date(iso.length === 10 ? iso + "T12:00:00+08:00" : iso)) : "—"; }
  function timeTag(iso) { return el("time", { datetime: iso || "", text: when(iso) }); }

  class ApiError extends Error {
    constructor(status, body) { super(describe(body, status)); this.status = status; this.body = body; }
  }

  function has(key) { return Object.prototype.hasOwnProperty.call(texts, key); }

  /* A field named by a validation error's location, in the reader's words. */
  const FIELD_ALIASES = { text: "field.reply", handler_cadre_id: "field.handler", owner_cadre_id: "field.new_owner",
    village_code: "field.village", dialed_cadre_id: "field.dialed", cadre_ids: "field.accused", unit_codes: "field.accused",
    resident: "field.name", caller: "desk.caller", resolution: "diary.resolution", household: "diary.household",
    problems: "diary.problems", result: "field.result", decision: "field.decision", approve: "field.decision" };
  function fieldLabel(loc) {
    const parts = (loc || []).filter(function (p) { return typeof p === "string" && p !== "body" && p !== "query" && p !== "path"; });
    if (!parts.length) return null;  // the whole request: the message says what
    for (let i = parts.length - 1; i >= 0; i--) {
      const name = parts[i];
      if (FIELD_ALIASES[name]) return t(FIELD_ALIASES[name]);
      if (has("field." + name)) return t("field." + name);
    }
    return t("field.generic");
  }
  function labelled(loc, text) {
    const label = fieldLabel(loc);
    return label ? label + t("punct.colon") + text : text;
  }

  /* FastAPI/pydantic 422 problems: `type` picks the message (a domain code such as
     petitioner.phone_format reads through reason.<code>), `ctx` fills it. */
  function validationText(problem) {
    const ctx = Object.assign({}, problem.ctx || {});
    if (ctx.expected) ctx.expected = String(ctx.expected).replace(/'/g, "");
    const key = has("validation." + problem.type) ? "validation." + problem.type
      : has("reason." + problem.type) ? "reason." + problem.type : "validation.generic";
    const text = t(key, ctx);
    return /{\w+}/.test(text) ? t("validation.generic") : text;
  }

  function describe(body, status) {
    const problems = body && Array.isArray(body.detail) ? body.detail : null;
    if (body && typeof body === "object" && body.code && has("reason." + body.code)) {
      const text = reason({ code: body.code, params: body.params });
      return problems && problems.length === 1 ? labelled(problems[0].loc, text) : text;
    }
    if (problems) {
      return problems.map(function (p) { return labelled(p.loc, validationText(p)); }).join(t("punct.semicolon"));
    }
    if (status === 409 && body && body.state) return t("error.state", { state: t("status." + body.state) });
    if (lang === "en" && body && typeof body.detail === "string") return body.detail;
    return has("error.status." + status) ? t("error.status." + status) : t("error.http", { status: status });
  }

  /* A reason from the server: a code with params rendered by the catalogue, else its text.
     Params naming cadres, villages, categories, states or stages are shown by name. */
  let known = null;
  function param(name, value) {
    if (value === null || value === undefined) return "—";
    if (Array.isArray(value)) return value.map(function (v) { return param(name, v); }).join("、");
    if (known && /cadre_id$|^cadre$|^owner$|^handler$|^recipient$/.test(name)) return cadreName(known, value);
    if (known && /village_code$|^village$|^unit_code$|^unit$/.test(name)) return villageName(known, value);
    if (known && /^category$/.test(name)) return categoryName(known, value);
    if (/^level$/.test(name) && has("chain.level." + value)) return t("chain.level." + value);
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return when(value);
    if (/^(status|state)$/.test(name) && has("status." + value)) return t("status." + value);
    if (/^stage$/.test(name) && has("stage." + value)) return t("stage." + value);
    if (/^(source)$/.test(name) && has("source." + value)) return t("source." + value);
    if (/^(kind)$/.test(name) && has("kind." + value)) return t("kind." + value);
    return value;
  }
  function reason(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    const key = "reason." + value.code;
    if (value.code && has(key)) {
      const params = {};
      Object.keys(value.params || {}).forEach(function (name) { params[name] = param(name, value.params[name]); });
      return t(key, params);
    }
    return value.text || value.message || value.detail || "";
  }
  /* Server text without a code: shown as written in English; in Chinese it is left out when
     it is an English sentence (three English words in a row: never a note typed in Chinese),
     until the server sends its code. */
  function readable(text) {
    if (!text) return "";
    if (lang === "en") return String(text);
    return /[A-Za-z]{2,}[\s,;:()]+[A-Za-z]{2,}[\s,;:()]+[A-Za-z]{2,}/.test(String(text)) ? "" : String(text);
  }

  async function api(path, options) {
    const opts = options || {};
    const headers = { "Accept": "application/json" };
    const token = sessionStorage.getItem(TOKEN);
    if (token && !opts.anonymous) headers["Authorization"] = "Bearer " + token;
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method: opts.method || "GET", headers: headers, keepalive: !!opts.keepalive,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    if (response.status === 401 && !opts.anonymous && !opts.noRedirect) { logout(false); }
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  function me() { try { return JSON.parse(sessionStorage.getItem(ME) || "null"); } catch (e) { return null; } }

  function signIn(token, who) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(ME, JSON.stringify(who));
  }

  /* What the caller may do comes from the server (`/ui/api/me`: `capabilities`, from
     models/access.py), never from role names kept here. */
  function can(capability, who) {
    const w = who || me();
    return !!(w && (w.capabilities || []).indexOf(capability) >= 0);
  }
  function canAny(capabilities, who) { return capabilities.some(function (c) { return can(c, who); }); }
  /* The roles that may do something, in words (the roles are the subject here), from the
     `policy` /ui/api/me sends. */
  function rolesThatMay(capability, who) {
    const policy = (who || me() || {}).policy || {};
    return Object.keys(policy).filter(function (role) { return policy[role].indexOf(capability) >= 0; })
      .map(function (role) { return t("role." + role); }).join("、");
  }

  function landing(who) {
    if (!who) return "/ui/";
    if (can("log_events", who)) return "/ui/desk";
    if (can("see_rates", who) || can("administer", who)) return "/ui/dashboard";
    if (can("work_cases", who)) return "/ui/inbox";
    return "/ui/cases";
  }

  function logout(revoke) {
    const token = sessionStorage.getItem(TOKEN);
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(ME);
    const leave = function () { window.location.assign("/ui/"); };
    if (revoke && token) {
      fetch("/api/v1/auth/logout", { method: "POST", headers: { "Authorization": "Bearer " + token } }).finally(leave);
    } else { leave(); }
  }

  /* Pages that need a login call this first with the capabilities the page serves (any of
     them); it shows the nav links the caller may use. A session stored before the server
     sent capabilities is refreshed once. */
  function requireLogin(needs) {
    const who = me();
    if (!sessionStorage.getItem(TOKEN) || !who) { window.location.assign("/ui/"); throw new Error("login"); }
    if (!Array.isArray(who.capabilities)) {
      api("/ui/api/me").then(function (fresh) { sessionStorage.setItem(ME, JSON.stringify(fresh)); window.location.reload(); });
      throw new Error("refreshing the session");
    }
    showNav(who);
    if (needs && !canAny(needs, who)) {
      note(document.querySelector("main"), t("error.role"), "error");
    }
    return who;
  }

  /* Elements marked data-needs="a b" are shown to callers with capability a or b. */
  function showNeeds(who) {
    document.querySelectorAll("[data-needs]").forEach(function (item) {
      item.hidden = !canAny(item.dataset.needs.split(" "), who);
    });
  }

  function showNav(who) {
    showNeeds(who);
    const badge = document.getElementById("who");
    if (badge) badge.textContent = (who.name || who.cadre_id || "") + " · " + t("role." + who.role);
    const out = document.getElementById("logout");
    if (out) { out.hidden = false; out.addEventListener("click", function () { logout(true); }); }
  }

  function note(where, message, kind) {
    const box = el("p", { class: "note note-" + (kind || "info"), role: kind === "error" ? "alert" : "status", text: message });
    where.prepend(box);
    return box;
  }

  function say(region, message, kind) {
    region.className = "note note-" + (kind || "info");
    region.textContent = message;
    region.hidden = false;
  }

  let directoryPromise = null;
  function directory() {
    if (!directoryPromise) {
      directoryPromise = api("/ui/api/directory").then(function (d) {
        d.cadre = {}; d.cadres.forEach(function (c) { d.cadre[c.cadre_id] = c; });
        d.village = {}; d.villages.forEach(function (v) { d.village[v.code] = v; });
        d.category = {}; d.categories.forEach(function (c) { d.category[c.code] = c; });
        known = d;
        return d;
      });
    }
    return directoryPromise;
  }

  function cadreName(dir, id) {
    if (!id) return "—";
    if (id === "system") return t("actor.system");
    const cadre = dir.cadre[id];
    return cadre ? cadre.name : id;
  }
  /* A name with the post, for pickers where two people may share a name. */
  function cadreLabel(dir, id) {
    const cadre = dir.cadre[id];
    return cadre ? cadre.name + " · " + postsName(cadre.posts) : cadreName(dir, id);
  }
  function villageName(dir, code) {
    const v = dir.village[code];
    if (v) return v.name;
    if (dir.township && dir.township.code === code) return dir.township.name;
    return code;
  }
  function categoryName(dir, code) {
    const key = "category." + code;
    if (lang === "en" && texts[key]) return texts[key];
    const c = dir.category[code];
    return c ? c.label : (texts[key] || code);
  }
  function postsName(posts) { return posts.map(function (p) { return t("post." + p); }).join("、"); }

  function deadlineState(item) {
    if (item.overdue) return { cls: "overdue", text: t("deadline.overdue") };
    if (item.warning) return { cls: "warning", text: t("deadline.warning") };
    if (item.due_at) return { cls: "ontime", text: t("deadline.ontime") };
    return { cls: "none", text: t("deadline.none") };
  }

  function statusBadge(status) { return el("span", { class: "badge status-" + status, text: t("status." + status) }); }

  function setLanguage(next) {
    document.cookie = "minqing_lang=" + next + "; path=/; max-age=31536000; SameSite=Lax";
    const url = new URL(window.location.href);
    url.searchParams.delete("lang");
    window.location.assign(url.toString());
  }

  document.querySelectorAll("[data-set-lang]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); setLanguage(link.dataset.setLang); });
  });

  function formValues(form) {
    const values = {};
    new FormData(form).forEach(function (value, name) { values[name] = typeof value === "string" ? value.trim() : value; });
    return values;
  }


  /* Which deadline `due_at` is (the server names it as `due_stage` when it can), and how long is left. */
  const STAGE_ORDER = ["first_contact", "acceptance", "handling", "conclusion", "objection", "callback", "review_decision", "re_review_decision"];
  function dueStage(item) {
    if (item.due_stage) return item.due_stage;
    if (!item.due_at || !item.deadlines) return null;
    const due = new Date(item.due_at).getTime();
    const stages = Object.keys(item.deadlines).filter(function (s) { return new Date(item.deadlines[s]).getTime() === due; });
    stages.sort(function (a, b) { return STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b); });
    return stages[0] || null;
  }
  function span(ms) {
    const minutes = Math.max(1, Math.floor(Math.abs(ms) / 60000));
    const days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    if (days) return t("span.days_hours", { d: days, h: hours });
    if (hours) return t("span.hours_minutes", { h: hours, m: mins });
    return t("span.minutes", { m: mins });
  }
  function countdown(dueIso, now) {
    const left = new Date(dueIso).getTime() - (now || Date.now());
    return left >= 0 ? t("due.left", { span: span(left) }) : t("due.over", { span: span(left) });
  }
  function daysOverdue(dueIso, now) {
    const late = (now || Date.now()) - new Date(dueIso).getTime();
    return late > 0 ? Math.ceil(late / 86400000) : 0;
  }
  /* "首次联系：还剩 3 小时 20 分" — which deadline and how long. */
  function deadlineLine(item, now) {
    if (!item.due_at) return t("deadline.none");
    const stage = dueStage(item);
    return (stage ? t("due." + stage) : t("due.current")) + t("punct.colon") + countdown(item.due_at, now);
  }

  /* Phone and ID number formats: the same rules as models/petitioners.py (a browser test
     compares the two on the same samples). */
  function phoneDigits(raw) {
    let digits = String(raw || "").replace(/\D/g, "");
    ["0086", "86"].forEach(function (prefix) {
      if (digits.startsWith(prefix) && digits.length - prefix.length === 11) digits = digits.slice(prefix.length);
    });
    return digits;
  }
  function phoneKind(raw) {
    const value = String(raw || "").trim();
    if (!value || !/^\+?[\d\s()\-]+$/.test(value)) return null;
    if (value.startsWith("+") && !value.replace(/\D/g, "").startsWith("86")) return null;
    const digits = phoneDigits(value);
    if (/^1[3-9]\d{9}$/.test(digits)) return "mobile";
    if (/^0(?:10|2\d)[2-9]\d{7}$|^0[3-9]\d{2}[2-9]\d{6,7}$/.test(digits)) return "landline";
    return null;
  }
  function phoneProblem(raw) {
    if (!String(raw || "").trim()) return null;
    return phoneKind(raw) ? null : "petitioner.phone_format";
  }
  function idProblem(raw) {
    const value = String(raw || "").trim().toUpperCase();
    if (!value) return null;
    if (!/^[1-9]\d{16}[\dX]$/.test(value)) return "petitioner.id_format";
    const y = Number(value.slice(6, 10)), m = Number(value.slice(10, 12)), d = Number(value.slice(12, 14));
    const born = new Date(Date.UTC(y, m - 1, d));
    if (y < 1900 || born.getUTCFullYear() !== y || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d) return "petitioner.id_birth_date";
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(value[i]) * weights[i];
    return "10X98765432"[sum % 11] === value[17] ? null : "petitioner.id_checksum";
  }

  /* A problem shown next to its field (and read out with it); cleared when fixed. */
  function fieldError(input, message) {
    const id = input.id + "-error";
    let box = document.getElementById(id);
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== id; });
    if (!message) {
      input.removeAttribute("aria-invalid");
      if (box) box.remove();
      if (described.length) input.setAttribute("aria-describedby", described.join(" ")); else input.removeAttribute("aria-describedby");
      return false;
    }
    if (!box) { box = el("small", { id: id, class: "field-error" }); input.insertAdjacentElement("afterend", box); }
    box.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", described.concat([id]).join(" "));
    return true;
  }

  /* Type the pinyin initials (or part of the name) on a focused picker to choose: "ys" → 饮水用水.
     Options carry their initials in data-initials. */
  function typeahead(select) {
    let typed = "", timer = null;
    select.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1 || !/[A-Za-z0-9]/.test(event.key)) return;
      event.preventDefault();
      typed += event.key.toLowerCase();
      clearTimeout(timer);
      timer = setTimeout(function () { typed = ""; }, 1000);
      const options = Array.from(select.options).filter(function (o) { return o.value && !o.disabled; });
      const hit = options.find(function (o) { return (o.dataset.initials || "").startsWith(typed); }) ||
        options.find(function (o) { return (o.dataset.initials || "").includes(typed); });
      if (hit && select.value !== hit.value) {
        select.value = hit.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
  function option(value, text, initials, selected) {
    return el("option", { value: value, text: text, "data-initials": initials || null, selected: !!selected });
  }

  /* Does a search box's text match these words (names, codes, pinyin initials)? */
  function matches(query, words) {
    const wanted = String(query || "").trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (!wanted.length) return true;
    const hay = words.filter(function (w) { return w !== null && w !== undefined; }).join(" ").toLowerCase();
    return wanted.every(function (w) { return hay.includes(w); });
  }

  /* A confirmation shown where the user is: scrolled to and focused (phones scroll far). */
  function announce(region, message, kind) {
    say(region, message, kind);
    reveal(region);
  }
  function reveal(region) {
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
    region.scrollIntoView({ block: "center" });
    region.focus({ preventScroll: true });
  }

  /* Undo instead of "are you sure?": the action waits `seconds` with an undo button in its
     place and is sent then (or at once when the page is left). */
  const pending = new Set();
  function undoable(where, message, commit, options) {
    const opts = options || {};
    const seconds = opts.seconds || 6;
    let left = seconds, done = false;
    const undo = el("button", { type: "button", class: "secondary undo" });
    const bar = el("p", { class: "note note-warning undo-bar", role: "status" }, el("span", { text: message }), " ", undo);
    const entry = { fire: fire };
    function label() { undo.textContent = t("undo.button", { n: left }); }
    async function fire(leaving) {
      if (done) return;
      done = true; clearInterval(timer); pending.delete(entry);
      bar.replaceChildren(el("span", { text: t("undo.sending") }));
      try { await commit(!!leaving); if (opts.after) opts.after(); }
      catch (error) { bar.remove(); if (opts.failed) opts.failed(error); }
    }
    undo.addEventListener("click", function () {
      if (done) return;
      done = true; clearInterval(timer); pending.delete(entry); bar.remove();
      if (opts.undone) opts.undone();
    });
    label();
    const timer = setInterval(function () { left -= 1; if (left <= 0) fire(false); else label(); }, 1000);
    pending.add(entry);
    where.append(bar);
    undo.focus();
    return entry;
  }
  window.addEventListener("pagehide", function () { pending.forEach(function (entry) { entry.fire(true); }); });

  /* Does the statutory clock run on an official holiday schedule for the coming 60 days?
     Admins read it from /healthz (its `calendar` details); everyone else from the calendar
     of this year and of the year 60 days ahead. Null when it does, else the provisional
     years and the end of the window. */
  const LOOKAHEAD_DAYS = 60;
  function localDay(ms) { return new Date(ms + 8 * 3600000).toISOString().slice(0, 10); }
  async function calendarOutlook(who) {
    if (can("administer", who)) {
      let health;
      try { health = await api("/healthz"); } catch (error) { health = error.body || {}; }
      const found = health && health.calendar;
      if (found) return found.provisional_ahead ? { years: found.provisional_years, until: found.until } : null;
    }
    const today = localDay(Date.now()), until = localDay(Date.now() + LOOKAHEAD_DAYS * 86400000);
    const years = Array.from(new Set([Number(today.slice(0, 4)), Number(until.slice(0, 4))]));
    const answers = await Promise.all(years.map(function (y) { return api("/api/v1/calendar/" + y); }));
    const provisional = answers.filter(function (a) { return a.provisional; }).map(function (a) { return a.year; });
    return provisional.length ? { years: provisional, until: until } : null;
  }
  function outlookNote(outlook) {
    return el("p", { class: "note note-warning calendar-warning", id: "calendar-outlook", role: "status" },
      t("calendar.outlook", { years: outlook.years.join("、"), until: day(outlook.until) }), " ",
      el("a", { href: "/ui/calendar?year=" + outlook.years[0], text: t(can("administer") ? "calendar.outlook.import" : "calendar.outlook.see") }));
  }

  /* A server-sent events stream read with fetch, so the bearer token travels in a header and
     never in the URL: calls onEvent(name, data) for each event until the server ends it. */
  async function stream(path, onEvent, onOpen) {
    const response = await fetch(path, { headers: { "Authorization": "Bearer " + sessionStorage.getItem("minqing.token"),
      "Accept": "text/event-stream" } });
    if (!response.ok || !response.body) throw new Error("stream " + response.status);
    if (onOpen) onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const name = (block.split("\n").find(function (l) { return l.startsWith("event:"); }) || "").slice(6).trim();
        const data = block.split("\n").filter(function (l) { return l.startsWith("data:"); })
          .map(function (l) { return l.slice(5).trim(); }).join("\n");
        if (name && data) onEvent(name, JSON.parse(data));
      }
    }
  }

  window.MQ = { t: t, el: el, clear: clear, api: api, stream: stream, ApiError: ApiError, when: when, day: day, timeTag: timeTag,
    me: me, can: can, canAny: canAny, rolesThatMay: rolesThatMay, showNeeds: showNeeds, signIn: signIn, landing: landing, logout: logout, requireLogin: requireLogin, note: note, say: say,
    directory: directory, cadreName: cadreName, villageName: villageName, categoryName: categoryName,
    postsName: postsName, deadlineState: deadlineState, statusBadge: statusBadge, formValues: formValues,
    lang: lang, zone: zone, has: has, reason: reason, readable: readable, cadreLabel: cadreLabel,
    dueStage: dueStage, countdown: countdown, daysOverdue: daysOverdue, deadlineLine: deadlineLine,
    phoneKind: phoneKind, phoneProblem: phoneProblem, idProblem: idProblem, fieldError: fieldError,
    typeahead: typeahead, option: option, matches: matches, announce: announce, reveal: reveal, undoable: undoable,
    calendarOutlook: calendarOutlook, outlookNote: outlookNote };
})();
