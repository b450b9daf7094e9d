import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
// esbuild comes with tsx, which compiled the profiled TypeScript: compiling a file again the way
// tsx does gives the source map from the profile's positions back to the source lines.
import { transformSync } from 'esbuild';

/**
 * Summarises V8 CPU profiles (`.cpuprofile`, as written by `node --cpu-prof`): self and total
 * time per function, self time per file and per area of the collector.
 *
 * Profile the servers of a benchmark run (each writes its profile on exit, into a folder named
 * after its round, such as `PostgreSQL-collector-1`):
 *   BENCH_CPU_PROF=/tmp/prof BENCH_ENGINES=postgres BENCH_ROUNDS=1 npm run bench:collector
 *   npx tsx bench/collector/profile-summary.ts /tmp/prof/PostgreSQL-collector-1/*.cpuprofile [--top 25]
 * (`--cpu-prof` is a flag of node itself, which `NODE_OPTIONS` does not take.) Profiling slows a
 * server down by about half: compare profiles with each other, not with unprofiled figures.
 * Several files are summed. Times are sample counts turned into % of all samples and of the busy
 * ones (without `(idle)`). Builtins such as `JSON.parse`, and the native calls of
 * better-sqlite3, have no frame of their own: their time is the self time of the function that
 * called them. Positions in TypeScript files are mapped back to source lines (tsx runs them
 * whitespace-minified); an anonymous function is shown with the start of its source line.
 */

interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based, in the code V8 ran. */
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
}

/** Areas of the collector's work, first matching rule wins (tested on `url` and `function`). */
const AREAS: readonly { area: string; test: (frame: CallFrame) => boolean }[] = [
  { area: 'idle', test: (f) => f.functionName === '(idle)' },
  { area: 'GC', test: (f) => f.functionName === '(garbage collector)' },
  // Writes to the HTTP clients and to PostgreSQL: the time in the syscall (on loopback, the
  // receiving side's work is done in it too). The "total time" list shows whose writes they are.
  { area: 'socket writes (native)', test: (f) => f.url === '' && /^(writev|writeBuffer|write\w*String)$/.test(f.functionName) },
  { area: 'analytics', test: (f) => /server\/(store\/)?analytics\//.test(f.url) },
  { area: 'zod/validation', test: (f) => /node_modules\/zod\/|server\/ingest\/|lib\/protocol\//.test(f.url) },
  { area: 'JSON parse', test: (f) => /server\/http\/body-parser/.test(f.url) },
  { area: 'SQLite/pg driver + store', test: (f) => /node_modules\/(better-sqlite3|pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-[a-z]+)\/|server\/store\/|bench\/collector\/floor\/[\w-]+-store/.test(f.url) },
  { area: 'logging', test: (f) => /node_modules\/(pino|thread-stream|sonic-boom)/.test(f.url) },
  {
    area: 'HTTP/fastify',
    test: (f) =>
      /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|content-type|toad-cache|process-warning)\/|server\/(http|routes|errors)\/|server\/create-app/.test(
        f.url,
      ) || /^node:(_http_|http|net|internal\/http|internal\/stream_base|internal\/streams)/.test(f.url),
  },
  { area: 'tsx loader', test: (f) => /node_modules\/(tsx|esbuild|get-tsconfig)\//.test(f.url) },
  { area: 'node internals', test: (f) => f.url.startsWith('node:') },
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const areaOf = (frame: CallFrame): string => AREAS.find((rule) => rule.test(frame))?.area ?? 'other';
const fileOf = (frame: CallFrame): string => {
  if (frame.url === '') return '(native or VM)';
  const path = frame.url.startsWith('file://') ? relative(ROOT, fileURLToPath(frame.url)) : frame.url;
  return path.replace(/^.*node_modules\//, 'node_modules/');
};
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Per generated line: [generated column, source line] pairs in column order (source map v3 `mappings`). */
function decodeMappings(mappings: string): [number, number][][] {
  const lines: [number, number][][] = [];
  let sourceLine = 0;
  for (const text of mappings.split(';')) {
    const segments: [number, number][] = [];
    let column = 0;
    for (const segment of text.split(',')) {
      if (segment === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if ((digit & 32) !== 0) {
          shift += 5;
          continue;
        }
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        sourceLine += fields[2] ?? 0;
        segments.push([column, sourceLine]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** A TypeScript file as tsx ran it: the map back to its source lines, and those lines. */
interface CompiledFile {
  lines: [number, number][][];
  source: string[];
}

const compiled = new Map<string, CompiledFile | null>();

function compiledFile(url: string): CompiledFile | null {
  if (!url.startsWith('file://') || !/\.[cm]?tsx?$/.test(url)) return null;
  if (compiled.has(url)) return compiled.get(url) ?? null;
  let file: CompiledFile | null;
  try {
    const path = fileURLToPath(url);
    const source = readFileSync(path, 'utf8');
    const output = transformSync(source, {
      loader: path.endsWith('x') ? 'tsx' : 'ts',
      format: 'esm',
      target: `node${process.versions.node}`,
      sourcemap: 'external',
      sourcefile: path,
      minifyWhitespace: true,
      keepNames: true,
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, jsx: 'react-jsx' } },
    });
    file = { lines: decodeMappings((JSON.parse(output.map) as { mappings: string }).mappings), source: source.split('\n') };
  } catch {
    file = null;
  }
  compiled.set(url, file);
  return file;
}

/** The 1-based source line of a frame (the generated line and column mapped back when it can be). */
function sourceLineOf(frame: CallFrame): { line: number; text: string | null } {
  const file = compiledFile(frame.url);
  const segments = file?.lines[frame.lineNumber];
  if (file === null || segments === undefined || segments.length === 0) return { line: frame.lineNumber + 1, text: null };
  let found = segments[0]?.[1] ?? 0;
  for (const [column, line] of segments) {
    if (column > frame.columnNumber) break;
    found = line;
  }
  return { line: found + 1, text: file.source[found]?.trim().slice(0, 70) ?? null };
}

const keys = new Map<string, string>();
const keyOf = (frame: CallFrame): string => {
  const id = `${frame.functionName}|${frame.url}|${frame.lineNumber}|${frame.columnNumber}`;
  let key = keys.get(id);
  if (key === undefined) {
    const { line, text } = sourceLineOf(frame);
    const name = frame.functionName || (text === null ? '(anonymous)' : `(anonymous: ${text})`);
    keys.set(id, (key = `${name}  ${fileOf(frame)}:${line}`));
  }
  return key;
};

/** Sums of one profile or several. */
interface Totals {
  samples: number;
  idle: number;
  self: Map<string, number>;
  total: Map<string, number>;
  byFile: Map<string, number>;
  byArea: Map<string, number>;
  areaOfKey: Map<string, string>;
}

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

function addProfile(totals: Totals, profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Samples per node: from `samples` when present (exact), else the nodes' hit counts.
  const hits = new Map<number, number>();
  if (profile.samples !== undefined) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);

  for (const [id, n] of hits) {
    const node = byId.get(id);
    if (node === undefined || n === 0) continue;
    const frame = node.callFrame;
    const key = keyOf(frame);
    totals.samples += n;
    if (frame.functionName === '(idle)') totals.idle += n;
    add(totals.self, key, n);
    add(totals.byFile, fileOf(frame), n);
    add(totals.byArea, areaOf(frame), n);
    totals.areaOfKey.set(key, areaOf(frame));
    // Total time: once per distinct function on the stack (recursion counted once).
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frameAt = byId.get(at)?.callFrame;
      if (frameAt !== undefined && frameAt.functionName !== '(root)') onStack.add(keyOf(frameAt));
    }
    for (const k of onStack) add(totals.total, k, n);
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt === -1 ? 25 : Number(args[topAt + 1]);
  const files = args.filter((arg, i) => arg !== '--top' && (topAt === -1 || i !== topAt + 1));
  if (files.length === 0) {
    console.error('usage: tsx bench/collector/profile-summary.ts FILE.cpuprofile… [--top N]');
    process.exitCode = 2;
    return;
  }
  const totals: Totals = { samples: 0, idle: 0, self: new Map(), total: new Map(), byFile: new Map(), byArea: new Map(), areaOfKey: new Map() };
  for (const file of files) addProfile(totals, JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const busy = totals.samples - totals.idle;
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1).padStart(5)}%`;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  const line = (name: string, n: number) => `${pct(n, totals.samples)} ${pct(n, busy)}  ${name}`;

  console.log(`${files.length} profile(s), ${totals.samples} samples, ${pct(busy, totals.samples).trim()} busy`);
  console.log('\n  all%  busy%  self time by area');
  for (const [area, n] of sorted(totals.byArea)) console.log(line(area, n));
  console.log(`\n  all%  busy%  top ${top} functions by self time [area]`);
  for (const [key, n] of sorted(totals.self).filter(([k]) => !k.startsWith('(idle)')).slice(0, top)) {
    console.log(line(`${key}  [${totals.areaOfKey.get(key) ?? 'other'}]`, n));
  }
  console.log(`\n  all%  busy%  top ${top} functions by total time`);
  for (const [key, n] of sorted(totals.total).filter(([k]) => !k.startsWith('(idle)')).slice(0, top)) console.log(line(key, n));
  console.log(`\n  all%  busy%  top ${top} files by self time`);
  for (const [file, n] of sorted(totals.byFile).slice(0, top)) console.log(line(file, n));
}

main();
