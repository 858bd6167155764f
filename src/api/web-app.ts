/**
 * Serves the built web app (dist/web, made by `npm run build:web`) on the API's port. Unknown paths outside
 * /api get the app's index.html so that client-side routes load; unknown /api paths get a JSON 404.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.ts';

export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

export async function serveWebApp(app: FastifyInstance): Promise<void> {
  const built = existsSync(join(WEB_DIST, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', index: 'index.html' });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/') || request.method !== 'GET') {
      return reply
        .status(404)
        .send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
    }
    if (!built)
      return reply
        .status(503)
        .type('text/plain')
        .send('The web app is not built: run `npm run build:web` (npm start does it).');
    return reply.sendFile('index.html');
  });
}
