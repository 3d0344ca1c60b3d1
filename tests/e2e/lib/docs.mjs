// docs.mjs — helpers for the pilot's documents in the end-to-end suites: a
// download that keeps the bytes (fetch's text() would mangle a DOCX), a
// zip reader over node's zlib (a DOCX and an XLSX are zip files: the
// central directory names each entry, its local header points at the
// deflated bytes), and asking for a PDF until its job has made it.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { BASE } from './http.mjs';

// download(session, path): { status, headers, buf, json } (json for an error or a 202).
export async function download(session, path, base = BASE, headers = {}) {
  const h = { ...headers };
  if (session) h.cookie = session.cookie;
  const res = await fetch(base + path, { headers: h });
  const buf = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') || '').startsWith('application/json') ? JSON.parse(buf.toString('utf8')) : null;
  return { status: res.status, headers: res.headers, buf, json };
}

// The names of the entries of a zip file.
export function zipEntries(buf) {
  return [...centralDirectory(buf).keys()];
}

// The text of entry `name` of the zip file in buf (UTF-8).
export function unzipEntry(buf, name) {
  const e = centralDirectory(buf).get(name);
  assert.ok(e, `${name} is in the zip (${zipEntries(buf).join(', ')})`);
  assert.equal(buf.readUInt32LE(e.local), 0x04034b50, 'local header');
  const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
  const data = buf.subarray(start, start + e.compressed);
  const out = e.method === 0 ? data : zlib.inflateRawSync(data);
  assert.equal(out.length, e.size, `${name}: size`);
  return out.toString('utf8');
}

function centralDirectory(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip file (end of central directory)');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < n; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory header');
    const nameLen = buf.readUInt16LE(p + 28), extra = buf.readUInt16LE(p + 30), comment = buf.readUInt16LE(p + 32);
    entries.set(buf.toString('utf8', p + 46, p + 46 + nameLen), {
      method: buf.readUInt16LE(p + 10), compressed: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24),
      local: buf.readUInt32LE(p + 42) });
    p += 46 + nameLen + extra + comment;
  }
  return entries;
}

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// A PDF: ask until the answer is not 202 (each 202 names its job and Retry-After), at most `tries`.
export async function pdfOf(session, path, { base = BASE, tries = 120 } = {}) {
  let r;
  const jobs = new Set();
  for (let i = 0; i < tries; i++) {
    r = await download(session, path, base);
    if (r.status !== 202) break;
    assert.ok(['queued', 'running'].includes(r.json.status), JSON.stringify(r.json));
    assert.equal(r.headers.get('retry-after'), '2');
    jobs.add(r.json.job_id);
    await new Promise((ok) => setTimeout(ok, 500));
  }
  return { ...r, jobs: [...jobs] };
}
