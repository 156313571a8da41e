package io.mailfleet.protocols.pop3.handler;

/** The TRANSACTION commands: STAT, LIST, UIDL, RETR, TOP, DELE, RSET and NOOP on the maildrop. */
final class TransactionHandler {

    private final Pop3Context s;
    private final Maildrop drop;

    TransactionHandler(Pop3Context s, Maildrop drop) {
        this.s = s;
        this.drop = drop;
    }

    void noop() {
        s.reply("+OK");
    }

    void stat() {
        s.reply("+OK " + drop.count() + " " + drop.octets());
    }

    void list(String arg) {
        if (!arg.isBlank()) {
            int i = drop.index(arg);
            s.reply("+OK " + (i + 1) + " " + drop.get(i).size());
            return;
        }
        StringBuilder sb = new StringBuilder("+OK " + drop.count() + " messages (" + drop.octets() + " octets)\r\n");
        for (int i = 0; i < drop.size(); i++) {
            if (!drop.deleted(i)) {
                sb.append(i + 1).append(' ').append(drop.get(i).size()).append("\r\n");
            }
        }
        s.send(sb.append(".\r\n").toString());
    }

    void uidl(String arg) {
        if (!arg.isBlank()) {
            int i = drop.index(arg);
            s.reply("+OK " + (i + 1) + " " + drop.uidl(i));
            return;
        }
        StringBuilder sb = new StringBuilder("+OK\r\n");
        for (int i = 0; i < drop.size(); i++) {
            if (!drop.deleted(i)) {
                sb.append(i + 1).append(' ').append(drop.uidl(i)).append("\r\n");
            }
        }
        s.send(sb.append(".\r\n").toString());
    }

    void retr(String arg) {
        int i = drop.index(arg);
        drop.retrieved(i);
        s.sendMessage("+OK " + drop.get(i).size() + " octets", drop.get(i), -1);
    }

    void top(String arg) {
        String[] f = arg.trim().split(" +");
        if (f.length != 2 || !f[1].matches("\\d{1,9}")) {
            throw new IllegalArgumentException("TOP needs a message number and a line count.");
        }
        int i = drop.index(f[0]);
        s.sendMessage("+OK", drop.get(i), Long.parseLong(f[1]));
    }

    void dele(String arg) {
        int i = drop.index(arg);
        drop.delete(i);
        s.reply("+OK Marked to be deleted.");
    }

    void rset() {
        drop.undelete();
        s.reply("+OK");
    }
}
