import type { DimensionCount, TrafficSources } from '../../lib/protocol/analytics-api';
import { BarList } from './BarList';

const rows = (counts: readonly DimensionCount[], rename: (value: string) => string = (value) => value) =>
  counts.map((count) => ({ label: rename(count.value), value: count.sessions }));

/** `https://shop.example/boots?x=1` → `shop.example/boots?x=1`: the scheme only takes room. */
const withoutScheme = (url: string): string => url.replace(/^https?:\/\//, '');

/** Where sessions came from: referrers, UTM tags and the pages they landed on. */
export function TrafficSourcesPanel({ data, sessions }: { data: TrafficSources; sessions: number }) {
  return (
    <section className="fwd-panel" data-testid="traffic-sources" aria-labelledby="fwd-traffic-title">
      <h2 id="fwd-traffic-title" className="fwd-panel__title">
        Traffic sources
      </h2>
      <div className="fwd-panel__columns">
        <BarList title="Referrers" items={rows(data.referrers)} unit="sessions" total={sessions} />
        <BarList title="UTM source" items={rows(data.utm.source)} unit="sessions" total={sessions} emptyText="No UTM source tags." />
        <BarList title="UTM medium" items={rows(data.utm.medium)} unit="sessions" total={sessions} emptyText="No UTM medium tags." />
        <BarList title="UTM campaign" items={rows(data.utm.campaign)} unit="sessions" total={sessions} emptyText="No UTM campaign tags." />
        <BarList title="Landing pages" items={rows(data.landingPages, withoutScheme)} unit="sessions" total={sessions} wide />
      </div>
    </section>
  );
}
