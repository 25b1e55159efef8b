/**
 * A file PUT to a pre-signed URL with upload progress (fetch reports no upload progress; XMLHttpRequest does).
 * The URL points at the reports bucket, another origin: the bucket's CORS rule and the page's CSP `connect-src`
 * allow it (infra/constructs/web-app.ts; locally local/fauxqs-server.ts and local/web-app-host.ts).
 */

/** The storage refused the upload: its HTTP status and the message of its XML error body. */
export class StorageRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The upload never got an answer (network, CORS refused). */
export class UploadInterrupted extends Error {}

/** The `<Message>` of an S3 error document, else the status text. */
function storageMessage(xhr: XMLHttpRequest): string {
  const text = xhr.responseText;
  if (text.length > 0) {
    const message = new DOMParser().parseFromString(text, 'application/xml').querySelector('Error > Message')?.textContent;
    if (message) return message;
  }
  return xhr.statusText || `HTTP ${xhr.status}`;
}

/** PUTs `file` to `url`; `progress` gets the share sent, 0 to 1. */
export function putWithProgress(url: string, file: Blob, progress: (share: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) progress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        progress(1);
        resolve();
      } else reject(new StorageRefusal(xhr.status, storageMessage(xhr)));
    });
    xhr.addEventListener('error', () => {
      reject(new UploadInterrupted('network error'));
    });
    xhr.addEventListener('abort', () => {
      reject(new UploadInterrupted('aborted'));
    });
    xhr.send(file);
  });
}
