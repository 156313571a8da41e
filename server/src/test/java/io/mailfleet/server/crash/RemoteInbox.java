package io.mailfleet.server.crash;

import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The INBOX of an account on a node in another process, read over IMAP and keyed by Message-ID. */
final class RemoteInbox {

    private RemoteInbox() {
    }

    /** How often each Message-ID is in the INBOX. */
    static Map<String, Integer> counts(int imapPort, String account, String password) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", Integer.toString(imapPort));
        p.put("mail.imap.connectiontimeout", "10000");
        p.put("mail.imap.timeout", "30000");
        Store store = Session.getInstance(p).getStore("imap");
        store.connect(account, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                Message[] messages = inbox.getMessages();
                FetchProfile fp = new FetchProfile();
                fp.add("Message-ID");
                inbox.fetch(messages, fp);
                Map<String, Integer> counts = new HashMap<>();
                for (Message m : messages) {
                    String[] ids = m.getHeader("Message-ID");
                    counts.merge(ids == null ? "(no Message-ID)" : ids[0].trim(), 1, Integer::sum);
                }
                return counts;
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    /** Waits (up to 90 s) until every accepted Message-ID is in the INBOX; returns the counts then. */
    static Map<String, Integer> settled(int imapPort, String account, String password, Collection<String> accepted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Map<String, Integer> counts = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                counts = counts(imapPort, account, password);
                if (counts.keySet().containsAll(accepted)) {
                    return counts;
                }
            } catch (MessagingException e) {
                // the node may still be taking over shards after a kill or restart; try again
            }
            Thread.sleep(500);
        }
        List<String> missing = new ArrayList<>(accepted);
        missing.removeAll(counts.keySet());
        throw new AssertionError("after 90 s " + missing.size() + " of " + accepted.size() + " accepted messages are "
                + "missing from the mailbox, e.g. " + missing.subList(0, Math.min(10, missing.size())));
    }
}
