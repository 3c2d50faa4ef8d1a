// Calls across threads: one request/answer channel over anything that posts messages (a
// Web Worker, a MessagePort, a Node worker thread's port). request() posts {id, ...message}
// and resolves with the answer {id, result}, or rejects with {id, error, details} as an
// Error carrying the details. A message without an id is not an answer: it goes to
// onNotice (fit's events, a worker's last word). An answer marked fatal, or fail(), ends
// the channel: every waiting and later request rejects with the reason.
//
// In Node a port with nothing waiting must not keep the process alive, so the port is
// referenced only while a request waits.
export class Rpc {
  constructor(port, { onNotice = () => {} } = {}) {
    this.port = port;
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null;
    port.onmessage = ({ data }) => {
      if (data?.id === undefined) {
        onNotice(data);
        return;
      }
      const call = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (this.pending.size === 0) port.unref?.();
      if (data.error !== undefined) call?.reject(Object.assign(new Error(data.error), data.details));
      else call?.resolve(data.result);
      if (data.fatal) this.fail(new Error(data.error));
    };
    port.unref?.();
  }

  // Posts {id, ...message}, handing over the ArrayBuffers in `transfer`.
  request(message, transfer = []) {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (this.pending.size === 0) this.port.ref?.();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ id, ...message }, transfer);
    });
  }

  fail(error) {
    this.failure ??= error;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
    this.port.unref?.();
  }
}
