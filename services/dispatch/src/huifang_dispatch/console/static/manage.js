// Manager views: the unassigned queue with reasons and reassignment, overdue by person, the policy in force.
"use strict";
const ROLE_ZH = { receptionist: "前台接待", dispatcher: "调度员", department_head: "部门主管", site_captain: "现场班长",
  service_center_staff: "服务中心人员", office_manager: "管理处经理", property_director: "物业总监", administrator: "行政人员",
  quality_dept: "品质部", admin: "系统管理员" };

async function manageScreen() {
  const me = session.me;
  const estate = me.estate_id;
  const e = encodeURIComponent(estate);
  const [unassigned, open, staff] = await Promise.all([
    must("dispatch", "GET", `/estates/${e}/unassigned`), must("dispatch", "GET", `/estates/${e}/callbacks`),
    must("dispatch", "GET", `/staff?estate_id=${e}`)]);
  const names = Object.fromEntries(staff.map((s) => [s.staff_id, s.name]));
  const policy = h("div", { id: "policy" }, h("p", { class: "muted" }, t("common.loading")));
  loadPolicy(estate, policy);
  return h("section", { id: "manage" }, h("h1", {}, `${t("man.title")} · ${t("man.estate")} ${estate}`),
    h("div", { class: "card" }, h("h2", {}, `${t("man.unassigned")} (${unassigned.length})`), unassignedTable(unassigned, staff)),
    h("div", { class: "card" }, h("h2", {}, t("man.overdue")), overdueTable(open, names)),
    h("div", { class: "card" }, h("h2", {}, t("man.policy")), policy));
}

function unassignedTable(rows, staff) {
  if (!rows.length) return h("div", { class: "empty" }, t("man.none"));
  return h("table", { id: "unassigned" }, h("tbody", {}, rows.map((c) => {
    const select = h("select", { "aria-label": t("man.to") }, staff.filter((s) => s.active).map((s) =>
      h("option", { value: s.staff_id }, `${s.name} · ${ROLE_ZH[s.role] || s.role} · ${s.open_load}`)));
    const note = h("div", { class: "field-error" });
    return h("tr", { dataset: { callbackId: c.callback_id } },
      h("td", {}, c.callback_id, h("div", { class: "muted" }, `${label("kind", c.kind)} · ${label("method", c.method)} · ${c.unit_id || ""}`)),
      h("td", {}, `${t("queue.deadline")} ${localText(c.deadline.local)}`),
      h("td", { class: "reason" }, LANG === "en" ? c.unassigned_reason : c.unassigned_reason_zh || c.unassigned_reason,
        h("div", { class: "muted" }, `→ ${ROLE_ZH[c.escalated_to_role] || c.escalated_to_role || ""}`)),
      h("td", {}, select, h("button", { type: "button", dataset: { action: "reassign" }, onclick: async () => {
        const r = await api("dispatch", "POST", `/callbacks/${encodeURIComponent(c.callback_id)}/reassign`, { assignee_id: select.value });
        if (r.ok) route(); else note.textContent = (r.data.errors || []).map((x) => x.msg).join("；") || r.data.detail;
      } }, t("man.reassign")), note));
  })));
}

function overdueTable(open, names) {
  const by = {};
  for (const c of open.callbacks) if (c.overdue || c.bucket === "overdue") (by[c.assignee_id || "—"] ||= []).push(c.callback_id);
  const people = Object.keys(by).sort((a, b) => by[b].length - by[a].length);
  return h("table", { id: "overdue-by-person" }, h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", {}, t("queue.overdue")),
    h("th", {}, t("man.load")))), h("tbody", {}, people.length ? people.map((p) => h("tr", { dataset: { staffId: p } },
    h("td", {}, `${names[p] || ""} ${p}`), h("td", { class: "count" }, String(by[p].length), h("div", { class: "muted" }, by[p].join(" "))),
    h("td", {}, String(open.load[p] || 0)))) : h("tr", {}, h("td", { colspan: 3, class: "empty" }, t("man.none")))));
}

const UNIT_ZH = { hours: "小时", days: "天", working_days: "个工作日" };
const EVENT_ZH = { "intake.OrderClosed": "维修/服务单关闭", "intake.ComplaintResolved": "投诉处理完毕",
  "intake.ComplaintRegistered": "投诉登记", "intake.RenovationCompleted": "装修完工", "intake.ServiceRequestClosed": "服务完成" };

// One rule in plain Chinese: what triggers it, how many, when, how, by whom, retries and escalation.
function ruleText(r) {
  const tr = r.trigger;
  const what = [EVENT_ZH[tr.event_type] || tr.event_type, tr.kinds.map((k) => label("kind", k)).join("、"),
    tr.grades.map((g) => label("grade", g)).join("、"), tr.urgent ? "紧急/重大" : "", tr.special_event ? "特殊事件" : ""]
    .filter(Boolean).join(" · ");
  const rate = r.rate.mode === "all" ? "全部回访" : r.rate.mode === "percent" ? `抽取 ${r.rate.percent}%`
    : `每月${r.window.draw_day}日抽样（${r.rate.tiers.map((x) => (x.up_to ? `≤${x.up_to}单` : "以上") + (x.take === "percent_ceil" ? `取${x.value}%` : `取${x.value}单`)).join("，")}），次月${r.window.due_by_day}日前完成`;
  const w = r.window;
  const when = w.anchor === "month" ? "" : `${w.start.amount}${UNIT_ZH[w.start.unit]}后开始，` +
    (w.deadline ? `${w.deadline.amount}${UNIT_ZH[w.deadline.unit]}内完成` : "");
  const how = label("method", r.method) + (r.door_share_percent ? `（上门不少于${r.door_share_percent}%）` : "");
  const who = `由${ROLE_ZH[r.caller_role] || r.caller_role}回访` + (r.apology_grades.length ? "，需致歉" : "");
  const retry = `最多联系${r.max_attempts}次，间隔${r.retry_spacing_minutes}分钟`;
  const esc = r.escalation.length ? `；不满意重开最多${r.reopen_cap}轮，逐级升级：${r.escalation.map((x) => ROLE_ZH[x] || x).join(" → ")}` : "";
  return `【${what}】${rate}；${when}${how}；${who}；${retry}${esc}`;
}

async function loadPolicy(estate, box) {
  try {
    const now = new Date().toISOString();
    const samples = [
      ["intake.ComplaintResolved", { complaint_id: "PREVIEW-1", grade: "general", validity: "valid", category: "给排水",
        department: "engineering", resolved_at: now, round: 1, accepted_by_requester: true, special_event: false }],
      ["intake.OrderClosed", { order_id: "PREVIEW-2", request_kind: "repair", channel: "hotline", category: "给排水",
        department: "engineering", emergency: true, major: false, requested_at: now, closed_at: now, signed_off: true }]];
    const previews = await Promise.all(samples.map(([type, payload]) =>
      api("callback", "POST", "/policies/preview", { estate_id: estate, event_type: type, payload })));
    const first = previews.find((p) => p.ok);
    if (!first) throw new Error((previews[0].data && (previews[0].data.detail || previews[0].data.title)) || previews[0].status);
    const id = first.data.policy_id;
    const stored = await must("callback", "GET", "/policies");
    let body = (stored.find((p) => p.policy_id === id) || {}).body;
    if (!body && id.startsWith("preset-")) body = (await must("callback", "GET", "/policies/presets"))[id.slice(7)];
    box.replaceChildren(
      h("div", { class: "muted" }, `${id} · v${first.data.policy_version || 1} · ${body ? body.preset : ""}`),
      body ? h("ol", { id: "policy-rules" }, body.rules.map((r) => h("li", {}, ruleText(r)))) : null,
      h("h3", {}, t("man.preview")),
      h("ul", { id: "policy-preview" }, previews.map((p, i) => h("li", {}, `${EVENT_ZH[samples[i][0]]}：` + (p.ok
        ? `${p.data.outcome_zh}` + (p.data.deadline ? `，${p.data.caller_role_zh || ""} ${label("method", p.data.method)}，截止 ${p.data.deadline.local}` : "")
        : (p.data && p.data.detail) || p.status)))));
  } catch (err) {
    box.replaceChildren(h("div", { class: "banner warn" }, t("man.nopolicy") + err.message));
  }
}
