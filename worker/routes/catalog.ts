import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { resolveView, viewDetail, viewList } from '../catalog/views.ts';

export const catalog = new Hono<AppEnv>()
  .get('/', (c) => c.json(viewList(c.get('caller').plan)))
  .get('/:view', (c) => c.json(viewDetail(resolveView(c.req.param('view'), c.get('caller').plan), c.get('caller').plan)));
