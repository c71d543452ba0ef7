// A traced program's output as text for the editor (Output channel or terminal). One per stream:
// a UTF-8 character split across two reads of the pipe comes out whole instead of as two U+FFFD.
// Bytes that are not UTF-8 become U+FFFD (the channel takes strings); everything else, escape
// sequences included, is kept as is: the Output channel shows them literally (it interprets no
// escapes), a terminal interprets them as it would for the untraced program.
import { StringDecoder } from "node:string_decoder";

export class OutputText {
  private readonly decoder = new StringDecoder("utf8");

  /** The text of the next piece of the stream (an incomplete last character waits for the next). */
  write(chunk: Buffer): string {
    return this.decoder.write(chunk);
  }

  /** The stream ended: what is left (an incomplete character becomes U+FFFD). */
  end(): string {
    return this.decoder.end();
  }
}
