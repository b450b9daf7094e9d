import { describe, expect, it } from 'vitest';
import { isPrivateAddress, resolveWebhookTarget } from '../../server/webhooks';
import type { HostLookup } from '../../server/webhooks';

describe('webhook targets', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
  ])('calls %s private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('calls %s public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses a name when any of its addresses is private, and pins the first address otherwise', async () => {
    const lookup: HostLookup = async (host) =>
      host === 'mixed.example'
        ? [
            { address: '93.184.215.14', family: 4 },
            { address: '10.0.0.5', family: 4 },
          ]
        : [{ address: '2606:4700::1111', family: 6 }];
    expect(await resolveWebhookTarget('https://mixed.example/hook', { allowPrivate: false, lookup })).toMatchObject({
      ok: false,
      reason: 'private address',
      detail: 'mixed.example resolves to 10.0.0.5',
    });
    expect(await resolveWebhookTarget('https://public.example/hook', { allowPrivate: false, lookup })).toMatchObject({
      ok: true,
      address: { address: '2606:4700::1111', family: 6 },
    });
    expect(await resolveWebhookTarget('https://mixed.example/hook', { allowPrivate: true, lookup })).toMatchObject({ ok: true, address: { address: '93.184.215.14' } });
  });

  it('checks IP literals without a lookup, IPv6 in brackets included', async () => {
    const lookup: HostLookup = async () => {
      throw new Error('no lookup expected');
    };
    expect(await resolveWebhookTarget('http://[::1]:8080/', { allowPrivate: false, lookup })).toMatchObject({ ok: false, reason: 'private address' });
    expect(await resolveWebhookTarget('http://[::1]:8080/', { allowPrivate: true, lookup })).toMatchObject({ ok: true, address: { address: '::1', family: 6 } });
  });

  it('gives up a lookup past its deadline as unresolved', async () => {
    const never: HostLookup = () => new Promise(() => undefined);
    expect(await resolveWebhookTarget('https://slow.example/', { allowPrivate: false, lookup: never, timeoutMs: 20 })).toMatchObject({
      ok: false,
      reason: 'unresolved',
    });
  });
});
