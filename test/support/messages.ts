// A decoded message's bytes as they were on the wire (header fields as received, payload as is).
import type { Message } from '@vrfctl/netlink';

export function messageBytes(m: Message): Buffer {
  const out = Buffer.alloc(16 + m.payload.length);
  out.writeUInt32LE(m.header.length, 0);
  out.writeUInt16LE(m.header.type, 4);
  out.writeUInt16LE(m.header.flags, 6);
  out.writeUInt32LE(m.header.seq, 8);
  out.writeUInt32LE(m.header.pid, 12);
  m.payload.copy(out, 16);
  return out;
}
