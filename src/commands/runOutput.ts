// Where a traced script's output goes: the "GIL Timeline" Output channel (default), or a terminal
// (`gilTimeline.output: "terminal"`) that also passes what the user types to the script's stdin.
import { PassThrough } from "node:stream";
import * as vscode from "vscode";

export interface RunOutput {
  write(text: string): void;
  /** What the script reads as stdin, when this output can take input. */
  readonly stdin?: NodeJS.ReadableStream;
  /** The run ended: no more input. */
  end(): void;
}

export class OutputChannelSink implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel("GIL Timeline");

  open(): RunOutput {
    this.channel.show(true);
    return { write: (t) => this.channel.append(t), end: () => undefined };
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** A pseudo-terminal per run: output shown as a terminal shows it, keystrokes sent to stdin. */
export function openTerminalOutput(name: string): RunOutput {
  const writer = new vscode.EventEmitter<string>();
  const input = new PassThrough();
  let opened = false;
  const early: string[] = [];
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writer.event,
    open: () => {
      opened = true;
      for (const t of early.splice(0)) writer.fire(t);
    },
    close: () => input.end(),
    handleInput: (data) => {
      // A terminal sends CR for Enter and expects us to echo what is typed.
      const text = data.replace(/\r/g, "\n");
      writer.fire(data.replace(/\r/g, "\r\n"));
      input.write(text);
    },
  };
  const terminal = vscode.window.createTerminal({ name, pty });
  terminal.show(true);
  const write = (t: string): void => {
    const crlf = t.replace(/\r?\n/g, "\r\n");
    if (opened) writer.fire(crlf);
    else early.push(crlf);
  };
  return {
    write,
    stdin: input,
    end: () => {
      input.end();
      write("\n[process ended; close this terminal when done]\n");
    },
  };
}
