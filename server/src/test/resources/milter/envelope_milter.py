"""A milter on libmilter (Debian's python3-milter) that changes the envelope at the end of the message,
as the Subject asks: MilterEnvelopeEndToEndTest starts it with the port to listen on (127.0.0.1)."""
import sys

import Milter


class EnvelopeMilter(Milter.Base):

    def __init__(self):
        self.subject = ''

    def header(self, name, value):
        if name.lower() == 'subject':
            self.subject = value
        return Milter.CONTINUE

    def eom(self):
        if 'drop all' in self.subject:
            self.delrcpt('<user@example.com>')
            self.delrcpt('kept@example.com')
        elif 'bad address' in self.subject:
            self.addrcpt('<no-at-sign>')
        else:
            self.addrcpt('<added@example.com>', 'NOTIFY=FAILURE XFOO=1')
            self.addrcpt('<nobody@example.com>')
            self.delrcpt('<USER@Example.com>')
            self.chgfrom('<changed@example.com>')
        return Milter.ACCEPT


Milter.factory = EnvelopeMilter
Milter.runmilter('envelope', 'inet:%s@127.0.0.1' % sys.argv[1], 60)
