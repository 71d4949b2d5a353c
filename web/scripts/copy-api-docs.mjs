// Swagger UI's assets for every service's /docs page (infra's api_docs serves them): copied from the
// locked swagger-ui-dist package into the build, so the docs need no CDN.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const cache = process.env.HUIFANG_CACHE_DIR ?? resolve(here, "../../.cache");
const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const target = join(cache, "web/dist/api-docs");
mkdirSync(target, { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"]) {
  copyFileSync(join(source, name), join(target, name));
}
console.log(`api docs assets → ${target}`);
