// Lab (bond, ipvlan and bridge VLAN filtering exist in the lab kernel only): for every bond,
// ipvlan and bridge fixture that changes something, `vrfctl --dry-run --hex` sends the bytes ip
// sent, with the fixture's setup applied in a fresh netns (so names resolve as they did for ip);
// every kernel answer in those fixtures decodes.
import test from 'ava';
import { run } from '../src/commands/link.js';
import { goldenChangeTests, goldenReplyTests } from '../test/link-golden-helpers.js';

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('run this file in the lab (tools/lab/run): it needs the bonding and ipvlan drivers');
});

goldenChangeTests(['bond', 'ipvlan', 'bridge'], 'link', run);
goldenReplyTests(['bond', 'ipvlan', 'bridge']);
