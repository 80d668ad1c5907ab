/* The notification centre: the caller's own notifications, unread first, each linking to its
   case (opening it marks it read); mark one or all read; the list follows the header's live
   unread badge; and the cadre's own notification preferences. */
(function () {
  "use strict";
  const who = MQ.requireLogin();
  const $ = function (id) { return document.getElementById(id); };
  const PAGE = 50;
  const message = $("notify-message");
  let dir = null, shown = 0, total = 0, unread = null;

  if (!who.cadre_id) {
    MQ.say(message, MQ.t("notify.no_cadre"), "info");
    $("prefs-section").hidden = true;
  }

  function target(n) {
    if (n.case_id) return "/ui/cases/" + encodeURIComponent(n.case_id);
    if (n.kind === "digest") return "/ui/inbox";
    if (n.kind === "early_warning") return "/ui/dashboard";
    return null;
  }

  async function markRead(n) {
    const answer = await MQ.api("/api/v1/notifications/" + encodeURIComponent(n.notification_id) + "/read",
      { method: "POST" });
    if (MQ.bell) MQ.bell.refresh();
    return answer;
  }

  function item(n) {
    const href = target(n);
    const about = [n.tracking_code, n.village_code ? MQ.villageName(dir, n.village_code) : null,
      n.category ? MQ.categoryName(dir, n.category) : null].filter(Boolean).join(" · ");
    const li = MQ.el("li", { class: "notification" + (n.read_at ? "" : " unread"), "data-id": n.notification_id,
        "data-kind": n.kind },
      MQ.el("div", null,
        MQ.el("span", { class: "kind", text: MQ.t("notify.kind." + n.kind) }),
        n.urgent ? MQ.el("span", { class: "badge urgent", text: MQ.t("urgency.urgent") }) : null,
        n.read_at ? null : MQ.el("span", { class: "unread-mark", text: MQ.t("notify.new") }),
        " ", MQ.el("span", { class: "meta" }, MQ.timeTag(n.created_at))),
      MQ.el("p", { class: "text", lang: "zh", text: n.text }),
      about || n.due_at ? MQ.el("p", { class: "meta" }, about,
        n.due_at ? MQ.el("span", null, about ? " · " : "", MQ.t("notify.due"), " ", MQ.timeTag(n.due_at)) : null) : null);
    const links = MQ.el("div", { class: "links" });
    if (href) {
      links.append(MQ.el("a", { href: href, class: "open", text: MQ.t(n.case_id ? "notify.open_case" : "notify.open"),
        onclick: function (event) {
          if (n.read_at || event.ctrlKey || event.metaKey || event.shiftKey) return;
          event.preventDefault();
          markRead(n).catch(function () {}).finally(function () { window.location.assign(href); });
        } }));
    }
    if (!n.read_at) {
      links.append(MQ.el("button", { type: "button", class: "secondary mark-read", text: MQ.t("notify.mark_read"),
        onclick: function () {
          markRead(n).then(function () { load(); }).catch(function (error) { MQ.say(message, error.message, "error"); });
        } }));
    }
    li.append(links);
    return li;
  }

  async function load(more) {
    const unreadOnly = $("unread-only").checked;
    const offset = more ? shown : 0;
    const page = await MQ.api("/api/v1/notifications?limit=" + PAGE + "&offset=" + offset +
      (unreadOnly ? "&unread_only=true" : ""));
    const list = $("notify-list");
    if (!more) { MQ.clear(list); shown = 0; }
    page.items.forEach(function (n) { list.append(item(n)); });
    shown += page.items.length;
    total = page.total;
    unread = page.unread;
    if (!shown) list.append(MQ.el("li", { class: "hint", text: MQ.t(unreadOnly ? "notify.none_unread" : "notify.empty") }));
    $("notify-count").textContent = MQ.t("notify.count", { n: page.unread });
    $("notify-more").hidden = shown >= total;
    $("mark-all").disabled = page.unread === 0;
  }

  function reload() { load().catch(function (error) { MQ.say(message, error.message, "error"); }); }

  $("unread-only").addEventListener("change", reload);
  $("notify-more").addEventListener("click", function () { load(true).catch(function () {}); });
  $("mark-all").addEventListener("click", async function () {
    try {
      await MQ.api("/api/v1/notifications/read", { method: "POST" });
      MQ.say(message, MQ.t("notify.marked_all"), "ok");
      if (MQ.bell) MQ.bell.refresh();
      reload();
    } catch (error) { MQ.say(message, error.message, "error"); }
  });
  // A new notification (or one read in another tab): the badge hears it first.
  document.addEventListener("mq:unread", function (event) {
    if (unread !== null && event.detail.unread !== unread) reload();
  });

  MQ.directory().then(function (d) { dir = d; return load(); })
    .catch(function (error) { MQ.say(message, error.message, "error"); });
  if (who.cadre_id) MQPrefs("/api/v1/notifications/preferences").load();
})();
