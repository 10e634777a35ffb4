import { run } from '../src/commands/addr.js';
import { goldenChangeTests, goldenReplyTests } from './link-golden-helpers.js';

goldenChangeTests(['addr'], 'addr', run);
goldenReplyTests(['addr']);
