// systemd's unit-file syntax as networkd reads it: `[Section]` headers (a section may repeat:
// each `[Route]` is one route), `Key=Value` lines, `#`/`;` comments, a trailing `\` continues
// the line. Only the syntax lives here; what the keys mean is networkd.ts's.

export interface IniEntry {
  key: string;
  value: string;
  line: number;
}

export interface IniSection {
  name: string;
  line: number;
  entries: IniEntry[];
}

/** Thrown for text that is not unit-file syntax; names file and line. */
export class IniSyntaxError extends Error {
  override readonly name = 'IniSyntaxError';
}

export function parseIni(text: string, fileName: string): IniSection[] {
  const sections: IniSection[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i].replace(/\r$/, '');
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i].replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (trimmed.startsWith('[')) {
      if (!trimmed.endsWith(']') || trimmed.length < 3) throw new IniSyntaxError(`${fileName}:${lineNo}: not a section header: ${excerpt(trimmed)}`);
      sections.push({ name: trimmed.slice(1, -1), line: lineNo, entries: [] });
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new IniSyntaxError(`${fileName}:${lineNo}: not "Key=Value": ${excerpt(trimmed)}`);
    const current = sections[sections.length - 1];
    if (!current) throw new IniSyntaxError(`${fileName}:${lineNo}: "${excerpt(trimmed.slice(0, eq).trim())}" is outside any [Section]`);
    current.entries.push({ key: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim(), line: lineNo });
  }
  return sections;
}

/** Writes sections back in the same syntax, one blank line between sections. */
export function formatIni(sections: readonly { name: string; entries: readonly { key: string; value: string }[] }[]): string {
  return sections.map((s) => [`[${s.name}]`, ...s.entries.map((e) => `${e.key}=${e.value}`)].join('\n')).join('\n\n') + '\n';
}

function excerpt(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
