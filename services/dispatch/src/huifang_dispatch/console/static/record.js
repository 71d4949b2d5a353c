// Record a callback: posted from the browser to survey's API with the signed-in token. What is typed is
// kept in the browser (per callback) until survey accepts it, so a failed submit loses nothing.
"use strict";
const DIMENSIONS = ["punctuality", "attitude", "quality", "overall"];
// seed 000 §4.9: door-visit conduct, in the order of the visit.
const CONDUCT = [
  ["shoe_covers", "自备鞋套", "Bring shoe covers"],
  ["knock", "按门铃或敲门三下", "Ring the bell or knock three times"],
  ["greet", "问候业主，说明拜访原因", "Greet and say why you came"],
  ["covers_on", "业主示意进门时套上鞋套再进入", "Put the covers on when invited in"],
  ["brief", "语言礼貌简洁，少占用业主时间", "Polite and brief; take little of their time"],
  ["listen", "诚恳听取意见或批评并做好记录", "Listen sincerely and take notes"],
  ["ten_minutes", "谈话以十分钟为宜", "Keep the talk to about ten minutes"],
  ["leave", "主动道别，出门后轻声关门", "Take your leave; close the door softly"],
];
const draftKey = (id) => "huifang.draft." + id;
const DONE = "huifang.done";

function doneIds() { return new Set(JSON.parse(sessionStorage.getItem(DONE) || "[]")); }

async function recordScreen(id) {
  const path = `/callbacks/${encodeURIComponent(id)}`;
  const [cb, ctx, sv] = await Promise.all([
    must("dispatch", "GET", path), must("dispatch", "GET", `/console${path}/context`),
    api("survey", "GET", path).then((r) => (r.ok ? r.data : null)).catch(() => null)]);
  const scale = (sv && sv.scale) || "four_level";
  const form = h("form", { id: "record-form", class: "card", novalidate: true });
  const banner = h("div", { class: "banner", id: "record-banner", role: "alert" });
  form.append(
    h("h1", {}, `${t("rec.title")} · ${cb.unit_id || ""} ${cb.requester_name || ""}`),
    contextBlock(cb, ctx, sv),
    radios("result", "rec.result", Object.keys(LABELS.result), "result"),
    selectField("method", "rec.method", Object.keys(LABELS.method), "method", cb.method),
    textField("answered_by", "rec.answered_by"),
    radios("relation", "rec.relation", Object.keys(LABELS.relation), "relation"),
    h("fieldset", { id: "f-ratings" }, h("legend", {}, t("rec.ratings")), h("div", { class: "field-error", id: "err-ratings" }),
      DIMENSIONS.map((d) => radios("ratings." + d, "dim." + d, Object.keys(LABELS[scale]), scale))),
    textField("comments", "rec.comments", true), textField("suggestions", "rec.suggestions", true),
    h("label", { class: "inline" }, h("input", { type: "checkbox", name: "raise", id: "f-raise", style: "width:auto" }),
      " ", t("rec.raise")),
    h("div", { id: "issue-fields", hidden: true }, textField("new_issues", "rec.issue", true),
      textField("issue_category", "rec.issue_cat")),
    cb.method === "door" ? doorBlock(form) : textField("duration", "rec.duration", false, "number"),
    banner, h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary", id: "record-submit" }, t("rec.submit")),
      h("a", { class: "button", href: "#/queue" }, t("rec.back"))));
  const issueFields = form.querySelector("#issue-fields");
  form.raise.addEventListener("change", () => { issueFields.hidden = !form.raise.checked; });
  restoreDraft(form, id);
  issueFields.hidden = !form.raise.checked;
  form.addEventListener("input", () => saveDraft(form, id));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); submitRecord(form, id, banner); });
  return form;
}

function contextBlock(cb, ctx, sv) {
  const attempts = (sv && sv.attempts) || [];
  return h("div", { class: "columns", id: "context" },
    h("div", {},
      h("h2", {}, t("rec.source")),
      h("div", {}, `${ctx.source_type_zh || ctx.source_type || ""} ${ctx.source_id || ""}`),
      h("div", {}, sourceLine(cb)),
      h("div", { class: "muted" }, `${t("queue.deadline")} ${localText(cb.deadline.local)} · ${label("method", cb.method)}`
        + (cb.department ? ` · ${t("queue.dept")} ${cb.department}` : "") + ` · ${cb.requester_phone || ""}`)),
    h("div", {},
      h("h2", {}, t("rec.history")),
      ctx.history.length ? h("ul", { id: "history" }, ctx.history.map((x) => h("li", {},
        `${t("queue.round", { n: x.round })} ${x.status_zh} ${x.method_zh} ${localText(x.closed_at_local || x.deadline_local)}`)))
        : h("div", { class: "empty" }, t("rec.none")),
      h("h2", {}, t("rec.attempts")),
      attempts.length ? h("ul", { id: "attempts" }, attempts.map((a) => h("li", {},
        `#${a.attempt_no} ${label("result", a.result)} ${localText(a.contacted_at_local)} ${a.caller_id}`)))
        : h("div", { class: "empty" }, cb.attempts_made ? `${cb.attempts_made} · ${localText(ctx.last_attempt_local)}` : t("rec.none"))));
}

function radios(name, labelKey, values, kind) {
  return h("div", { class: "field", dataset: { field: name } }, h("label", {}, t(labelKey)),
    h("div", { class: "choices", id: "f-" + name }, values.map((v) =>
      h("label", {}, h("input", { type: "radio", name, value: v }), label(kind, v)))),
    h("div", { class: "field-error", id: "err-" + name }));
}

function selectField(name, labelKey, values, kind, selected) {
  return field(name, labelKey, h("select", { id: "f-" + name, name },
    values.map((v) => h("option", { value: v, selected: v === selected }, label(kind, v)))));
}

function textField(name, labelKey, multiline, type) {
  const input = multiline ? h("textarea", { id: "f-" + name, name }) : h("input", { id: "f-" + name, name, type: type || "text" });
  if (type === "number") { input.min = "0"; input.step = "1"; input.inputMode = "numeric"; }
  return field(name, labelKey, input);
}

function doorBlock(form) {
  const clock = h("span", { id: "talk-timer" }, "00:00");
  const reminder = h("div", { class: "banner warn", id: "talk-reminder", role: "alert" });
  let started = null, timer = null;
  const tick = () => {
    const s = Math.floor((Date.now() - started) / 1000);
    clock.textContent = `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
    form.duration.value = String(Math.max(1, Math.round(s / 60)));
    // seed 000 §4.9.3: about ten minutes, unless something special needs longer.
    if (s >= CFG.talkReminderSeconds && !reminder.textContent) reminder.textContent = t("rec.reminder");
  };
  const button = h("button", { type: "button", id: "talk-toggle", onclick: () => {
    if (timer) { clearInterval(timer); timer = null; tick(); button.textContent = t("rec.start"); saveDraft(form, form.dataset.id); return; }
    started = Date.now(); timer = setInterval(tick, 1000); button.textContent = t("rec.stop");
  } }, t("rec.start"));
  return h("div", {},
    h("fieldset", { class: "checklist", id: "conduct" }, h("legend", {}, t("rec.checklist")),
      CONDUCT.map(([key, zh, en]) => h("label", {}, h("input", { type: "checkbox", name: "conduct", value: key }),
        LANG === "en" ? en : zh))),
    h("fieldset", {}, h("legend", {}, t("rec.timer")), h("div", { class: "row" }, clock, button), reminder),
    textField("duration", "rec.duration", false, "number"));
}
