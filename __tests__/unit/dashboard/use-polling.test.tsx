import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { usePolling } from '../../../components/dashboard/hooks/usePolling';
import type { PollingState } from '../../../components/dashboard/hooks/usePolling';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A load whose calls the test settles by hand. */
function controlledLoad() {
  const calls: { signal: AbortSignal; resolve: (value: number) => void; reject: (error: unknown) => void }[] = [];
  const load = vi.fn(
    (signal: AbortSignal) =>
      new Promise<number>((resolve, reject) => {
        calls.push({ signal, resolve, reject });
      }),
  );
  return { load, calls };
}

let root: Root;
let container: HTMLElement;
let state: PollingState<number>;
let visibility: DocumentVisibilityState = 'visible';

function Probe(props: { load: (signal: AbortSignal) => Promise<number>; rangeKey: string; onError?: (error: unknown) => void }) {
  state = usePolling(props.load, { intervalMs: 10_000, key: props.rangeKey, ...(props.onError ? { onError: props.onError } : {}) });
  return null;
}

const render = (props: Parameters<typeof Probe>[0]) => act(() => root.render(<Probe {...props} />));
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
const settle = async (fn: () => void) => {
  await act(async () => fn());
};
const setVisibility = async (value: DocumentVisibilityState) => {
  visibility = value;
  await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
};

beforeEach(() => {
  vi.useFakeTimers();
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  container = document.createElement('div');
  root = createRoot(container);
});

afterEach(async () => {
  await act(() => root.unmount());
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('usePolling', () => {
  test('loads at once, then again intervalMs after each load ends', async () => {
    const { load, calls } = controlledLoad();
    await render({ load, rangeKey: '7d' });
    await advance(0);
    expect(load).toHaveBeenCalledTimes(1);
    expect(state.loading).toBe(true);

    await advance(30_000); // still running: no second load while one runs
    expect(load).toHaveBeenCalledTimes(1);
    await settle(() => calls[0]?.resolve(1));
    expect(state).toMatchObject({ data: 1, loading: false, busy: false, error: null });

    await advance(9_999);
    expect(load).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(load).toHaveBeenCalledTimes(2);
  });

  test('a failed load keeps the last data, reports the error and is tried again', async () => {
    const { load, calls } = controlledLoad();
    const onError = vi.fn();
    await render({ load, rangeKey: '7d', onError });
    await advance(0);
    await settle(() => calls[0]?.resolve(5));
    await advance(10_000);
    const failure = new Error('503');
    await settle(() => calls[1]?.reject(failure));
    expect(state).toMatchObject({ data: 5, error: failure, loading: false });
    expect(onError).toHaveBeenCalledWith(failure);
    await advance(10_000);
    await settle(() => calls[2]?.resolve(6));
    expect(state).toMatchObject({ data: 6, error: null });
  });

  test('starts no load while the tab is hidden, and loads at once when it shows again overdue', async () => {
    const { load, calls } = controlledLoad();
    await render({ load, rangeKey: '7d' });
    await advance(0);
    await setVisibility('hidden');
    await settle(() => calls[0]?.resolve(1)); // a load that ends while hidden schedules nothing
    await advance(60_000);
    expect(load).toHaveBeenCalledTimes(1);
    await setVisibility('visible');
    await advance(0);
    expect(load).toHaveBeenCalledTimes(2);
  });

  test('a new key aborts the running load, drops the old data and loads at once; an aborted answer never lands', async () => {
    const { load, calls } = controlledLoad();
    await render({ load, rangeKey: '7d' });
    await advance(0);
    await settle(() => calls[0]?.resolve(7));
    await advance(10_000);
    expect(calls).toHaveLength(2);
    await render({ load, rangeKey: '30d' });
    expect(calls[1]?.signal.aborted).toBe(true);
    expect(state).toMatchObject({ data: null, loading: true });
    await advance(0);
    expect(calls).toHaveLength(3);
    await settle(() => calls[1]?.resolve(99)); // the aborted one answers late
    expect(state.data).toBeNull();
    await settle(() => calls[2]?.resolve(30));
    expect(state.data).toBe(30);
  });

  test('refresh aborts the running load and loads now; unmounting aborts and leaves no timer', async () => {
    const { load, calls } = controlledLoad();
    await render({ load, rangeKey: '7d' });
    await advance(0);
    await act(async () => state.refresh());
    await advance(0);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(calls).toHaveLength(2);
    await settle(() => calls[0]?.resolve(99)); // the aborted load answers late: ignored
    expect(state.data).toBeNull();
    await settle(() => calls[1]?.resolve(2));
    expect(state.data).toBe(2);
    await act(() => root.unmount());
    expect(calls[1]?.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    root = createRoot(container);
  });
});
