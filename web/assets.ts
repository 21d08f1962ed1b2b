/**
 * How each file of web/dist is stored in S3 (used by the app stack when uploading; no browser
 * code). Hashed files under assets/ never change under a name, so browsers and CloudFront keep them
 * a year; everything else (index.html, config.json) must be revalidated so a deploy is seen at once.
 */

import type { AssetMetadata } from "../modules/web-assets.js";

export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";
export const NO_CACHE_CONTROL = "no-cache";

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json; charset=utf-8",
  map: "application/json; charset=utf-8",
  webmanifest: "application/manifest+json; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  xml: "application/xml; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  woff: "font/woff",
  woff2: "font/woff2",
  wasm: "application/wasm",
  pdf: "application/pdf",
};

/** Vite's default names: `assets/<name>-<hash>.<ext>`, the hash 8 url-safe base64 characters. */
const HASHED_ASSET = /^assets\/(?:[^/]+\/)*[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

/**
 * Content type and cache policy of one file of web/dist.
 * @param relativePath the path inside web/dist with "/" separators, e.g. "assets/index-B1x2c3d4.js"
 *   or "index.html" (a leading "./" or "/" is ignored).
 */
export function webAssetMetadata(relativePath: string): AssetMetadata {
  const path = relativePath.replace(/\\/g, "/").replace(/^(\.\/|\/)+/, "");
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  return {
    contentType: CONTENT_TYPES[ext] ?? "application/octet-stream",
    cacheControl: HASHED_ASSET.test(path) ? IMMUTABLE_CACHE_CONTROL : NO_CACHE_CONTROL,
  };
}
