import { assertPublicTarget, isPrivateAddress, parseTargetUrl, RefusedTargetError } from './ssrf-guard';

describe('isPrivateAddress', () => {
  it.each([
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '100.64.0.1',
    '100.127.255.255',
    '127.0.0.1',
    '127.8.9.10',
    '169.254.169.254',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '240.0.0.1',
    '198.18.0.1',
    '::',
    '::1',
    '0:0:0:0:0:0:0:1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fec0::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.1.2.3',
    '::ffff:192.168.0.1',
    '::ffff:169.254.169.254',
    '::ffff:0.0.0.0',
    '::127.0.0.1',
    '64:ff9b::10.0.0.1',
    '2002:c0a8:0101::1', // 6to4 of 192.168.1.1
    'not-an-ip',
    '',
    '1.2.3',
    '1.2.3.256',
    ':::1',
    '1:2:3:4:5:6:7:8:9',
  ])('refuses %s', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.15.255.255',
    '172.32.0.1',
    '192.169.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.1.1',
    '11.0.0.1',
    '223.255.255.255',
    '126.255.255.255',
    '128.0.0.1',
    '2001:4860:4860::8888',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
    '2400:cb00::1',
  ])('allows %s', (ip) => expect(isPrivateAddress(ip)).toBe(false));
});

describe('parseTargetUrl', () => {
  it('takes http and https', () => {
    expect(parseTargetUrl('https://example.org/hook').hostname).toBe('example.org');
    expect(parseTargetUrl('http://example.org:8080/x?y=1').port).toBe('8080');
  });
  it.each(['ftp://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://x', 'example.org/hook', ''])(
    'refuses %s',
    (url) => expect(() => parseTargetUrl(url)).toThrow(RefusedTargetError),
  );
});

describe('assertPublicTarget', () => {
  const lookupTo = (addresses: string[]) => jest.fn(async () => addresses);

  it('passes a host whose every address is public', async () => {
    const lookup = lookupTo(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
    // the checked address is the one to connect to
    await expect(assertPublicTarget('https://example.org/hook', { allowPrivate: false, lookup })).resolves.toBe('93.184.216.34');
    expect(lookup).toHaveBeenCalledWith('example.org');
  });

  it('refuses when ANY resolved address is private', async () => {
    const lookup = lookupTo(['93.184.216.34', '10.0.0.5']);
    await expect(assertPublicTarget('https://example.org/hook', { allowPrivate: false, lookup })).rejects.toThrow(/10\.0\.0\.5/);
  });

  it('refuses literal loopback and private addresses without a lookup, in every spelling the URL parser accepts', async () => {
    const lookup = lookupTo(['8.8.8.8']);
    for (const url of [
      'http://127.0.0.1:3000/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0x7f.0.0.1/',
      'http://2130706433/',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      await expect(assertPublicTarget(url, { allowPrivate: false, lookup })).rejects.toBeInstanceOf(RefusedTargetError);
    }
    expect(lookup).not.toHaveBeenCalled();
  });

  it('allows private targets only when configured, and never a non-http scheme', async () => {
    await expect(assertPublicTarget('http://127.0.0.1:9/', { allowPrivate: true })).resolves.toBeUndefined();
    await expect(assertPublicTarget('ftp://127.0.0.1/', { allowPrivate: true })).rejects.toBeInstanceOf(RefusedTargetError);
  });

  it('reports a failed lookup as an error that is not a refusal (it may be temporary)', async () => {
    const lookup = jest.fn(async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN example.org'), { code: 'EAI_AGAIN' });
    });
    const err = await assertPublicTarget('https://example.org/', { allowPrivate: false, lookup }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(RefusedTargetError);
  });
});

describe('reserved ranges a webhook never targets', () => {
  it.each([
    '192.0.0.8',
    '192.0.2.10',
    '198.51.100.7',
    '203.0.113.9',
    '::ffff:0:127.0.0.1',
    '64:ff9b:1::a',
    '2001::1',
    '2001:db8::1',
  ])('%s is refused', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(['192.0.3.1', '198.51.101.1', '203.0.114.1', '2001:4860::8888'])('%s is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );
});
