import type { DeviceBreakdown, DimensionCount } from '../../lib/protocol/analytics-api';
import { BarList } from './BarList';

const DEVICE_LABELS: Readonly<Record<string, string>> = { desktop: 'Desktop', mobile: 'Mobile', tablet: 'Tablet', other: 'Other' };

const rows = (counts: readonly DimensionCount[], rename: (value: string) => string = (value) => value) =>
  counts.map((count) => ({ label: rename(count.value), value: count.sessions }));

/** Sessions by device type, browser and operating system. */
export function DevicesPanel({ data, sessions }: { data: DeviceBreakdown; sessions: number }) {
  return (
    <section className="fwd-panel" data-testid="devices" aria-labelledby="fwd-devices-title">
      <h2 id="fwd-devices-title" className="fwd-panel__title">
        Devices
      </h2>
      <div className="fwd-panel__columns">
        <BarList title="Device type" items={rows(data.deviceTypes, (value) => DEVICE_LABELS[value] ?? value)} unit="sessions" total={sessions} />
        <BarList title="Browser" items={rows(data.browsers)} unit="sessions" total={sessions} />
        <BarList title="Operating system" items={rows(data.os)} unit="sessions" total={sessions} />
      </div>
    </section>
  );
}
