/**
 * Deterministic image layers: a tar of files placed at a path of the image, gzip-compressed, so the
 * same files give the same bytes and so the same digest on every build.
 *
 * - entries are sorted by their path in the image (byte order), parent folders included once;
 * - every entry has the same mtime (SOURCE_DATE_EPOCH, else 0), uid/gid 0 and no user/group names;
 * - modes are normalised: folders 0755, files 0755 when any execute bit is set, else 0644;
 * - long or non-ASCII paths go in PAX extended headers (as GNU tar and Go's archive/tar write them);
 * - the gzip header is fixed (no mtime, no file name, OS byte 255 "unknown"), whatever the platform.
 *
 * The tar stream is hashed before compression (the layer's diff_id, which goes in the image config)
 * and after (the blob's digest, which goes in the manifest). Pure except for reading the files and
 * writing the layer; the header functions are exported for tests.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';

export type LayerEntry =
  | { type: 'dir'; path: string }
  | { type: 'file'; path: string; mode: number; source: string }
  | { type: 'file'; path: string; mode: number; content: Buffer }
  | { type: 'symlink'; path: string; target: string };

export interface LayerBlob {
  /** sha256 of the compressed blob: `sha256:<hex>`. */
  digest: string;
  /** sha256 of the uncompressed tar (the config's rootfs.diff_ids). */
  diffId: string;
  /** Size of the compressed blob in bytes. */
  size: number;
  /** Where the compressed blob is on disk. */
  file: string;
}

const BLOCK = 512;

/** The one mtime every entry gets: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else 0. */
export function layerMtime(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.SOURCE_DATE_EPOCH;
  return value && /^\d+$/.test(value) ? Number(value) : 0;
}

/** `/var/task/x/` → `var/task/x`: image paths in a layer are relative, with no trailing slash. */
export function cleanImagePath(p: string): string {
  if (p.split('/').includes('..')) throw new Error(`not a path inside the image: ${p}`);
  const norm = path.posix.normalize(`/${p}`).replace(/^\/+/, '').replace(/\/+$/, '');
  if (norm === '' || norm === '.' || norm.split('/').includes('..'))
    throw new Error(`not a path inside the image: ${p}`);
  return norm;
}

/** Every file, folder and symlink under `dir`, placed under `imagePath` (sorted later). */
export function entriesFromDir(
  dir: string,
  imagePath: string,
  skip: (rel: string) => boolean = () => false,
): LayerEntry[] {
  const base = cleanImagePath(imagePath);
  const entries: LayerEntry[] = [{ type: 'dir', path: base }];
  const walk = (abs: string, rel: string) => {
    for (const name of fs.readdirSync(abs)) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (skip(childRel)) continue;
      const childAbs = path.join(abs, name);
      const stat = fs.lstatSync(childAbs);
      const at = `${base}/${childRel}`;
      if (stat.isSymbolicLink()) entries.push({ type: 'symlink', path: at, target: fs.readlinkSync(childAbs) });
      else if (stat.isDirectory()) {
        entries.push({ type: 'dir', path: at });
        walk(childAbs, childRel);
      } else if (stat.isFile()) entries.push({ type: 'file', path: at, mode: fileMode(stat.mode), source: childAbs });
    }
  };
  walk(dir, '');
  return entries;
}

export function fileMode(mode: number): number {
  return mode & 0o111 ? 0o755 : 0o644;
}

/** Sorted by path, one entry per path (the last given wins), with every parent folder present. */
export function normalizeEntries(entries: readonly LayerEntry[]): LayerEntry[] {
  const byPath = new Map<string, LayerEntry>();
  for (const entry of entries) {
    const p = cleanImagePath(entry.path);
    byPath.set(p, { ...entry, path: p } as LayerEntry);
  }
  for (const p of [...byPath.keys()]) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const existing = byPath.get(parent);
      if (!existing) byPath.set(parent, { type: 'dir', path: parent });
      else if (existing.type !== 'dir')
        throw new Error(`${parent} is both a ${existing.type} and a folder in one layer`);
    }
  }
  // Byte order of the UTF-8 paths, so the order does not depend on the locale or the file system.
  return [...byPath.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

function octal(value: number, width: number): string {
  // width includes the terminating NUL
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function writeString(block: Buffer, offset: number, width: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > width) throw new Error(`tar field too long: ${value}`);
  bytes.copy(block, offset);
}

function isAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

/** name/prefix split of ustar, or undefined when the path does not fit (then PAX carries it). */
export function splitUstarName(name: string): { name: string; prefix: string } | undefined {
  if (!isAscii(name)) return undefined;
  if (name.length <= 100) return { name, prefix: '' };
  // The prefix ends at a '/', which is not stored; prefix at most 155, name at most 100.
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (prefix.length <= 155 && rest.length <= 100 && rest.length > 0) return { name: rest, prefix };
    if (prefix.length <= 155) break;
  }
  return undefined;
}

/** One PAX record: `<len> <key>=<value>\n`, where len counts the whole record, itself included. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length + bodyLength !== length) length = bodyLength + String(length).length;
  return `${length}${body}`;
}

interface HeaderFields {
  name: string;
  mode: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname?: string;
}

function ustarBlock(fields: HeaderFields, split: { name: string; prefix: string }): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  writeString(block, 0, 100, split.name);
  writeString(block, 100, 8, octal(fields.mode, 8));
  writeString(block, 108, 8, octal(0, 8));
  writeString(block, 116, 8, octal(0, 8));
  writeString(block, 124, 12, octal(fields.size, 12));
  writeString(block, 136, 12, octal(fields.mtime, 12));
  block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  writeString(block, 156, 1, fields.typeflag);
  if (fields.linkname) writeString(block, 157, 100, fields.linkname);
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 329, 8, octal(0, 8));
  writeString(block, 337, 8, octal(0, 8));
  writeString(block, 345, 155, split.prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

/** The header block(s) of one entry: a PAX header first when the path or link target needs one. */
export function tarHeader(fields: HeaderFields): Buffer {
  const split = splitUstarName(fields.name);
  const linkFits = fields.linkname === undefined || (isAscii(fields.linkname) && fields.linkname.length <= 100);
  const sizeFits = fields.size < 8 ** 11;
  if (split && linkFits && sizeFits) return ustarBlock(fields, split);
  let records = '';
  if (!split) records += paxRecord('path', fields.name);
  if (!linkFits) records += paxRecord('linkpath', fields.linkname!);
  if (!sizeFits) records += paxRecord('size', String(fields.size));
  const data = Buffer.from(records, 'utf8');
  const paxName = `PaxHeaders/${asciiTail(fields.name, 89)}`;
  const pax = ustarBlock(
    { name: paxName, mode: 0o644, size: data.length, mtime: fields.mtime, typeflag: 'x' },
    { name: paxName, prefix: '' },
  );
  const fallback = asciiTail(fields.name, 100);
  const main = ustarBlock(
    {
      ...fields,
      size: sizeFits ? fields.size : 0,
      linkname: linkFits ? fields.linkname : asciiTail(fields.linkname ?? '', 100),
    },
    split ?? { name: fallback, prefix: '' },
  );
  return Buffer.concat([pax, data, padding(data.length), main]);
}

function asciiTail(value: string, max: number): string {
  const ascii = value.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= max ? ascii : ascii.slice(ascii.length - max);
}

/** The tar stream of the (normalised) entries, chunk by chunk; files are read one at a time. */
export async function* tarChunks(entries: readonly LayerEntry[], mtime: number): AsyncGenerator<Buffer> {
  for (const entry of normalizeEntries(entries)) {
    if (entry.type === 'dir') {
      yield tarHeader({ name: `${entry.path}/`, mode: 0o755, size: 0, mtime, typeflag: '5' });
    } else if (entry.type === 'symlink') {
      yield tarHeader({ name: entry.path, mode: 0o777, size: 0, mtime, typeflag: '2', linkname: entry.target });
    } else {
      const data = 'content' in entry ? entry.content : await fs.promises.readFile(entry.source);
      yield tarHeader({ name: entry.path, mode: entry.mode, size: data.length, mtime, typeflag: '0' });
      yield data;
      const pad = padding(data.length);
      if (pad.length) yield pad;
    }
  }
  yield Buffer.alloc(BLOCK * 2, 0);
}

/** Hashes what passes through, and can rewrite the first bytes (the gzip header). */
class Tap extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  constructor(private readonly patch?: (chunk: Buffer, offset: number) => Buffer) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out = this.patch ? this.patch(chunk, this.size) : chunk;
    this.hash.update(out);
    this.size += out.length;
    callback(null, out);
  }
}

/** Bytes 4-7 (mtime) zero, byte 8 (extra flags) zero, byte 9 (OS) 255: the same header on every platform. */
export function fixGzipHeader(chunk: Buffer, offset: number): Buffer {
  if (offset >= 10) return chunk;
  const out = Buffer.from(chunk);
  for (let i = 0; i < out.length && offset + i < 10; i++) {
    const at = offset + i;
    if (at >= 4 && at <= 8) out[i] = 0;
    if (at === 9) out[i] = 255;
  }
  return out;
}

export interface WriteLayerOptions {
  mtime?: number;
  /** gzip level (default 6, zlib's default). */
  level?: number;
}

/** Writes the layer to `file` (through a temporary file, renamed at the end). */
export async function writeLayer(
  entries: readonly LayerEntry[],
  file: string,
  options: WriteLayerOptions = {},
): Promise<LayerBlob> {
  const mtime = options.mtime ?? layerMtime();
  const raw = new Tap();
  const compressed = new Tap(fixGzipHeader);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await pipeline(
      Readable.from(tarChunks(entries, mtime)),
      raw,
      zlib.createGzip({ level: options.level ?? 6 }),
      compressed,
      fs.createWriteStream(tmp),
    );
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return {
    digest: `sha256:${compressed.hash.digest('hex')}`,
    diffId: `sha256:${raw.hash.digest('hex')}`,
    size: compressed.size,
    file,
  };
}

/** The uncompressed tar of the entries, in memory (for small layers and tests). */
export async function tarBuffer(entries: readonly LayerEntry[], mtime = 0): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarChunks(entries, mtime)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export interface TarMember {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  size: number;
  linkname: string;
  content: Buffer;
}

/** Reads a tar (ustar + PAX path/linkpath/size): what the tests use to look inside layers. */
export function readTar(tar: Buffer): TarMember[] {
  const members: TarMember[] = [];
  let offset = 0;
  let pax: Record<string, string> = {};
  const field = (block: Buffer, start: number, width: number) => {
    const end = block.indexOf(0, start);
    return block.toString('utf8', start, end === -1 || end > start + width ? start + width : end);
  };
  const num = (block: Buffer, start: number, width: number) => parseInt(field(block, start, width).trim() || '0', 8);
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((b) => b === 0)) break;
    const typeflag = String.fromCharCode(block[156]!);
    let size = num(block, 124, 12);
    const prefix = field(block, 345, 155);
    let name = prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100);
    let linkname = field(block, 157, 100);
    offset += BLOCK;
    if (typeflag === 'x') {
      // Record lengths count bytes, not characters.
      const data = tar.subarray(offset, offset + size);
      pax = {};
      let i = 0;
      while (i < data.length) {
        const space = data.indexOf(0x20, i);
        const length = Number(data.toString('ascii', i, space));
        const record = data.toString('utf8', space + 1, i + length - 1);
        const eq = record.indexOf('=');
        pax[record.slice(0, eq)] = record.slice(eq + 1);
        i += length;
      }
      offset += size + padding(size).length;
      continue;
    }
    if (pax.path !== undefined) name = pax.path;
    if (pax.linkpath !== undefined) linkname = pax.linkpath;
    if (pax.size !== undefined) size = Number(pax.size);
    pax = {};
    const content = tar.subarray(offset, offset + size);
    offset += size + padding(size).length;
    members.push({
      name: name.replace(/\/$/, ''),
      type:
        typeflag === '0' || typeflag === '\0'
          ? 'file'
          : typeflag === '5'
            ? 'dir'
            : typeflag === '2'
              ? 'symlink'
              : 'other',
      mode: num(block, 100, 8),
      uid: num(block, 108, 8),
      gid: num(block, 116, 8),
      mtime: num(block, 136, 12),
      size,
      linkname,
      content: Buffer.from(content),
    });
  }
  return members;
}
