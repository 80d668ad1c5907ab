/* Login by password (POST /api/v1/auth/login) or by a bearer token; then the role's landing page. */
(function () {
  "use strict";
  const message = document.getElementById("login-message");

  async function enter(token) {
    sessionStorage.setItem("minqing.token", token);
    try {
      const who = await MQ.api("/ui/api/me", { noRedirect: true });
      MQ.signIn(token, who);
      window.location.assign(MQ.landing(who));
    } catch (error) {
      sessionStorage.removeItem("minqing.token");
      MQ.say(message, error.status === 401 ? MQ.t("login.refused") : error.message, "error");
    }
  }

  document.getElementById("password-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const values = MQ.formValues(event.target);
    if (!values.username || !values.password) { MQ.say(message, MQ.t("login.missing"), "error"); return; }
    try {
      const session = await MQ.api("/api/v1/auth/login", { method: "POST", anonymous: true,
        body: { username: values.username, password: values.password } });
      await enter(session.access_token);
    } catch (error) {
      MQ.say(message, error.status === 401 ? MQ.t("login.refused") : error.message, "error");
    }
  });

  document.getElementById("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const token = MQ.formValues(event.target).token;
    if (!token) { MQ.say(message, MQ.t("login.missing"), "error"); return; }
    enter(token);
  });

  const who = MQ.me();
  if (who && sessionStorage.getItem("minqing.token")) {
    MQ.say(message, MQ.t("login.already", { name: who.name || who.cadre_id || who.role }), "info");
    message.append(" ", MQ.el("a", { href: MQ.landing(who), text: MQ.t("login.continue") }));
  }
})();
