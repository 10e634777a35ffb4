// `vrfctl bridge vlan add|del|show`, with iproute2's `bridge vlan` syntax and output.
import {
  BRIDGE_VLAN_HEADER, addBridgeVlan, bridgeVlansToJson, deleteBridgeVlan, formatBridgeVlans, listBridgeVlans, parseBridgeVlanCommand,
} from '@vrfctl/link';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { UsageError, asUsage } from '../errors.js';
import { withSession } from '../session.js';

export const BRIDGE_USAGE = 'Usage: vrfctl bridge vlan { add | del } dev DEV vid VID[-VID_END] [ pvid ] [ untagged ] [ self ] [ master ]\n' +
  '       vrfctl bridge vlan [ show ] [ dev DEV ] [ vid VID ]';

function vlan(words: string[], opts: GlobalOptions): number {
  if (words[0] === 'help') {
    writeLine(BRIDGE_USAGE);
    return 0;
  }
  const cmd = parseBridgeVlanCommand(words);
  if (cmd.kind === 'change') {
    const plan = cmd.op === 'add' ? addBridgeVlan : deleteBridgeVlan;
    return withSession(opts, (s) => (s.run(plan(cmd.spec)), 0));
  }
  return withSession(opts, (s) => {
    const ports = s.run(listBridgeVlans(cmd.filter));
    if (opts.json) printJson(bridgeVlansToJson(ports), opts);
    else {
      writeLine(BRIDGE_VLAN_HEADER);
      for (const line of formatBridgeVlans(ports)) writeLine(line);
    }
    return 0;
  });
}

export function run(args: string[], opts: GlobalOptions): number {
  return asUsage(() => {
    const [object = '', ...rest] = args;
    // bridge takes any prefix of an object's name ("bridge v show").
    if (object.length > 0 && 'vlan'.startsWith(object)) return vlan(rest, opts);
    if (object === 'help') {
      writeLine(BRIDGE_USAGE);
      return 0;
    }
    if (object === '') throw new UsageError('bridge needs an object: vlan (vrfctl bridge help)');
    if (['link', 'fdb', 'mdb', 'monitor'].some((o) => o.startsWith(object))) throw new UsageError(`bridge ${object} is not supported yet (only bridge vlan)`);
    throw new UsageError(`unknown bridge object "${object}": vlan`);
  });
}
