/** The bundle's entry point (backend/dist/index.mjs): the Lambda runtime calls index.handler. */
export { handler } from "./handler.js";
