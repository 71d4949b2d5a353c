// One route per screen; the period (?from=&to=) rides in the query, so every screen follows it.
import { createRouter, createWebHistory } from "vue-router";
import GroupView from "./views/GroupView.vue";
import EstateView from "./views/EstateView.vue";
import DepartmentView from "./views/DepartmentView.vue";

export const BASE = "/app/dashboard/";

/** Made after the token is taken out of the address, which the history reads when it is made. */
export const makeRouter = () =>
  createRouter({
  history: createWebHistory(BASE),
  routes: [
    { path: "/", name: "group", component: GroupView },
    { path: "/estates/:estateId", name: "estate", component: EstateView, props: true },
    { path: "/estates/:estateId/departments/:department", name: "department", component: DepartmentView, props: true },
  ],
  });
