/** Notices under the header: what went wrong or what happened, in words, until dismissed. */
import type { NoticeLevel } from '../protocol/messages';
import { type Notice, useAppStore } from './store/store';

let nextNoticeId = 1;

export function addNotice(level: NoticeLevel, message: string, action?: Notice['action']): number {
  const notice: Notice = { id: nextNoticeId++, level, message, ...(action ? { action } : {}) };
  useAppStore.setState((s) => ({ notices: [...s.notices, notice] }));
  return notice.id;
}

export function dismissNotice(id: number): void {
  useAppStore.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
