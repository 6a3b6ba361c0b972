// An API answer's ETag is the instance's version, for If-Match: it does not cover
// what the view derives (deadlines, links, allowedEvents for this caller). So no
// answer may come back as 304 from it, and none may be stored by a cache.
import { useScenario } from './kit';

describe('API answers are never served from a cache', () => {
  const s = useScenario();

  it('answers a conditional GET in full (200), marked no-store', async () => {
    const r = await s.referral();
    const first = await s.as('lead').get(`/api/v1/referrals/${r.id}`);
    expect(first.headers.etag).toBe('"1"');
    const again = await s.as('lead').get(`/api/v1/referrals/${r.id}`).set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(r.id);
    expect(again.headers['cache-control']).toBe('no-store');
    // The same version, another caller: other allowedEvents, so never one cached answer for both.
    const asOfficer = await s.as('officer').get(`/api/v1/referrals/${r.id}`).set('If-None-Match', first.headers.etag);
    expect(asOfficer.status).toBe(200);
    expect(asOfficer.body.allowedEvents).not.toEqual(first.body.allowedEvents);
    const list = await s.as('lead').get('/api/v1/referrals');
    expect(list.headers['cache-control']).toBe('no-store');
  });
});
