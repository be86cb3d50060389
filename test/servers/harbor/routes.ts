import type { HarborFake, HarborRoute } from './kit';
import { projectAccessRoutes } from './projectAccess';
import { projectRoutes } from './projects';
import { retentionRoutes } from './retention';
import { webhookRoutes } from './webhooks';
import { artifactRoutes } from './artifacts';
import { robotsRoutes } from './robots';
import { systemRoutes } from './system';

/**
 * The parts of the fake Harbor beyond browsing (harborServer.ts): each returns its `/api/v2.0` routes, tried before
 * the browsing routes. Add a part here with one line.
 */
export const harborRoutes: ((fake: HarborFake) => HarborRoute[])[] = [
  projectRoutes,
  projectAccessRoutes,
  retentionRoutes,
  webhookRoutes,
  artifactRoutes,
  robotsRoutes,
  systemRoutes,
];
