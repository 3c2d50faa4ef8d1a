// Calls across threads over anything that posts messages (a Web Worker, a worker's own
// scope, a MessagePort, a Node worker thread's port): Rpc is the calling end, serve() the
// answering end. request() posts {id, ...message}; the answer is {id, result}, or {id,
// error, details, fatal}, which rejects as an Error carrying the details. A message without
// an id is not an answer: it goes to onNotice (fit's events, a helper's last word). An
// answer marked fatal (the far engine trapped), or fail(), ends the channel: every waiting
// and later request rejects with the reason, and onFatal hears of a fatal answer.
//
// In Node a port with nothing waiting must not keep the process alive, so the port is
// referenced only while a request waits.
export class Rpc {
  constructor(port, { onNotice = () => {}, onFatal = () => {} } = {}) {
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
      if (data.fatal) {
        const error = new Error(data.error);
        this.fail(error);
        onFatal(error);
      }
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

// The typed arrays' buffers in a result (nested in arrays and objects), to transfer them
// rather than copy.
export function transferables(value, found = []) {
  if (ArrayBuffer.isView(value)) found.push(value.buffer);
  else if (Array.isArray(value)) value.forEach((v) => transferables(v, found));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => transferables(v, found));
  return found;
}

// The answering end on `port`: each request's answer is what handle(data) returns (or
// resolves with), its typed arrays transferred; an error is answered with its message and
// its own fields (details). An error that isFatal(error) says leaves this side unusable
// (a WebAssembly trap) is answered as fatal, then onFatal(error) is called.
export function serve(port, handle, { isFatal = () => false, onFatal = () => {} } = {}) {
  port.onmessage = async ({ data }) => {
    const { id } = data;
    try {
      const result = await handle(data);
      port.postMessage({ id, result }, transferables(result));
    } catch (error) {
      const fatal = isFatal(error);
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ id, error: message, details: error instanceof Error ? { ...error } : undefined, fatal });
      if (fatal) onFatal(error);
    }
  };
}
