// Talking to the services with the signed-in token, building DOM safely (text, never raw HTML).
"use strict";
const CFG = window.HUIFANG;
const BASE = { dispatch: "", survey: CFG.survey, callback: CFG.callback, reporting: CFG.reporting };

const session = {
  get token() { return sessionStorage.getItem("huifang.token"); },
  get me() { return JSON.parse(sessionStorage.getItem("huifang.me") || "null"); },
  save(token, me) {
    sessionStorage.setItem("huifang.token", token);
    sessionStorage.setItem("huifang.me", JSON.stringify(me));
    if (me && me.expires_in) sessionStorage.setItem("huifang.expires", String(Date.now() + me.expires_in * 1000));
    scheduleRefresh();
  },
  clear() { ["huifang.token", "huifang.me", "huifang.expires"].forEach((k) => sessionStorage.removeItem(k)); },
};

// Tokens are short-lived so that a sign-out ends them everywhere soon: while the page is open, a fresh
// one is fetched halfway through each token's life; once signed out, dispatch refuses (401 → sign-in).
let refreshTimer = null;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const expires = Number(sessionStorage.getItem("huifang.expires") || 0);
  if (!session.token || !expires) return;
  refreshTimer = setTimeout(refreshToken, Math.max((expires - Date.now()) / 2, 1000));
}
async function refreshToken() {
  const r = await api("dispatch", "POST", "/auth/refresh");
  if (r.ok) session.save(r.data.access_token, { ...session.me, ...r.data });
}

// {status, data}; a 401 means the token expired or was signed out: back to the sign-in screen.
async function api(service, method, path, body, extraHeaders) {
  const headers = { Accept: "application/json", ...(extraHeaders || {}) };
  if (session.token) headers.Authorization = "Bearer " + session.token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(BASE[service] + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { detail: text }; }
  if (response.status === 401 && service === "dispatch" && !path.startsWith("/auth/token")) {
    session.clear();
    location.hash = "#/login";
  }
  return { status: response.status, ok: response.ok, data };
}

async function must(service, method, path, body) {
  const r = await api(service, method, path, body);
  if (!r.ok) throw new Error((r.data && (r.data.detail || r.data.title)) || String(r.status));
  return r.data;
}

// h("div", {class: "card"}, "text", child, ...): attributes set as properties or attributes.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

// Labels of the contracts' enums (zh from the contracts' label_zh; en beside them).
const LABELS = {
  method: { phone: ["电话", "Phone"], door: ["上门", "Door visit"], written: ["书面", "Written"],
            online: ["网络", "Online"], meeting: ["座谈会", "Meeting"] },
  result: { reached: ["已接通", "Reached"], no_answer: ["无人接听", "No answer"],
            wrong_number: ["号码错误", "Wrong number"], refused: ["拒绝回访", "Refused"] },
  relation: { self: ["本人", "Self"], family: ["家属", "Family"], tenant: ["租户", "Tenant"], other: ["其他", "Other"] },
  four_level: { very_satisfied: ["非常满意", "Very satisfied"], satisfied: ["满意", "Satisfied"],
                fair: ["一般", "Fair"], dissatisfied: ["不满意", "Dissatisfied"] },
  three_level: { satisfied: ["满意", "Satisfied"], fairly_satisfied: ["一般满意", "Fairly satisfied"],
                 dissatisfied: ["不满意", "Dissatisfied"] },
  kind: { repair: ["报修", "Repair"], complaint: ["投诉", "Complaint"], consultation: ["咨询", "Consultation"],
          help: ["求助", "Help"], renovation: ["装修完工", "Renovation"], other_service: ["其他服务", "Other service"] },
  grade: { general: ["一般", "General"], important: ["重要", "Important"], major: ["重大", "Major"] },
};

function label(kind, value) {
  const pair = (LABELS[kind] || {})[value];
  return pair ? pair[LANG === "en" ? 1 : 0] : (value || "");
}

// Server times come as ISO with the estate's offset: shown as "MM-DD HH:mm" in that zone.
function localText(iso) {
  if (!iso) return "";
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(iso);
  return m ? `${m[2]}-${m[3]} ${m[4]}:${m[5]}` : iso;
}

scheduleRefresh();  // a page opened again within its session keeps it fresh
