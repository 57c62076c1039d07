/** The Hono environment shared by every route: the request id set by the request-id middleware. */
export type AppEnv = { Variables: { requestId: string } };
