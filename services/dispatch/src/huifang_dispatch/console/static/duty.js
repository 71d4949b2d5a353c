// Duty: who is on duty today, the append-only duty log (add, correct), the shift handover (R-OP-3).
"use strict";

async function dutyScreen() {
  const me = session.me;
  const estate = encodeURIComponent(me.estate_id);
  const [onDuty, staff, items, handovers] = await Promise.all([
    must("dispatch", "GET", `/estates/${estate}/on-duty`),
    must("dispatch", "GET", `/staff?estate_id=${estate}`),
    must("dispatch", "GET", `/handover-items?estate_id=${estate}`),
    must("dispatch", "GET", `/handovers?estate_id=${estate}`)]);
  const log = await must("dispatch", "GET", `/duty-log?estate_id=${estate}&duty_date=${onDuty.duty_date}`);
  const names = Object.fromEntries(staff.map((s) => [s.staff_id, s.name]));
  const who = (id) => `${names[id] || ""} (${id})`;
  return h("section", { id: "duty" },
    h("h1", {}, `${t("duty.title")} ${onDuty.duty_date}`),
    h("div", { class: "card", id: "on-duty" }, h("h2", {}, t("duty.onduty")),
      h("div", { class: "muted" }, `${localText(onDuty.starts.local)} → ${localText(onDuty.ends.local)}`),
      h("ul", {}, onDuty.staff_ids.map((id) => h("li", {}, who(id))))),
    h("div", { class: "columns" }, dutyLog(me, log, who), handoverBlock(me, staff, items, handovers, who)));
}

function dutyLog(me, log, who) {
  const form = h("form", { id: "duty-form" },
    field("body", "duty.body", h("textarea", { id: "f-body", name: "body" })),
    h("div", { class: "muted", id: "correcting" }),
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit" }, t("duty.add"))));
  let corrects = null;
  const list = h("ol", { id: "duty-entries" }, log.map((e) => h("li", { dataset: { entryId: e.entry_id } },
    h("div", { class: "row" }, h("b", {}, `#${e.entry_id}`), h("span", { class: "muted" }, `${localText(e.recorded_at.local)} ${who(e.author_id)}`),
      e.corrects_entry_id ? h("span", { class: "badge late" }, t("duty.corrects", { n: e.corrects_entry_id })) : null),
    h("div", {}, e.body),
    e.kind === "entry" || e.kind === "correction" ? h("button", { type: "button", dataset: { action: "correct" }, onclick: () => {
      corrects = e.entry_id;
      form.querySelector("#correcting").textContent = t("duty.correcting", { n: e.entry_id });
      form.body.focus();
    } }, t("duty.correct")) : null)));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const r = await api("dispatch", "POST", "/duty-log", { estate_id: me.estate_id, body: form.body.value, corrects_entry_id: corrects });
    if (r.ok) route(); else showErrors(form, r.data);
  });
  return h("div", { class: "card" }, h("h2", {}, t("duty.log")), h("p", { class: "muted" }, t("duty.append_only")), list, form);
}

function handoverBlock(me, staff, items, handovers, who) {
  const form = h("form", { id: "handover-form" },
    field("incoming_id", "duty.incoming", h("select", { id: "f-incoming_id", name: "incoming_id" },
      staff.filter((s) => s.staff_id !== me.staff_id && s.active).map((s) => h("option", { value: s.staff_id }, who(s.staff_id))))),
    field("notes", "duty.notes", h("textarea", { id: "f-notes", name: "notes" })),
    field("new_items", "duty.item", h("input", { id: "f-new_items", name: "item" })),
    h("label", {}, h("input", { type: "checkbox", name: "important", style: "width:auto" }), " ", t("duty.important")),
    h("div", { class: "banner error", id: "handover-error" }),
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit" }, t("duty.sign_out"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const newItems = form.item.value ? [{ title: form.item.value, important: form.important.checked }] : [];
    const r = await api("dispatch", "POST", "/handovers", { estate_id: me.estate_id, incoming_id: form.incoming_id.value,
      notes: form.notes.value || null, new_items: newItems });
    if (r.ok) route();
    else if (!showErrors(form, r.data)) form.querySelector("#handover-error").textContent = r.data.detail;
  });
  const recent = handovers.slice(-5).reverse();
  return h("div", { class: "card", id: "handovers" }, h("h2", {}, t("duty.handover")),
    h("h3", {}, t("duty.open_items")),
    items.length ? h("ul", { id: "open-items" }, items.map((i) => h("li", {}, (i.important ? "❗" : "") + i.title)))
      : h("div", { class: "empty" }, t("rec.none")),
    h("ul", {}, recent.map((x) => h("li", { dataset: { handoverId: x.handover_id } },
      `${x.duty_date} ${who(x.outgoing_id)} → ${who(x.incoming_id)} · ${t(x.status === "completed" ? "duty.completed" : "duty.awaiting")}`,
      x.status !== "completed" && x.incoming_id === me.staff_id
        ? h("button", { type: "button", dataset: { action: "sign" }, onclick: async () => {
          const r = await api("dispatch", "POST", `/handovers/${encodeURIComponent(x.handover_id)}/sign`);
          if (r.ok) route(); else alert(r.data.detail);
        } }, t("duty.sign_in")) : null))),
    form);
}
