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
    constructor(status, detail) { super(detail); this.status = status; }
  }

  function describe(body, status) {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) {
      return body.detail.map(function (d) { return (d.loc || []).slice(1).join(".") + ": " + d.msg; }).join("; ");
    }
    return t("error.http", { status: status });
  }

  async function api(path, options) {
    const opts = options || {};
    const headers = { "Accept": "application/json" };
    const token = sessionStorage.getItem(TOKEN);
    if (token && !opts.anonymous) headers["Authorization"] = "Bearer " + token;
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method: opts.method || "GET", headers: headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    if (response.status === 401 && !opts.anonymous && !opts.noRedirect) { logout(false); }
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(response.status, describe(body, response.status));
    return body;
  }

  function me() { try { return JSON.parse(sessionStorage.getItem(ME) || "null"); } catch (e) { return null; } }

  function signIn(token, who) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(ME, JSON.stringify(who));
  }

  function landing(who) {
    if (!who) return "/ui/";
    if (who.role === "operator" || who.role === "petition_staff") return "/ui/desk";
    if (who.role === "leader" || who.role === "admin") return "/ui/dashboard";
    return "/ui/inbox";
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

  /* Pages that need a login call this first; it shows the nav links of the role. */
  function requireLogin(roles) {
    const who = me();
    if (!sessionStorage.getItem(TOKEN) || !who) { window.location.assign("/ui/"); throw new Error("login"); }
    showNav(who);
    if (roles && roles.indexOf(who.role) < 0) {
      note(document.querySelector("main"), t("error.role"), "error");
    }
    return who;
  }

  function showNav(who) {
    document.querySelectorAll("[data-roles]").forEach(function (item) {
      item.hidden = item.dataset.roles.split(" ").indexOf(who.role) < 0;
    });
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
        return d;
      });
    }
    return directoryPromise;
  }

  function cadreName(dir, id) {
    if (!id) return "—";
    if (id === "system") return t("actor.system");
    const cadre = dir.cadre[id];
    return cadre ? cadre.name + " (" + id + ")" : id;
  }
  function villageName(dir, code) { const v = dir.village[code]; return v ? v.name : code; }
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

  window.MQ = { t: t, el: el, clear: clear, api: api, ApiError: ApiError, when: when, day: day, timeTag: timeTag,
    me: me, signIn: signIn, landing: landing, logout: logout, requireLogin: requireLogin, note: note, say: say,
    directory: directory, cadreName: cadreName, villageName: villageName, categoryName: categoryName,
    postsName: postsName, deadlineState: deadlineState, statusBadge: statusBadge, formValues: formValues,
    lang: lang, zone: zone };
})();
