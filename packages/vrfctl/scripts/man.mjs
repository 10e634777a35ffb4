// Writes man/vrfctl.8 from the CLI's own help: `vrfctl --help` gives the description, the
// global options and the command list, `vrfctl COMMAND --help` each command's usage and
// examples, and the exit codes come from src/errors.ts. Run from the bundle, so the page
// describes exactly the command that ships (prepack runs this after bundling). `--if-stale`
// keeps a page newer than both the bundle and this script (it costs a node start per command).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const pkgDir = new URL('../', import.meta.url);
const bundle = new URL('dist/bundle/vrfctl.cjs', pkgDir).pathname;
const target = new URL('man/vrfctl.8', pkgDir);
const mtime = (url) => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return NaN;
  }
};
if (process.argv.includes('--if-stale') && mtime(target) > Math.max(mtime(bundle), mtime(new URL(import.meta.url)))) process.exit(0);
const pkg = JSON.parse(readFileSync(new URL('package.json', pkgDir), 'utf8'));
const { EXIT_OK, EXIT_REFUSED, EXIT_USAGE } = await import(new URL('dist/errors.js', pkgDir).href);

// The bundle is a CommonJS wrapper function (bin/vrfctl.js compiles and calls it): called here
// the same way, without bin's freshness check or code cache.
const runBundle = "const f = process.argv[1]; const m = { exports: {}, filename: f }; " +
  "new (require('node:vm').Script)(require('node:fs').readFileSync(f, 'latin1'), { filename: f }).runInThisContext()" +
  ".call(m.exports, m.exports, require('node:module').createRequire(f), m, f, require('node:path').dirname(f));";

async function help(args) {
  // Fixed width: the page must not depend on the terminal this runs in.
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', runBundle, bundle, ...args, '--help'], { env: { ...process.env, COLUMNS: '80' } });
  return stdout;
}

/** Lines of the block after `title:` up to the next blank line. */
function block(text, title) {
  const lines = text.split('\n');
  const at = lines.indexOf(`${title}:`);
  if (at < 0) return [];
  const end = lines.indexOf('', at);
  return lines.slice(at + 1, end < 0 ? undefined : end);
}

/** "  -n, --netns <name>  text" rows (continuation lines indented further) as [term, text]. */
function rows(lines) {
  const out = [];
  for (const line of lines) {
    const m = /^ {2}(\S.*?)(?: {2,}(.*))?$/.exec(line);
    if (m) out.push([m[1], m[2] ?? '']);
    else if (out.length > 0) out[out.length - 1][1] += ` ${line.trim()}`;
  }
  return out;
}

const text = (s) => s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
const verbatim = (s) => s.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1');

const top = await help([]);
const description = top.split('\n\n')[1].trim();
const options = rows(block(top, 'Options'));
const commands = rows(block(top, 'Commands')).map(([term, summary]) => ({ name: term.split(' ')[0], summary }))
  .filter((c) => c.name !== 'help');
const pages = await Promise.all(commands.map((c) => help([c.name])));

const man = [
  `.TH VRFCTL 8 "" "vrfctl ${pkg.version}" "System Administration"`,
  '.SH NAME',
  `vrfctl \\- ${text(description)}`,
  '.SH SYNOPSIS',
  '.B vrfctl',
  '[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR...]',
  '.SH DESCRIPTION',
  `${text(pkg.description)}. Global options go before the command, as with \\fBip\\fR(8);`,
  'every command also answers \\fB--help\\fR.',
  '.SH OPTIONS',
  ...options.flatMap(([term, what]) => ['.TP', `.B ${text(term)}`, text(what)]),
  '.SH COMMANDS',
];
commands.forEach((c, i) => {
  const page = pages[i];
  const usage = /^Usage: (.*)$/m.exec(page)[1].trim();
  const optionsEnd = page.indexOf('\n\n', page.indexOf('Options:'));
  const rest = optionsEnd < 0 ? '' : page.slice(optionsEnd).replace(/^\n+|\n+$/g, '');
  man.push('.SS', `.B ${text(usage)}`, '.PP', text(c.summary));
  if (rest) man.push('.PP', '.nf', '.RS 4', verbatim(rest), '.RE', '.fi');
});
man.push(
  '.SH EXIT STATUS',
  '.TP', `.B ${EXIT_OK}`, 'Done.',
  '.TP', `.B ${EXIT_USAGE}`, 'Refused before anything was sent: the command line, a name or a value is wrong.',
  '.TP', `.B ${EXIT_REFUSED}`, 'The kernel or the system refused (the message names the errno and the kernel\'s extended ACK text).',
  '.SH SEE ALSO',
  '\\fBip\\fR(8), \\fBip-vrf\\fR(8), \\fBip-route\\fR(8), \\fBip-rule\\fR(8)',
  '',
);
mkdirSync(new URL('man/', pkgDir), { recursive: true });
writeFileSync(target, man.join('\n'));
