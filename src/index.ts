/**
 * The Cloudflare Worker entry: the app's fetch handler is the Worker's.
 */
import { createApp } from './http/app.js';

const app = createApp();

export default app;
