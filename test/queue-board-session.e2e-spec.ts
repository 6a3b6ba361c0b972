// Admins reach Bull Board from the console without pasting a token: the API sets a
// short-lived, HttpOnly cookie scoped to /admin/queues (issue 8, item 1).
import { expectProblem } from './kit/e2e-kit';
import { createTestApp, type TestApp } from './support/test-app';
import { buildWorld, type World } from './support/world';

describe('POST /api/v1/queue-board/session', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  const open = (token: string) => t.http().post('/api/v1/queue-board/session').set('Authorization', `Bearer ${token}`);

  it('sets a short-lived HttpOnly cookie for /admin/queues that opens the dashboard', async () => {
    const res = await open(w.tokens.admin).expect(204);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^caselink_queues_token=[^;]+; Path=\/admin\/queues; Max-Age=(\d+); HttpOnly; SameSite=Strict/);
    expect(Number(/Max-Age=(\d+)/.exec(cookie)![1])).toBeLessThanOrEqual(300);
    const value = /^caselink_queues_token=([^;]+)/.exec(cookie)![1];
    const claims = JSON.parse(Buffer.from(value.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(300);
    const board = await t.http().get('/admin/queues/api/queues').set('Cookie', `caselink_queues_token=${value}`);
    expect(board.status).toBe(200);
  });

  it('is for admins only', async () => {
    expectProblem(await open(w.tokens.supervisor), 403, 'FORBIDDEN');
    expectProblem(await t.http().post('/api/v1/queue-board/session'), 401, 'UNAUTHENTICATED');
  });
});
