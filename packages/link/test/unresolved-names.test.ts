// The request builders take names already looked up (createLink, setLink and the batches do it).
// Given a name nobody resolved, they throw: writing 0 would silently mean "no master" or "no
// lower link" and leave the link where the caller did not ask.
import test from 'ava';
import { ArgumentError } from '@vrfctl/iproute2';
import { createLinkRequest, setLinkRequest } from '@vrfctl/link';
import { IFLA } from '@vrfctl/rtnetlink';
import { encodeRequest } from '@vrfctl/socket';

/** The u32 value of top-level attribute `type` in an RTM_NEWLINK (16-byte header + 16-byte ifinfomsg). */
function u32Attribute(bytes: Buffer, type: number): number | undefined {
  for (let off = 32; off + 4 <= bytes.length; off += (bytes.readUInt16LE(off) + 3) & ~3) {
    if ((bytes.readUInt16LE(off + 2) & 0x3fff) === type) return bytes.readUInt32LE(off + 4);
  }
  return undefined;
}

test('a master, lower link or vxlan dev given by name and not resolved is refused, never written as 0', (t) => {
  const cases = [
    [() => encodeRequest(setLinkRequest(5, { master: 'br0' })), /master "br0" not resolved/],
    [() => encodeRequest(createLinkRequest({ name: 'd0', kind: 'dummy', master: 'br0' })), /master "br0" not resolved/],
    [() => encodeRequest(createLinkRequest({ name: 'v0.10', kind: 'vlan', link: 'v0', vlan: { id: 10 } })), /link "v0" not resolved/],
    [() => encodeRequest(createLinkRequest({ name: 'vx0', kind: 'vxlan', vxlan: { id: 42, dev: 'eth0' } })), /vxlan dev "eth0" not resolved/],
    [() => encodeRequest(createLinkRequest({ name: 'a', kind: 'veth', peer: { name: 'b', master: 'br0' } })), /master "br0" not resolved/],
  ] as const;
  for (const [build, message] of cases) t.throws(build, { instanceOf: ArgumentError, message });
});

test('resolved names, indexes given as such and nomaster are written as asked', (t) => {
  t.is(u32Attribute(encodeRequest(setLinkRequest(5, { master: 'br0' }, 7)), IFLA.MASTER), 7);
  t.is(u32Attribute(encodeRequest(setLinkRequest(5, { master: 9 })), IFLA.MASTER), 9);
  t.is(u32Attribute(encodeRequest(setLinkRequest(5, { master: null })), IFLA.MASTER), 0);
  t.is(u32Attribute(encodeRequest(createLinkRequest({ name: 'v0.10', kind: 'vlan', link: 'v0', vlan: { id: 10 } }, { link: 3 })), IFLA.LINK), 3);
});
