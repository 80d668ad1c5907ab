/* Village assessment over a quarter or a year: score, stars and rank, every score explained
   by its parts. Petition staff record petitions beyond the township here (they decide the
   zero-petition months); an admin sets the weights. */
(function () {
  "use strict";
  const who = MQ.requireLogin(["work_cases", "administer"]);
  const el = MQ.el, t = MQ.t, $ = function (id) { return document.getElementById(id); };
  const can = function (capability) { return MQ.can(capability, who); };
  let dir = null;

  function period() { return $("year").value + ($("quarter").value ? "-" + $("quarter").value : ""); }
  function path() { return MQR.withQuery("/api/v1/reports/assessment", { period: $("year").value ? period() : "" }); }

  function percent(value) { return value === null || value === undefined ? "—" : Math.round(value * 100) + "%"; }

  function detail(name, part) {
    if (part.denominator !== undefined) return part.numerator + " / " + part.denominator;
    const shown = Object.keys(part).filter(function (k) {
      return ["weight", "fraction", "points", "max_points"].indexOf(k) < 0 && has("reports.detail." + k);
    });
    return shown.map(function (k) {
      const value = Array.isArray(part[k]) ? (part[k].join(" ") || "—") : part[k];
      return t("reports.detail." + k) + " " + value;
    }).join("，");
  }
  function has(key) { return t(key) !== key; }

  function parts(item) {
    const rows = Object.keys(item.parts).map(function (name) {
      const part = item.parts[name];
      return MQR.row([t("reports.part." + name), part.weight, percent(part.fraction),
        part.points + " / " + part.max_points, detail(name, part)]);
    });
    return el("details", { class: "parts" }, el("summary", { text: t("reports.assessment.why") }),
      MQR.table(null, [t("reports.assessment.part"), t("reports.assessment.weight"), t("reports.assessment.achieved"),
        t("reports.assessment.points"), t("reports.assessment.detail")], rows));
  }

  function render(report) {
    const [year, quarter] = report.period.split("-");
    $("year").value = year;
    $("quarter").value = quarter || "";
    const rows = report.items.map(function (i) {
      return MQR.row([i.rank, MQR.village(dir, i.village_code), el("td", { class: "num score", text: i.score }),
        el("td", null, MQR.stars(i.stars)), t("reports.grade." + i.grade),
        i.zero_petition ? t("reports.assessment.zero_yes") : t("reports.assessment.zero_no"),
        el("td", { class: "left" }, parts(i))], { "data-village": i.village_code });
    });
    MQ.clear($("report")).append(
      el("h2", { text: t("reports.assessment.heading", { period: report.period }) }),
      el("p", { class: "hint", text: t("reports.assessment.rule", { until: MQR.moment(report.until) }) }),
      MQR.table(t("reports.assessment.ranking"), [t("reports.assessment.rank"), t("field.village"),
        t("reports.assessment.score"), t("reports.assessment.stars"), t("reports.assessment.grade"),
        t("reports.assessment.zero"), t("reports.assessment.parts")], rows, { id: "assessment-table" }));
  }

  const load = MQR.reportPage({ path: path, render: render });

  function upwardForm() {
    if (!can("record_upward_petitions")) return;
    $("upward-card").hidden = false;
    MQR.options($("upward-village"), dir.villages, function (v) { return v.code; }, function (v) { return v.name; });
    $("upward-day").value = MQR.today();
    $("upward-form").addEventListener("submit", async function (event) {
      event.preventDefault();
      const values = MQ.formValues(event.target);
      try {
        await MQR.call("/api/v1/upward-petitions", { method: "POST", body: { village_code: values.village_code,
          occurred_at: values.day + "T12:00:00+08:00", level: values.level, reference: values.reference || null } });
        MQ.say($("upward-message"), t("reports.upward.recorded"), "ok");
        await load();
      } catch (error) { MQ.say($("upward-message"), error.message, "error"); }
    });
  }

  async function weightsForm() {
    if (!can("administer")) return;
    const current = await MQR.call("/api/v1/admin/assessment-weights");
    const box = MQ.clear($("weights-fields"));
    Object.keys(current.defaults).forEach(function (name) {
      const value = current.weights[name];
      const input = el("input", { id: "weight-" + name, name: name, value: Array.isArray(value) ? value.join(",") : value,
        inputmode: "decimal" });
      box.append(el("label", { for: input.id, text: t("reports.weight." + name) }), input);
    });
    $("weights-card").hidden = false;
    $("weights-form").addEventListener("submit", async function (event) {
      event.preventDefault();
      const weights = {};
      Object.entries(MQ.formValues(event.target)).forEach(function ([name, raw]) {
        weights[name] = name === "star_thresholds" ? raw.split(/[,，\s]+/).filter(Boolean).map(Number) : Number(raw);
      });
      try {
        await MQR.call("/api/v1/admin/assessment-weights", { method: "PUT", body: { weights: weights } });
        MQ.say($("weights-message"), t("reports.weights.saved"), "ok");
        await load();
      } catch (error) { MQ.say($("weights-message"), error.message, "error"); }
    });
  }

  MQ.directory().then(function (d) { dir = d; upwardForm(); weightsForm(); return load(); });
})();
