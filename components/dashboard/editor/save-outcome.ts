import type { DocumentProblem } from '../../../lib/protocol/widget-document';
import { DashboardErrorCode, describeDashboardError, isDashboardError } from '../api/index';

/** Where the editor's last save stands. */
export type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved'; outcome: 'created' | 'updated'; revision: number; at: number }
  /** 412: someone saved in between; nothing was saved, the draft is kept until the user reloads. */
  | { status: 'stale'; revision: number | null }
  /** 400 with problems: the collector's, shown next to the fields. */
  | { status: 'invalid'; problems: readonly DocumentProblem[] }
  | { status: 'failed'; message: string };

/**
 * What the editor shows for a failed save. `isNew`: the save would have created the widget,
 * so a 404 means the key may not create that id (rather than that the widget went away).
 */
export function saveFailure(error: unknown, isNew: boolean): SaveState {
  if (isDashboardError(error, DashboardErrorCode.STALE_REVISION)) return { status: 'stale', revision: error.revision };
  if (isDashboardError(error, DashboardErrorCode.BAD_REQUEST) && error.problems.length > 0) return { status: 'invalid', problems: error.problems };
  if (isDashboardError(error, DashboardErrorCode.NOT_FOUND)) {
    return {
      status: 'failed',
      message: isNew ? 'This key may not create a widget with this id (or another account has it). Pick another id.' : 'This key may no longer see this widget.',
    };
  }
  return { status: 'failed', message: describeDashboardError(error) };
}
