import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as jsdom from 'jsdom';
import { describe, expect, test } from 'vitest';

// The project has no @types/jsdom: only what these tests use.
type Page = { window: Window & { framewire?: { q?: ArrayLike<unknown>[] } } };
const { JSDOM } = jsdom as unknown as { JSDOM: new (html: string, options: { runScripts: 'dangerously'; url: string }) => Page };

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (path: string): string => readFileSync(resolve(ROOT, path), 'utf8');

/** The body of the first `<script>` in `html` that defines the `framewire` stub. */
function snippetScript(html: string): string {
  const script = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '').find((body) => body.includes('w.framewire'));
  if (script === undefined) throw new Error('No snippet found.');
  return script;
}

/** Runs the snippet as a page would, in a `<script>` carrying `nonce` (or none). */
function runSnippet(nonce: string | null): Page {
  const attribute = nonce === null ? '' : ` nonce="${nonce}"`;
  return new JSDOM(`<!doctype html><head></head><body><script${attribute}>${snippetScript(read('embed/snippet.html'))}</script></body>`, {
    runScripts: 'dangerously',
    url: 'https://customer.example/',
  });
}

const insertedScript = (dom: Page): HTMLScriptElement | null =>
  dom.window.document.head.querySelector<HTMLScriptElement>('script[src$="/embed.js"]');

describe('the copy-paste snippet', () => {
  test('passes the nonce of its own script on to the embed script it inserts', () => {
    const script = insertedScript(runSnippet('r4nd0m'));
    expect(script?.src).toBe('https://widget.example.com/embed.js');
    expect(script?.async).toBe(true);
    expect(script?.nonce).toBe('r4nd0m');
  });

  test('without a nonce, inserts the embed script without one and queues the init command', () => {
    const dom = runSnippet(null);
    expect(insertedScript(dom)?.nonce).toBe('');
    const queued = dom.window.framewire?.q ?? [];
    expect(Array.from(queued, (command) => Array.from(command)[0])).toEqual(['init']);
  });

  test('is the same in the README and in the demo host page as in embed/snippet.html', () => {
    const loader = (html: string): string => {
      const body = snippetScript(html);
      // From the stub to the script's address: the part that must not drift.
      return body.slice(body.indexOf('(function'), body.indexOf('})(window, document,')).replace(/^\s+/gm, '');
    };
    const expected = loader(read('embed/snippet.html'));
    expect(expected).toContain('s.nonce = c.nonce');
    expect(loader(read('README.md'))).toBe(expected);
    expect(loader(read('examples/demo/host.html'))).toBe(expected);
  });
});
