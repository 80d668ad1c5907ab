/* The working-day calendar of the statutory clock: a year's holidays and make-up working
   days with where each came from (the built-in library, an imported official schedule, local
   days, or the law alone — provisional), and for an admin the import of the State Council's
   schedule or of local days, which recomputes the running deadlines of open cases. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["read_cases"]);
  const $ = function (id) { return document.getElementById(id); };
  const message = $("calendar-message");
  // the holiday names the libraries give (in English), as the catalogue says them
  const HOLIDAYS = [[/new year'?s eve/i, "new_years_eve"], [/spring festival|chinese new year/i, "spring_festival"],
    [/new year/i, "new_year"], [/tomb|qingming/i, "qingming"], [/labou?r day/i, "labour"],
    [/dragon boat/i, "dragon_boat"], [/mid-autumn/i, "mid_autumn"], [/national day/i, "national"]];
  let shownYear = null;

  function thisYear() { return Number(new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 4)); }

  function holidayName(d) {
    if (MQ.lang === "en" && d.name) return d.name;
    const hit = HOLIDAYS.find(function ([pattern]) { return pattern.test(d.name || ""); });
    let name = hit ? MQ.t("holiday." + hit[1]) : MQ.t(d.source === "local" ? "holiday.local" : "holiday.other");
    if (/observed/i.test(d.name || "")) name += MQ.t("holiday.observed");
    return d.working ? MQ.t("holiday.workday", { name: hit ? name : "" }) : name;
  }

  function row(d) {
    return MQ.el("tr", { "data-date": d.date, "data-source": d.source },
      MQ.el("th", { scope: "row" }, MQ.day(d.date)),
      MQ.el("td", { class: d.working ? "on" : "off", text: MQ.t(d.working ? "calendar.working" : "calendar.off") }),
      MQ.el("td", { text: holidayName(d) }),
      MQ.el("td", { text: MQ.t("calendar.source." + d.source) }));
  }

  async function show(year) {
    shownYear = year;
    $("calendar-year").value = String(year);
    $("calendar-import-year").textContent = MQ.t("calendar.import.year", { year: year });
    history.replaceState(null, "", "?year=" + year);
    try {
      const found = await MQ.api("/api/v1/calendar/" + year);
      if (shownYear !== year) return;
      MQ.say($("calendar-status"), MQ.t(found.provisional ? "calendar.provisional" : "calendar.official", { year: year }),
        found.provisional ? "warning" : "ok");
      $("calendar-status").dataset.provisional = String(found.provisional);
      $("calendar-caption").textContent = MQ.t("calendar.caption", { year: year, n: found.days.length });
      const body = MQ.clear(document.querySelector("#calendar-days tbody"));
      found.days.forEach(function (d) { body.append(row(d)); });
      message.hidden = true;
    } catch (error) { MQ.say(message, error.message, "error"); }
  }

  /* Dates typed one per line, or separated by spaces, commas or 、; 2027-1-1 and 2027/01/01 alike. */
  function dates(text) {
    const found = [], wrong = [];
    String(text || "").split(/[\s,;\uff0c\u3001\uff1b]+/).filter(Boolean).forEach(function (token) {
      const m = /^(\d{4})[-/.\u5e74](\d{1,2})[-/.\u6708](\d{1,2})\u65e5?$/.exec(token);
      if (m) found.push(m[1] + "-" + m[2].padStart(2, "0") + "-" + m[3].padStart(2, "0")); else wrong.push(token);
    });
    return { found: found, wrong: wrong };
  }

  $("calendar-prev").addEventListener("click", function () { show(shownYear - 1); });
  $("calendar-next").addEventListener("click", function () { show(shownYear + 1); });
  $("calendar-year").addEventListener("change", function () {
    const year = Number($("calendar-year").value);
    if (Number.isInteger(year) && year >= 1990 && year <= 2200) show(year);
  });
  $("calendar-year-form").addEventListener("submit", function (event) { event.preventDefault(); });

  $("calendar-import").addEventListener("submit", async function (event) {
    event.preventDefault();
    const v = MQ.formValues(event.target);
    const holidays = dates(v.holidays), workdays = dates(v.workdays);
    const problems = [["calendar-source", v.source ? null : MQ.t("validation.missing")],
      ["calendar-holidays", holidays.wrong.length ? MQ.t("calendar.import.bad_dates", { dates: holidays.wrong.join("、") })
        : !holidays.found.length && !workdays.found.length ? MQ.t("calendar.import.no_dates") : null],
      ["calendar-workdays", workdays.wrong.length ? MQ.t("calendar.import.bad_dates", { dates: workdays.wrong.join("、") }) : null]];
    const wrong = problems.filter(function ([id, problem]) { return MQ.fieldError($(id), problem); });
    if (wrong.length) { $(wrong[0][0]).focus(); return; }
    const year = shownYear;
    $("calendar-submit").disabled = true;
    try {
      const done = await MQ.api("/api/v1/admin/calendar/" + year, { method: "PUT", body: { year: year, kind: v.kind,
        source: v.source, holidays: holidays.found, workdays: workdays.found } });
      MQ.announce($("calendar-import-message"), MQ.t("calendar.import.done", { year: done.year,
        kind: MQ.t("calendar.kind." + done.kind), n: done.recomputed_cases }), "ok");
      await show(year);
      outlook();
    } catch (error) { MQ.announce($("calendar-import-message"), error.message, "error"); }
    finally { $("calendar-submit").disabled = false; }
  });

  async function outlook() {
    const box = MQ.clear($("calendar-outlook-box"));
    try {
      const found = await MQ.calendarOutlook(who);
      if (found) box.append(MQ.outlookNote(found));
    } catch (error) { /* the year's table says the same */ }
  }

  const asked = Number(new URLSearchParams(window.location.search).get("year"));
  show(Number.isInteger(asked) && asked >= 1990 && asked <= 2200 ? asked : thisYear());
  outlook();
})();
