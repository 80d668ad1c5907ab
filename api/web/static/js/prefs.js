/* The notification preferences form (templates/notify_prefs.html): which channels ring,
   the e-mail address, quiet hours. `MQPrefs(url)` binds it to a cadre's preferences: the
   caller's own (/api/v1/notifications/preferences) or, for an admin, any cadre's. */
(function () {
  "use strict";
  window.MQPrefs = function (initialUrl) {
    const form = document.getElementById("prefs-form");
    const message = document.getElementById("prefs-message");
    let url = initialUrl;

    function fill(prefs) {
      form.querySelectorAll("input[name=channels]").forEach(function (box) {
        box.checked = prefs.channels.indexOf(box.value) >= 0;
      });
      form.elements.email.value = prefs.email || "";
      form.elements.quiet_hours.checked = !!prefs.quiet_hours;
      form.dataset.cadre = prefs.cadre_id;  // whose preferences the form now shows
    }

    async function load(next) {
      if (next) url = next;
      message.hidden = true;
      delete form.dataset.cadre;
      try { fill(await MQ.api(url)); form.hidden = false; }
      catch (error) { form.hidden = true; MQ.say(message, error.message, "error"); message.hidden = false; }
    }

    async function save(event) {
      event.preventDefault();
      const channels = Array.from(form.querySelectorAll("input[name=channels]:checked")).map(function (b) { return b.value; });
      const email = form.elements.email.value.trim();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        fill(await MQ.api(url, { method: "PUT",
          body: { channels: channels, quiet_hours: form.elements.quiet_hours.checked, email: email || null } }));
        MQ.say(message, MQ.t("prefs.saved"), "ok");
      } catch (error) { MQ.say(message, error.message, "error"); }
      finally { button.disabled = false; }
    }

    form.addEventListener("submit", save);
    return { load: load };
  };
})();
