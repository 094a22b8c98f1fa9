/**
 * The e-mail channel against MailDev (scripts/local-services/mail-catcher.ts): nodemailer delivers over SMTP, the
 * message and its attachment are read back through MailDev's REST API; a refused or unreachable SMTP server becomes
 * a SendError of the right kind.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caughtMail, startMailCatcher, type RunningMailCatcher } from '../../../scripts/local-services/mail-catcher';
import { mailConfig } from '../config';
import { mailSender } from './mail';

let maildev: RunningMailCatcher;

beforeAll(async () => {
  maildev = await startMailCatcher({ host: '127.0.0.1', smtpPort: 0, webPort: 0 });
});

afterAll(async () => {
  await maildev?.close();
});

describe('mailSender', () => {
  it('delivers subject, text, html and an attachment over SMTP to MailDev', async () => {
    const config = mailConfig({ SMTP_URL: maildev.smtpUrl, MAIL_FROM: 'Telesalud <no-responder@telesalud.test>' });
    if (!config.configured) throw new Error(`not configured: ${config.missing.join(', ')}`);
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    const { providerId } = await mailSender(config.settings).send({
      to: 'ana@example.test',
      subject: 'Tu cita está confirmada',
      text: 'Cuándo: martes',
      html: '<p>Cuándo: martes</p>',
      attachments: [{ filename: 'cita.ics', content: ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }],
    });
    expect(providerId).toMatch(/^<.+>$/);
    const got = (await caughtMail(maildev.webUrl)).find((m) => m.subject === 'Tu cita está confirmada');
    expect(got).toMatchObject({ to: [{ address: 'ana@example.test' }], from: [{ address: 'no-responder@telesalud.test', name: 'Telesalud' }] });
    expect(got?.text?.trim()).toBe('Cuándo: martes');
    const att = got?.attachments?.[0];
    expect(att?.filename).toBe('cita.ics');
    const body = await (await fetch(`${maildev.webUrl}/api/email/${got?.id}/attachment/${att?.generatedFileName}`)).text();
    expect(body).toBe(ics);
  });

  it('reports an SMTP server that refuses the recipient as permanent, and one that is down as transient', async () => {
    // A minimal SMTP server that refuses every recipient with 550.
    const refusing = net.createServer((s) => {
      s.write('220 refusing.test ESMTP\r\n');
      s.on('data', (d) => {
        for (const line of d.toString().split('\r\n').filter(Boolean)) {
          if (/^(EHLO|HELO)/i.test(line)) s.write('250 refusing.test\r\n');
          else if (/^MAIL FROM/i.test(line)) s.write('250 OK\r\n');
          else if (/^RCPT TO/i.test(line)) s.write('550 5.1.1 No such user\r\n');
          else if (/^QUIT/i.test(line)) s.end('221 Bye\r\n');
          else s.write('250 OK\r\n');
        }
      });
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()));
    const address = refusing.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const mail = { to: 'nobody@example.test', subject: 's', text: 't', html: '<p>t</p>' };
    const refused = await mailSender({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'a@telesalud.test' }).send(mail).catch((e: unknown) => e);
    await new Promise<void>((r) => refusing.close(() => r()));
    expect(refused).toMatchObject({ name: 'SendError', permanent: true });

    const down = await mailSender({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'a@telesalud.test' }).send(mail).catch((e: unknown) => e);
    expect(down).toMatchObject({ name: 'SendError', permanent: false });
  });

  it('is not configured without SMTP_URL and MAIL_FROM, naming what is missing', () => {
    expect(mailConfig({})).toEqual({ configured: false, missing: ['SMTP_URL', 'MAIL_FROM'] });
    expect(mailConfig({ SMTP_URL: 'http://x', MAIL_FROM: 'a@b.test' })).toEqual({ configured: false, missing: ['SMTP_URL (expected smtp:// or smtps://)'] });
  });
});
