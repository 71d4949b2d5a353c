// One build for every screen: each app is a page of its own (its own bundle), shared code split out.
// The output goes to the ignored cache (never into git); the owning service serves it under /app/.
import { fileURLToPath, URL } from "node:url";
import { resolve } from "node:path";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

const here = fileURLToPath(new URL(".", import.meta.url));
const cache = process.env.HUIFANG_CACHE_DIR ?? resolve(here, "../.cache");

export default defineConfig({
  base: "/app/",
  plugins: [vue()],
  resolve: {
    alias: {
      "@": resolve(here, "src"),
      // the Chinese labels of contracts' enums, written by scripts/export_labels.py before the build
      "@generated": resolve(cache, "web/generated"),
    },
  },
  define: {
    __VUE_OPTIONS_API__: "false",
    __VUE_PROD_DEVTOOLS__: "false",
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
    __VUE_I18N_FULL_INSTALL__: "false",
    __VUE_I18N_LEGACY_API__: "false",
    __INTLIFY_PROD_DEVTOOLS__: "false",
  },
  build: {
    outDir: resolve(cache, "web/dist"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: { dashboard: resolve(here, "dashboard/index.html") },
    },
  },
});
