/**
 * A local SMTP server (smtp-server) on a random port for tests: it keeps what it receives, and refuses every
 * recipient while `state.refusing`.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

interface Received {
  to: string[];
  subject: string;
}

/** A local SMTP server that keeps what it receives and refuses every recipient while `refusing`. */
export async function localSmtp() {
  const received: Received[] = [];
  /** The text of each mail, quoted-printable soft breaks and `=3D` undone (nodemailer wraps long lines). */
  const bodies: string[] = [];
  const state = { refusing: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(
        state.refusing ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : null,
      );
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        // Long headers are folded onto continuation lines.
        const headers = raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
        const subject = /^Subject: (.*)$/m.exec(headers)?.[1]?.trim() ?? '';
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject });
        bodies.push(
          raw
            .slice(raw.indexOf('\r\n\r\n') + 4)
            .replace(/=\r\n/g, '')
            .replace(/=3D/g, '='),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    bodies,
    state,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
