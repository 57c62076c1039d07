/**
 * Helpers shared by the HTTP tests: requests go through the real app, in the Workers runtime, with the Worker's
 * bindings (the tuning jobs' Workflow and KV) as env.
 */
import { env } from 'cloudflare:workers';
import { createApp } from '../src/http/app.js';

export const app = createApp();

export function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(app.request(path, { headers }, env));
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    app.request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      },
      env,
    ),
  );
}

export async function problemOf(response: Response) {
  return (await response.json()) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance?: string;
    requestId?: string;
    errors?: { pointer: string; location: string; detail: string }[];
  };
}
