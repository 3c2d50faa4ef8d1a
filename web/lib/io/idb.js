// One object store of an IndexedDB database, opened for one transaction at a time: the
// browser's storage for saved models (storage.js) and the page's image sets.

function openDb(dbName, storeName) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(`IndexedDB: ${request.error?.message ?? 'cannot open the database'}`));
  });
}

// Runs action(store) in a transaction of `mode` ('readonly' or 'readwrite'); resolves with
// the result of the request action returns, once the transaction is complete.
export async function withStore(dbName, storeName, mode, action) {
  const db = await openDb(dbName, storeName);
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(storeName, mode);
      const request = action(transaction.objectStore(storeName));
      const failed = (what) => () => reject(new Error(`IndexedDB: ${transaction.error?.message ?? what}`));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = failed('the request failed');
      transaction.onabort = failed('the request was aborted');
    });
  } finally {
    db.close();
  }
}
