import { DecodeError, fromHex, printable, toHex } from '@vrfctl/netlink';
import { messageFromJson, messageToJson, splitMessages, type JsonMessage } from '@vrfctl/rtnetlink';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { writeLine, type GlobalOptions } from '../context.js';
import { inputLines } from '../input-lines.js';

/**
 * What `nl` takes: a line of hex or JSON up to lineLength characters (the kernel's datagrams are
 * some 64 KiB at most, their hex twice that, a message's JSON a few times its hex), and standard
 * input up to bytes in all (a 100k-route dump is about 20 MB of hex).
 */
export const NL_LIMITS = { lineLength: 1 << 20, bytes: 64 << 20 } as const;

/**
 * `nl decode`: one hex buffer per input → one JSON line per netlink message.
 * `nl encode`: one JSON message per input (as decode prints them) → one hex line per message.
 * A bad input gets an error line naming it and the others still go through: exit 1 (EXIT_USAGE,
 * the input is at fault: nothing goes to the kernel) for malformed netlink data and for text that
 * is not hex or JSON at all.
 */
export function run(args: string[], _opts: GlobalOptions): number {
  const [verb, ...rest] = args;
  if (verb !== 'decode' && verb !== 'encode') throw new UsageError(`nl: expected "decode" or "encode", got "${verb ?? ''}"`);
  const inputs = rest.length > 0 ? rest.map((text, i) => ({ text, where: `argument ${i + 1}` })) : stdinLines();
  let code = EXIT_OK;
  const fail = (where: string, what: string, exit: number) => {
    // What the parsers say may quote the input: escaped, and cut short.
    process.stderr.write(`vrfctl: nl ${verb}: ${where}: ${printable(what, 200)}\n`);
    code = Math.max(code, exit);
  };
  for (const { text, where } of inputs) {
    if (verb === 'decode') decodeOne(text, where, fail);
    else encodeOne(text, where, fail);
  }
  return code;
}

type Fail = (where: string, what: string, exit: number) => void;

function decodeOne(text: string, where: string, fail: Fail): void {
  let bytes: Buffer;
  try {
    bytes = fromHex(text);
  } catch (err) {
    return fail(where, `invalid hex: ${(err as Error).message}`, EXIT_USAGE);
  }
  try {
    const { messages, trailing } = splitMessages(bytes);
    if (messages.length === 0) throw new DecodeError('no netlink message', 0);
    // iproute2 sends sizeof(request) bytes, so zeros after the last message are normal.
    if (trailing.some((b) => b !== 0)) throw new DecodeError(`${trailing.length} bytes after the last message`, bytes.length - trailing.length);
    const lines = messages.map((m) => JSON.stringify(messageToJson(m)));
    for (const line of lines) writeLine(line);
  } catch (err) {
    fail(where, err instanceof DecodeError ? err.message : String(err), EXIT_USAGE);
  }
}

function encodeOne(text: string, where: string, fail: Fail): void {
  let json: JsonMessage;
  try {
    json = JSON.parse(text) as JsonMessage;
  } catch (err) {
    return fail(where, `invalid JSON: ${(err as Error).message}`, EXIT_USAGE);
  }
  try {
    writeLine(toHex(messageFromJson(json)));
  } catch (err) {
    // A TypeError is the encoder meeting a shape it does not know: its text names JS internals.
    const why = err instanceof TypeError ? 'not a message as "vrfctl nl decode" prints it (a "header" object and the message\'s fields)'
      : err instanceof Error ? err.message : String(err);
    fail(where, why, EXIT_USAGE);
  }
}

/**
 * The non-empty, non-comment lines of standard input, read as they come: a line or an input past
 * NL_LIMITS is a UsageError naming it (the lines before it have been handled). Arguments need no
 * limit of their own: the kernel takes none longer than 128 KiB.
 */
function* stdinLines(): Generator<{ text: string; where: string }> {
  let i = 0;
  for (const line of inputLines('-', NL_LIMITS)) {
    i++;
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) yield { text: trimmed, where: `line ${i}` };
  }
}
