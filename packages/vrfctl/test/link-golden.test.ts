import { run } from '../src/commands/link.js';
import { goldenChangeTests, goldenReplyTests } from './link-golden-helpers.js';

goldenChangeTests(['link', 'dummy', 'vlan'], 'link', run);
goldenReplyTests(['link', 'dummy', 'vlan']);
