/** The little of jsdom the benchmark uses (jsdom ships no types and @types/jsdom is not installed). */
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string, options?: { url?: string });
    readonly window: Window & { close(): void };
  }
}
