import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../config/app-config';
import { loggerParams, REDACTED, scrubUrl } from './logging';

function capture(): { stream: Writable; lines: () => Record<string, any>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('log redaction', () => {
  const { stream, lines } = capture();
  const [options] = loggerParams(loadConfig({ LOG_LEVEL: 'info' }), stream).pinoHttp as [pino.LoggerOptions, Writable];
  const logger = pino(options, stream);

  it('hides credentials and suspect ID numbers wherever a logged object carries them', () => {
    logger.info(
      {
        req: {
          headers: {
            authorization: 'Bearer eyJ.secret',
            cookie: 'caselink_queues_token=eyJ',
            'x-api-key': 'ck_live_1',
            accept: '*/*',
          },
        },
        res: { headers: { 'set-cookie': 'caselink_queues_token=eyJ' } },
        password: 'top-password-1',
        body: { username: 'li', password: 'body-password-1', suspects: [{ name: 'Zhang San', idNumber: '330102199001011234' }] },
        job: { data: { referral: { suspects: [{ idNumber: '91330100MA2B3C4D12' }] } } },
        webhook: { secret: 'whsec-1' },
        idNumber: '330102199001019999',
      },
      'something happened',
    );
    const [line] = lines();
    const text = JSON.stringify(line);
    for (const secret of [
      'eyJ',
      'ck_live_1',
      'top-password-1',
      'body-password-1',
      '330102199001011234',
      '91330100MA2B3C4D12',
      'whsec-1',
      '330102199001019999',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(line.req.headers).toEqual({ authorization: REDACTED, cookie: REDACTED, 'x-api-key': REDACTED, accept: '*/*' });
    expect(line.body).toEqual({ username: 'li', password: REDACTED, suspects: [{ name: 'Zhang San', idNumber: REDACTED }] });
    expect(line.level).toBe('info');
    expect(line.msg).toBe('something happened');
  });

  it('drops the dashboard sign-in token from a logged URL', () => {
    expect(scrubUrl('/admin/queues?token=eyJ.a.b&x=1')).toBe(`/admin/queues?token=${REDACTED}&x=1`);
    expect(scrubUrl('/api/v1/referrals?state=submitted')).toBe('/api/v1/referrals?state=submitted');
  });
});
