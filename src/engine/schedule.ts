/**
 * Lets queued messages (Pause, a slider move) run between training steps. A MessageChannel
 * round trip is used instead of setTimeout(0), which browsers clamp to 4 ms once nested.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
