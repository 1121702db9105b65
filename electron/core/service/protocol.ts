// The contract over a local socket: one JSON object per line. Requests `{id, method, input}`,
// replies `{id, result}` (result = the contract's ApiResult), pushed events `{event}`. Two
// methods of the socket itself come before any contract call: `service.hello` {uid} asks the
// service to (re)write that user's token file, `service.auth` {uid, token} binds the connection
// to that user. Shared by the service (electron/service) and its clients (tray, CLI).
import { z } from 'zod';
import { http } from '../api.js';

/** One line may be as large as an HTTP body of `cofre serve`, and no larger. */
export const maxLineBytes = http.maxBodyBytes;
/** Calls one connection may have running at once; more wait for a reply first. */
export const maxPendingCalls = 32;
/** Wrong tokens one connection may try before it is closed. */
export const maxAuthFailures = 3;
export const maxConnections = 256;

export const helloMethod = 'service.hello';
export const authMethod = 'service.auth';

const uid = z.number().int().min(0).max(4_294_967_294);
export const helloInput = z.object({ uid }).strict();
export const authInput = z.object({ uid, token: z.string().max(200) }).strict();

export const requestFrame = z.object({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string().min(1).max(100),
  input: z.unknown().optional(),
}).strict();
export type RequestFrame = z.infer<typeof requestFrame>;

/** Splits a byte stream into lines, refusing a line longer than `max` (the caller closes). */
export class LineReader {
  private buffered: Buffer[] = [];
  private size = 0;

  constructor(private readonly max: number = maxLineBytes) {}

  /** The complete lines in `chunk` (plus what came before), or 'too-long'. */
  push(chunk: Buffer): string[] | 'too-long' {
    const lines: string[] = [];
    let start = 0;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, at);
      if (this.size + piece.length > this.max) return 'too-long';
      lines.push(Buffer.concat([...this.buffered, piece]).toString('utf8'));
      this.buffered = [];
      this.size = 0;
      start = at + 1;
    }
    const rest = chunk.subarray(start);
    if (this.size + rest.length > this.max) return 'too-long';
    if (rest.length > 0) {
      this.buffered.push(rest);
      this.size += rest.length;
    }
    return lines;
  }
}
