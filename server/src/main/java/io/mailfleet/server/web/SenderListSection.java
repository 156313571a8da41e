package io.mailfleet.server.web;

import io.mailfleet.core.spam.SenderLists;
import io.mailfleet.server.admin.SenderListAdmin;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An account's sender allow and block lists on a page: both lists with a remove button per entry and
 * the form that adds one. The same section serves the administrator's account page and the user's own
 * page; a refusal (a malformed entry, one listed already, a full list) is the service's own message.
 */
final class SenderListSection extends WebPages {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.web");

    private final SenderListAdmin admin;

    SenderListSection(SenderListAdmin admin) {
        this.admin = admin;
    }

    /**
     * {@code <base>/spam-lists} (add an entry) and {@code <base>/spam-lists/remove}; both return to {@code base}.
     */
    Route routes(Visit v, String account, String base) {
        return pathPrefix("spam-lists", () -> concat(
                pathEndOrSingleSlash(() -> post(() -> form(v, f -> done(v, base, attempt(() ->
                        admin.add(account, field(f, "list"), field(f, "entry")).thenApply(c -> {
                            LOG.info("web sender list entry added user={} list={} entry={} by={}", c.account(),
                                    SenderListAdmin.name(c.list()), c.entry(), v.session().displayName());
                            return c.entry() + " added to the " + SenderListAdmin.name(c.list()) + " list.";
                        })))))),
                path("remove", () -> post(() -> form(v, f -> done(v, base, attempt(() ->
                        admin.remove(account, field(f, "list"), field(f, "entry")).thenApply(c -> {
                            LOG.info("web sender list entry removed user={} list={} entry={} by={}", c.account(),
                                    SenderListAdmin.name(c.list()), c.entry(), v.session().displayName());
                            return c.entry() + " removed from the " + SenderListAdmin.name(c.list()) + " list.";
                        }))))))));
    }

    /** The section's HTML for {@code account}; {@code base} is the page it is on. */
    CompletionStage<Html> section(Visit v, String account, String base) {
        return attempt(() -> admin.lists(account)).thenApply(lists -> render(v, base, lists));
    }

    /** The admin refuses some input by throwing before it returns a stage: a failed stage either way. */
    private static <T> CompletionStage<T> attempt(Supplier<CompletionStage<T>> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Html render(Visit v, String base, SenderLists lists) {
        return Html.of("""
                <h2 id="spam-lists-heading">Spam allow and block lists</h2>
                <p class="muted">Mail from a sender on the allow list skips spam scoring (not virus scanning); mail from
                one on the block list is treated as spam. An entry is an address (boss@example.org), a domain
                (example.org) or a domain with its subdomains (*.example.org); the most specific entry decides.</p>
                <h3>Allowed senders</h3>
                {}
                <h3>Blocked senders</h3>
                {}
                <form method="post" action="{}/spam-lists" aria-labelledby="spam-lists-heading">
                {}
                <label for="spam-entry">Sender address or domain</label>
                <input type="text" id="spam-entry" name="entry" required autocomplete="off" maxlength="320">
                <label for="spam-list">List</label>
                <select id="spam-list" name="list">
                <option value="allow">Allow</option>
                <option value="block">Block</option>
                </select>
                <button type="submit">Add to list</button>
                </form>
                """, entries(v, base, "allow", lists.allow()), entries(v, base, "block", lists.block()),
                base, Layout.csrf(v.csrf()));
    }

    private static Html entries(Visit v, String base, String list, List<String> entries) {
        if (entries.isEmpty()) {
            return Html.of("<p id=\"{}-list\">None.</p>", list);
        }
        return Html.of("<ul id=\"{}-list\">\n{}</ul>", list, Html.each(entries, e -> Html.of("""
                <li>{} <form class="inline" method="post" action="{}/spam-lists/remove">{}
                <input type="hidden" name="list" value="{}"><input type="hidden" name="entry" value="{}">
                <button type="submit" class="danger" aria-label="Remove {} from the {} list">Remove</button></form></li>
                """, e, base, Layout.csrf(v.csrf()), list, e, e, list)));
    }
}
