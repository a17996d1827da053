/** What every task handler looks like: data in, a result with events out. */
import type { ChannelEvent } from '../realtime/events';

export interface HandlerResult {
  /** Events for the realtime layer to broadcast; handlers never emit themselves. */
  events: ChannelEvent[];
  /** 'duplicate' when the message had been stored before (redelivery). */
  outcome: 'stored' | 'duplicate';
}

export type TaskHandler<TData> = (data: TData) => Promise<HandlerResult>;
