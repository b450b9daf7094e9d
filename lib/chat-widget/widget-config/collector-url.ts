/**
 * The `collectorUrl` parameter of the widget's URL: an absolute http(s) URL, or `null`
 * (absent, or not such a URL: then a console error says so and nothing is fetched).
 */
export function readCollectorUrl(params: URLSearchParams, report: (message: string) => void = (message) => console.error(message)): string | null {
  const value = params.get('collectorUrl');
  if (value === null || value === '') return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // Reported below, like any other value that is not an http(s) URL.
  }
  report('[framewire] collectorUrl must be an absolute http(s) URL; the widget shows its cached or built-in content.');
  return null;
}
