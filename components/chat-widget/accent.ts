import type { CSSProperties } from 'react';

/**
 * The theme's accent colour as the `--fw-accent` custom property of `.fw-app` (set through
 * the CSSOM, which a strict `style-src` allows).
 */
export function accentStyle(accentColor: string): CSSProperties {
  return { '--fw-accent': accentColor } as CSSProperties;
}
