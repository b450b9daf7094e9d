import type { TopEvents as TopEventsData } from '../../lib/protocol/analytics-api';
import { BarList } from './BarList';

/** Event names by count over the range, most frequent first. */
export function TopEvents({ data }: { data: TopEventsData }) {
  return (
    <section className="fwd-panel" data-testid="top-events" aria-labelledby="fwd-top-events-title">
      <h2 id="fwd-top-events-title" className="fwd-panel__title">
        Top events
      </h2>
      <BarList items={data.events.map((event) => ({ label: event.name, value: event.count }))} unit="events" ranked emptyText="No events in this range." />
    </section>
  );
}
