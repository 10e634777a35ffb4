import { run } from '../src/commands/neigh.js';
import { goldenChangeTests, goldenReplyTests } from './link-golden-helpers.js';

goldenChangeTests(['neigh'], 'neigh', run);
goldenReplyTests(['neigh']);
