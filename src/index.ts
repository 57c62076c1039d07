/**
 * The Cloudflare Worker entry: the app's fetch handler is the Worker's.
 */
import { createApp } from './http/app.js';

const app = createApp();

// The Workflow that runs POST /v1/tunings jobs (wrangler.toml [[workflows]] names this class).
export { TuningWorkflow } from './workflows/tuning-workflow.js';

export default app;
