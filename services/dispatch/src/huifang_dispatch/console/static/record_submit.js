// The record form's draft (kept per callback until survey accepts it) and its submission to survey.
"use strict";

function formState(form) {
  const state = { conduct: [] };
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "radio") { if (el.checked) state[el.name] = el.value; }
    else if (el.type === "checkbox") { if (el.name === "conduct") { if (el.checked) state.conduct.push(el.value); } else state[el.name] = el.checked; }
    else state[el.name] = el.value;
  }
  return state;
}

function saveDraft(form, id) {
  const old = JSON.parse(localStorage.getItem(draftKey(id)) || "{}");
  const state = formState(form);
  state.submission_id = old.submission_id || form.dataset.submissionId;
  localStorage.setItem(draftKey(id), JSON.stringify(state));
}

function restoreDraft(form, id) {
  form.dataset.id = id;
  const state = JSON.parse(localStorage.getItem(draftKey(id)) || "{}");
  // One submission id per record: a retry after a lost response gives one record, not two.
  form.dataset.submissionId = state.submission_id || (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
  for (const el of form.elements) {
    if (!el.name || !(el.name in state)) continue;
    if (el.type === "radio") el.checked = state[el.name] === el.value;
    else if (el.type === "checkbox") el.checked = el.name === "conduct" ? state.conduct.includes(el.value) : !!state[el.name];
    else el.value = state[el.name];
  }
}

function conductNote(state) {
  const missing = CONDUCT.filter(([key]) => !state.conduct.includes(key)).map(([, zh]) => zh);
  return `上门规范 ${CONDUCT.length - missing.length}/${CONDUCT.length}` + (missing.length ? `；未做：${missing.join("、")}` : "");
}

function recordBody(form) {
  const s = formState(form);
  const ratings = {};
  for (const d of DIMENSIONS) if (s["ratings." + d]) ratings[d] = s["ratings." + d];
  const minutes = s.duration === "" || s.duration === undefined ? null : Number(s.duration);
  const body = {
    submission_id: form.dataset.submissionId,
    result: s.result || null,
    method: s.method,
    answered_by: s.answered_by ? s.answered_by.trim() : null,
    relation: s.relation || null,
    duration_seconds: minutes === null || Number.isNaN(minutes) ? null : Math.round(minutes * 60),
    ratings: Object.keys(ratings).length ? ratings : null,
    comments: s.comments || null,
    suggestions: s.suggestions || null,
    note: form.querySelector("#conduct") ? conductNote(s) : null,
    // R-CB-9: raised during the callback → a new complaint (channel "callback"), escalated by survey.
    new_issues: s.raise && s.new_issues ? [{ description: s.new_issues, category: s.issue_category || null }] : [],
  };
  if (!body.result) delete body.result;
  return body;
}

async function submitRecord(form, id, banner) {
  clearErrors(form);
  banner.className = "banner";
  banner.textContent = "";
  const button = form.querySelector("#record-submit");
  button.disabled = true;
  saveDraft(form, id);
  let r;
  try {
    r = await api("survey", "POST", `/callbacks/${encodeURIComponent(id)}/contacts`, recordBody(form));
  } catch (err) {
    banner.className = "banner error";
    banner.textContent = t("rec.offline");
    button.disabled = false;
    return;
  }
  button.disabled = false;
  if (!r.ok) {
    const placed = showErrors(form, r.data);
    banner.className = "banner error";
    banner.textContent = t("rec.failed") + (placed ? "" : "（" + ((r.data && (r.data.detail || r.data.title)) || r.status) + "）");
    return;
  }
  localStorage.removeItem(draftKey(id));
  if (r.data.status !== "open") {
    const done = doneIds();
    done.add(id);
    sessionStorage.setItem(DONE, JSON.stringify([...done]));
  }
  banner.className = "banner ok";
  banner.dataset.status = r.data.status;
  banner.textContent = `${t("rec.saved")}：#${r.data.attempt_no} ${label("result", r.data.result)}`;
  form.querySelector("#record-submit").remove();
}
