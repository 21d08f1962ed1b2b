/**
 * Client-side routes without turning errors into pages: a request whose last path segment has no
 * file extension (`/`, `/users/42`) is a route of the app and gets `/index.html`; anything else
 * (`/assets/index-AbCd1234.js`, `/favicon.ico`) is a file and is answered by S3 as it is, a 404 when
 * it is missing. CloudFront runs this as a viewer-request function (SPA_ROUTING_FUNCTION_CODE); the
 * local web server applies `isClientRoute` the same way.
 *
 * Consequence: a client route whose last segment contains a dot (`/users/john.doe`) is treated as
 * a file. Keep dots out of the last segment of the app's routes (or end the route with `/`).
 */

/** Whether a request path is a client-side route of the app (no extension in its last segment). */
export function isClientRoute(path: string): boolean {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return !last.includes(".");
}

/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) doing the same: ES5.1 plus a few
 * later features, no modules, so it is plain source text. __tests__/infra/spa-routing.test.ts runs it.
 */
export const SPA_ROUTING_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf("/") + 1);
  if (last.indexOf(".") === -1) {
    request.uri = "/index.html";
  }
  return request;
}
`;
