/** Notices under the header: what went wrong or what happened, in words, until dismissed. */
import type { NoticeLevel } from '../protocol/messages';
import { useAppStore } from './store/store';

let nextNoticeId = 1;

export function addNotice(level: NoticeLevel, message: string): void {
  const notice = { id: nextNoticeId++, level, message };
  useAppStore.setState((s) => ({ notices: [...s.notices, notice] }));
}

export function dismissNotice(id: number): void {
  useAppStore.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
