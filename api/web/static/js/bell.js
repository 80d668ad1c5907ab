/* The unread badge in the header, on every page of a cadre: live through server-sent events
   read with fetch (the token travels in the Authorization header, never in a URL), polling
   when the stream is unavailable. Other scripts hear each change as a "mq:unread" event
   on document, and may call MQ.bell.refresh() after marking something read. */
(function () {
  "use strict";
  const bell = document.getElementById("bell");
  const count = document.getElementById("bell-count");
  const token = function () { return sessionStorage.getItem("minqing.token"); };
  const POLL_MS = 15000;
  if (!bell || !count || !window.MQ) return;
  const who = MQ.me();
  if (!token() || !who || !who.cadre_id) return;  // only a cadre of the roster is notified
  bell.hidden = false;
  let unread = null;

  function show(n) {
    const changed = n !== unread;
    unread = n;
    count.textContent = n > 99 ? "99+" : String(n);
    count.hidden = n === 0;
    bell.title = MQ.t("notify.bell", { n: n });
    bell.setAttribute("aria-label", bell.title);
    bell.classList.toggle("has-unread", n > 0);
    bell.dataset.unread = String(n);
    if (changed) document.dispatchEvent(new CustomEvent("mq:unread", { detail: { unread: n } }));
  }

  async function refresh() {
    const answer = await MQ.api("/api/v1/notifications/unread");
    show(answer.unread);
  }

  function stream() {
    return MQ.stream("/ui/api/notifications/live", function (name, data) { if (name === "unread") show(data.unread); });
  }

  async function poll() {
    for (;;) {
      try { await refresh(); } catch (error) { /* the next round tries again */ }
      await new Promise(function (resolve) { setTimeout(resolve, POLL_MS); });
    }
  }

  async function live() {
    for (let failures = 0; failures < 3; failures++) {
      try { await stream(); failures = -1; } catch (error) { /* reconnect, then fall back to polling */ }
      await new Promise(function (resolve) { setTimeout(resolve, 2000); });
    }
    poll();
  }

  MQ.bell = { refresh: function () { return refresh().catch(function () {}); }, unread: function () { return unread; } };
  live();
})();
