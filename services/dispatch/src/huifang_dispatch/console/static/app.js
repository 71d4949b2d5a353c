// The console's screens by URL fragment; sign-in, password change and sign-out live here.
"use strict";
const MANAGER_ROLES = ["dispatcher", "department_head", "office_manager", "property_director", "quality_dept", "admin"];
const view = () => document.getElementById("view");

function field(name, labelKey, input) {
  return h("div", { class: "field", dataset: { field: name } },
    h("label", { for: "f-" + name }, t(labelKey)), input, h("div", { class: "field-error", id: "err-" + name }));
}

function loginScreen() {
  const banner = h("div", { class: "banner error", id: "login-error", role: "alert" });
  const form = h("form", { id: "login-form", class: "card" },
    h("h1", {}, t("login.title")),
    field("username", "login.user", h("input", { id: "f-username", name: "username", autocomplete: "username", required: true })),
    field("password", "login.password", h("input", { id: "f-password", name: "password", type: "password",
      autocomplete: "current-password", required: true })),
    banner,
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit", id: "login-submit" }, t("login.submit"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    banner.textContent = "";
    const body = new URLSearchParams({ grant_type: "password", username: form.username.value, password: form.password.value });
    const response = await fetch("/auth/token", { method: "POST", body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const data = await response.json();
    if (!response.ok) {
      if (data.error === "account_inactive") banner.textContent = t("login.inactive");
      else banner.textContent = t("login.bad");
      banner.dataset.error = data.error;
      form.password.value = "";
      return;
    }
    session.save(data.access_token, data);
    const me = await must("dispatch", "GET", "/auth/me");
    session.save(data.access_token, { ...data, ...me });
    location.hash = data.must_change ? "#/password" : "#/queue";
  });
  return form;
}

function passwordScreen() {
  const banner = h("div", { class: "banner", id: "pw-banner", role: "status" });
  const form = h("form", { class: "card", id: "pw-form" },
    h("h1", {}, t("pw.title")),
    session.me && session.me.must_change ? h("div", { class: "banner warn" }, t("pw.must")) : null,
    field("current_password", "pw.current", h("input", { id: "f-current_password", name: "current_password",
      type: "password", autocomplete: "current-password" })),
    field("new_password", "pw.new", h("input", { id: "f-new_password", name: "new_password", type: "password",
      autocomplete: "new-password" })),
    banner, h("div", { class: "actions" }, h("button", { class: "primary", type: "submit" }, t("pw.submit"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const r = await api("dispatch", "POST", "/auth/password",
      { current_password: form.current_password.value, new_password: form.new_password.value });
    if (r.ok) {
      session.save(r.data.access_token, { ...session.me, ...r.data, must_change: false });
      banner.className = "banner ok";
      banner.textContent = t("pw.done");
      form.reset();
    } else showErrors(form, r.data);
  });
  return form;
}

function clearErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
  for (const el of form.querySelectorAll(".invalid")) el.classList.remove("invalid");
}

// Problems from dispatch ({loc}) and survey ({field}) alike: the message beside its field, in Chinese.
function showErrors(form, problem) {
  const errors = (problem && problem.errors) || [];
  let placed = false;
  for (const e of errors) {
    const name = e.field || (e.loc || []).filter((p) => p !== "body").join(".");
    let slot = form.querySelector(`[id="err-${name}"]`);
    let key = name;
    while (!slot && key.includes(".")) { key = key.slice(0, key.lastIndexOf(".")); slot = form.querySelector(`[id="err-${key}"]`); }
    if (!slot) continue;
    const known = TEXT["err." + name] ? t("err." + name) : null;
    slot.textContent = known || (LANG === "en" ? e.reason || e.msg : t("err.generic") + "：" + (e.reason || e.msg));
    const input = form.querySelector(`[id="f-${key}"]`) || slot.parentElement;
    input.classList.add("invalid");
    placed = true;
  }
  return placed;
}

async function signOut() {
  await api("dispatch", "POST", "/auth/sign-out");
  session.clear();
  location.hash = "#/login";
}

async function route() {
  const [, screen, arg] = (location.hash || "#/queue").split("/");
  const signedIn = !!session.token;
  document.getElementById("nav").hidden = !signedIn;
  const me = session.me || {};
  document.getElementById("nav-manage").hidden = !MANAGER_ROLES.includes(me.role_platform || me.role);
  document.body.dataset.loaded = "false";
  const target = view();
  target.replaceChildren(h("p", { class: "muted" }, t("common.loading")));
  let node;
  try {
    if (!signedIn || screen === "login") node = loginScreen();
    else if (screen === "password") node = passwordScreen();
    else if (screen === "record") node = await recordScreen(decodeURIComponent(arg));
    else if (screen === "duty") node = await dutyScreen();
    else if (screen === "manage") node = await manageScreen();
    else node = await queueScreen();
  } catch (err) {
    node = h("div", { class: "banner error" }, t("common.error") + err.message);
  }
  target.replaceChildren(node);
  applyText(document);
  document.body.dataset.screen = signedIn ? screen || "queue" : "login";
  document.body.dataset.loaded = "true";
}

document.getElementById("lang").addEventListener("click", () => { setLang(LANG === "en" ? "zh" : "en"); route(); });
document.getElementById("sign-out").addEventListener("click", signOut);
window.addEventListener("hashchange", route);
route();
