package io.mailfleet.server.admin;

import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.SenderListStore;
import io.mailfleet.core.spam.SenderEntry;
import io.mailfleet.core.spam.SenderLists;

import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * An account's sender allow and block lists behind the operator's API ({@code ./mailfleet spam allow|block}):
 * the account must exist and an entry must be an address, a domain or {@code *.domain}; entries are
 * stored in their normal form (lower case, {@code *@x.test} as {@code x.test}).
 */
public final class SenderListAdmin {

    private final SenderListStore store;
    private final DirectoryService directory;

    public SenderListAdmin(SenderListStore store, DirectoryService directory) {
        this.store = store;
        this.directory = directory;
    }

    /** A change made: the account, the list and the entry in its normal form. */
    public record Change(String account, SenderListStore.Which list, String entry) {
    }

    /** The account's lists. */
    public CompletionStage<SenderLists> lists(String account) {
        return store.lists(existing(account));
    }

    /** Adds an entry; 409 when the list has it already or holds {@link SenderListStore#MAX_PER_LIST}. */
    public CompletionStage<Change> add(String account, String list, String entry) {
        String key = existing(account);
        SenderListStore.Which which = which(list);
        String e = entry(entry);
        return store.add(key, which, e).thenApply(added -> {
            if (!added) {
                throw new AdminException("exists", e + " is on the " + name(which) + " list of " + key
                        + " already (or it holds " + SenderListStore.MAX_PER_LIST + " entries)", 409);
            }
            return new Change(key, which, e);
        });
    }

    /** Removes an entry; 404 when the list does not have it. */
    public CompletionStage<Change> remove(String account, String list, String entry) {
        String key = existing(account);
        SenderListStore.Which which = which(list);
        String e = entry(entry);
        return store.remove(key, which, e).thenApply(removed -> {
            if (!removed) {
                throw new AdminException("not-found", e + " is not on the " + name(which) + " list of " + key, 404);
            }
            return new Change(key, which, e);
        });
    }

    /** {@code allow} or {@code block} as the list's name in messages. */
    public static String name(SenderListStore.Which which) {
        return which.name().toLowerCase(Locale.ROOT);
    }

    private static SenderListStore.Which which(String list) {
        String l = list == null ? "" : list.strip().toLowerCase(Locale.ROOT);
        return switch (l) {
            case "allow" -> SenderListStore.Which.ALLOW;
            case "block" -> SenderListStore.Which.BLOCK;
            default -> throw new AdminException("invalid-argument", "unknown list '" + list + "': use allow or block", 400);
        };
    }

    private static String entry(String entry) {
        return SenderEntry.normalize(entry).orElseThrow(() -> new AdminException("invalid-argument", "'" + entry
                + "' is no sender address (user@example.org), domain (example.org) or *.domain", 400));
    }

    private String existing(String account) {
        String key = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        if (directory.view().account(key).isEmpty()) {
            throw new AdminException("not-found", "account " + key + " does not exist", 404);
        }
        return key;
    }
}
