/**
 * The API's contract as types, derived from the route maps: for each `METHOD /path`, the body, query and
 * params a client sends and the response it reads. Type-only (the web app imports it with `import type`),
 * so no server code reaches the browser bundle.
 */
import type { z } from 'zod';
import type { RouteSpec } from './route.ts';
import type { ApiRoutes } from './routes/index.ts';

type Input<S> = S extends z.ZodNever ? never : S extends z.ZodType ? z.input<S> : never;
type Output<S> = S extends z.ZodType ? z.output<S> : unknown;

type ContractOf<S> =
  S extends RouteSpec<infer B, infer Q, infer P, infer R, infer _M, infer _U>
    ? { body: Input<B>; query: Input<Q>; params: Input<P>; response: Output<R> }
    : never;

/** `GET /api/deals/:id` → its contract. */
export type ApiContract = {
  [K in keyof ApiRoutes as `${ApiRoutes[K]['method']} ${ApiRoutes[K]['url']}`]: ContractOf<ApiRoutes[K]>;
};
export type RouteKey = keyof ApiContract;
export type PathOf<M extends string> = {
  [K in RouteKey]: K extends `${M} ${infer P}` ? P : never;
}[RouteKey];

/** What `METHOD path` answers, as the client reads it. */
export type ResponseOf<K extends RouteKey> = ApiContract[K]['response'];
/** What `METHOD path` takes as its JSON body. */
export type BodyOf<K extends RouteKey> = ApiContract[K]['body'];
/** Its query string's fields. */
export type QueryOf<K extends RouteKey> = ApiContract[K]['query'];
