import { describe, expect, it } from 'vitest';
import { createAddressPolicy, embeddedIpv4 } from './address-policy.js';

describe('address policy (SSRF guard)', () => {
  const policy = createAddressPolicy();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.1.2.3', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::', 'loopback'],
    ['[::1]', 'loopback'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(policy.check(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows public %s',
    (address) => {
      expect(policy.check(address)).toBeNull();
    },
  );

  it('lifts the guard only for the allow-listed networks, in every form of the address', () => {
    const dev = createAddressPolicy(['127.0.0.0/8', ' ::1/128 ', '10.1.0.0/16']);
    expect(dev.check('127.0.0.1')).toBeNull();
    expect(dev.check('::ffff:127.0.0.1')).toBeNull();
    expect(dev.check('::1')).toBeNull();
    expect(dev.check('10.1.200.3')).toBeNull();
    expect(dev.check('10.2.0.1')).toBe('private');
    expect(dev.check('169.254.169.254')).toBe('metadata');
  });

  it('rejects a malformed allow-list entry instead of ignoring it', () => {
    expect(() => createAddressPolicy(['10.0.0.0/33'])).toThrow(/prefix/);
    expect(() => createAddressPolicy(['localhost'])).toThrow(/not an address/);
  });

  it('finds the IPv4 address inside mapped, compatible, NAT64 and 6to4 forms', () => {
    expect(embeddedIpv4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIpv4('::1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIpv4('64:ff9b::102:304')).toBe('1.2.3.4');
    expect(embeddedIpv4('2002:102:304::1')).toBe('1.2.3.4');
    expect(embeddedIpv4('2606:4700::1')).toBeNull();
    expect(embeddedIpv4('::1')).toBeNull();
  });
});
