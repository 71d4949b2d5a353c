// The quality department's dashboard: Element Plus (desktop first, usable at 375 px), ECharts, zh-CN first.
import { createApp } from "vue";
import "element-plus/theme-chalk/base.css";
import App from "./App.vue";
import { makeRouter } from "./router";
import { makeI18n } from "@/shared/i18n";
import { adoptToken } from "@/shared/api";
import "./dashboard.css";

adoptToken();
createApp(App).use(makeI18n()).use(makeRouter()).mount("#app");
