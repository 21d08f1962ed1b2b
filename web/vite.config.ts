/**
 * Builds the CSR app to web/dist with hashed asset names (`npm run build:web`); `npm run dev`
 * reuses this file for its dev server. The output must hold under the CloudFront CSP (no inline
 * script or style): Vite emits the entry as an external module script and the CSS as a <link>.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const projectRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: webRoot,
  base: "/",
  // config.json is generated per stage (app stack) or served by `npm run dev`, never built.
  publicDir: false,
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    // Every browser that runs ES2022 supports modulepreload; the polyfill is dead weight.
    modulePreload: { polyfill: false },
    // Inlined assets would become data: URLs in CSS or JS; keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // The app imports the backend's validation schema from outside web/.
    fs: { allow: [projectRoot] },
  },
});
