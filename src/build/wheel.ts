/**
 * What the image needs to know of the project's wheel: its name, version and requirements, read from
 * `<name>-<version>.dist-info/METADATA` inside the wheel (a zip). The zip reader is the least that
 * reads one member (central directory, stored or deflated), with Node's zlib only.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { ActionError } from '../lib/errors';

export interface WheelMetadata {
  name: string;
  version: string;
  /** Requires-Dist lines that apply whatever extras are asked (lines under `extra == ...` are left out). */
  requirements: string[];
  requiresPython: string | undefined;
}

/** The names and bytes of a zip's members, read lazily. */
export function readZipEntries(zip: Buffer): Map<string, () => Buffer> {
  // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, () => Buffer>();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.set(name, () => {
      if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`corrupt zip member ${name}`);
      const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const data = zip.subarray(start, start + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`zip member ${name} uses compression method ${method}, which is not supported`);
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Parses METADATA (RFC 822 style headers; the body after the first blank line is the description). */
export function parseMetadata(text: string): WheelMetadata {
  const headerText = text.split(/\r?\n\r?\n/)[0] ?? '';
  const headers: [string, string][] = [];
  for (const line of headerText.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length) headers[headers.length - 1]![1] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  const one = (key: string) => headers.find(([k]) => k === key)?.[1];
  const requirements = headers
    .filter(([k]) => k === 'requires-dist')
    .map(([, v]) => v)
    .filter((req) => !/;.*\bextra\s*==/.test(req));
  return {
    name: one('name') ?? '',
    version: one('version') ?? '',
    requirements,
    requiresPython: one('requires-python'),
  };
}

/** The distribution's name as a requirement line starts it: `pandas>=2; python_version>"3"` → `pandas`. */
export function requirementName(requirement: string): string {
  return (/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1] ?? requirement).trim();
}

/** PEP 503 normalised name (`Foo_Bar.baz` → `foo-bar-baz`). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function readWheelMetadata(wheel: string): WheelMetadata {
  if (!fs.existsSync(wheel)) throw new ActionError(`the wheel ${wheel} does not exist; run mode "package" again`);
  let entries: Map<string, () => Buffer>;
  try {
    entries = readZipEntries(fs.readFileSync(wheel));
  } catch (error) {
    throw new ActionError(`the wheel ${wheel} cannot be read: ${(error as Error).message}`);
  }
  const metadata = [...entries.keys()].filter((n) => /^[^/]+\.dist-info\/METADATA$/.test(n));
  if (metadata.length !== 1) {
    throw new ActionError(
      `the wheel ${wheel} has ${metadata.length} .dist-info/METADATA files; expected one (is it a wheel from "kedro package"?)`,
    );
  }
  return parseMetadata(entries.get(metadata[0]!)!().toString('utf8'));
}
