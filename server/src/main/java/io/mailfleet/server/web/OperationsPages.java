package io.mailfleet.server.web;

import io.mailfleet.core.address.MailAddress;
import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.service.SessionInfo;
import io.mailfleet.core.service.SessionRegistry;
import io.mailfleet.server.api.NodeStatus;
import io.mailfleet.server.api.NodeStatusSource;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The operator's watch pages: {@code /ui/admin/bans} (list, ban, unban), {@code /ui/admin/sessions}
 * (live sessions of the whole cluster, disconnect) and {@code /ui/admin/cluster} (members and shard placement).
 */
final class OperationsPages extends WebPages {

    private final BanService bans;
    private final boolean bansEnabled;
    private final SessionRegistry sessions;
    private final NodeStatusSource status;
    private final io.mailfleet.server.ShardPlacementSource shards;

    OperationsPages(BanService bans, boolean bansEnabled, SessionRegistry sessions, NodeStatusSource status,
                    io.mailfleet.server.ShardPlacementSource shards) {
        this.shards = shards;
        this.bans = bans;
        this.bansEnabled = bansEnabled;
        this.sessions = sessions;
        this.status = status;
    }

    Route bans(Visit v) {
        String base = "/ui/admin/bans";
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> pageLater(v, "Bans", bans.bans().thenApply(list -> banList(v, list)))),
                        post(() -> form(v, f -> done(v, base, bans.ban(field(f, "ip"), "on".equals(f.get("force")))
                                .thenApply(b -> b.network() + " banned until " + b.until() + ".")))))),
                path("unban", () -> post(() -> form(v, f -> done(v, base, unban(field(f, "ip")))))));
    }

    private CompletionStage<String> unban(String ip) {
        if (ip.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Give an IP address or network to unban."));
        }
        return bans.unban(ip).thenApply(jails -> jails.isEmpty() ? ip + " was not banned."
                : ip + " unbanned from " + String.join(", ", jails.stream().map(j -> j.jailName()).toList()) + ".");
    }

    private Html banList(Visit v, List<Ban> list) {
        Html rows = Html.each(list, b -> Html.of("""
                <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><form class="inline" method="post" action="/ui/admin/bans/unban">{}
                <input type="hidden" name="ip" value="{}"><button type="submit" aria-label="Unban {}">Unban</button></form></td></tr>
                """, b.network(), b.jail().jailName(), b.since(), b.until(), b.reason(), Layout.csrf(v.csrf()),
                b.network(), b.network()));
        return Html.of("""
                {}
                <h2 id="ban-heading">Ban an address</h2>
                <form method="post" action="/ui/admin/bans" aria-labelledby="ban-heading">
                {}
                <label for="ip">IP address or CIDR network</label>
                <input type="text" id="ip" name="ip" required autocomplete="off">
                <label class="check"><input type="checkbox" name="force" id="force"> Allow a network wider than the configured limit</label>
                <button type="submit">Ban</button>
                </form>
                <h2>{} active bans</h2>
                <table id="bans">
                <thead><tr><th scope="col">Address</th><th scope="col">Jail</th><th scope="col">Since</th><th scope="col">Until</th>
                <th scope="col">Reason</th><th scope="col">Action</th></tr></thead>
                <tbody>
                {}
                </tbody>
                </table>
                """, bansEnabled ? Html.empty()
                        : Html.of("<p class=\"notice error\">The ban list is off (ENABLE_FAIL2BAN=0): banning is refused.</p>"),
                Layout.csrf(v.csrf()), list.size(), rows);
    }

    Route sessions(Visit v) {
        String base = "/ui/admin/sessions";
        return concat(
                pathEndOrSingleSlash(() -> get(() -> pageLater(v, "Live sessions",
                        sessions.listAll().thenApply(list -> sessionList(v, list))))),
                path("kick", () -> post(() -> form(v, f -> {
                    String id = field(f, "id");
                    CompletionStage<String> kicked;
                    try {
                        String account = MailAddress.parse(field(f, "account")).key();
                        kicked = sessions.kick(account, Optional.of(id).filter(s -> !s.isEmpty())).thenApply(n -> {
                            if (n == 0) {
                                throw new IllegalArgumentException("That session of " + account + " is not live any more.");
                            }
                            return n + " session(s) of " + account + " disconnected.";
                        });
                    } catch (RuntimeException e) {
                        kicked = CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage()));
                    }
                    return done(v, base, kicked);
                }))));
    }

    private Html sessionList(Visit v, List<SessionInfo> list) {
        Instant now = Instant.now();
        Html rows = Html.each(list, s -> Html.of("""
                <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} s</td><td><form class="inline" method="post" action="/ui/admin/sessions/kick">{}
                <input type="hidden" name="account" value="{}"><input type="hidden" name="id" value="{}">
                <button type="submit" class="danger" aria-label="Disconnect the {} session of {} from {}">Disconnect</button></form></td></tr>
                """, s.account(), s.protocol(), s.remoteIp(), s.node(),
                Math.max(0, Duration.between(s.since(), now).toSeconds()), Layout.csrf(v.csrf()), s.account(), s.id(),
                s.protocol(), s.account(), s.remoteIp()));
        return Html.of("""
                <p>IMAP, POP3, ManageSieve and authenticated SMTP sessions on every node.
                <a href="/ui/admin/sessions">Refresh</a></p>
                <table id="sessions">
                <thead><tr><th scope="col">Account</th><th scope="col">Protocol</th><th scope="col">Client</th>
                <th scope="col">Node</th><th scope="col">Age</th><th scope="col">Action</th></tr></thead>
                <tbody>
                {}
                </tbody>
                </table>
                """, rows);
    }

    Route cluster(Visit v) {
        return pathEndOrSingleSlash(() -> get(() -> {
            NodeStatus s = status.status();
            Html rows = Html.each(s.members(), m -> Html.of("<tr><td>{}{}</td><td>{}</td><td>{}</td></tr>\n",
                    m.address(), m.address().equals(s.selfAddress()) ? Html.of(" <em>(this node)</em>") : Html.empty(),
                    m.status(), String.join(", ", m.roles().stream().sorted().toList())));
            return pageLater(v, "Cluster", shards.placement().thenApply(placement -> Html.of("""
                    <dl class="facts">
                    <dt>This node</dt><dd>{}</dd>
                    <dt>Leader</dt><dd>{}</dd>
                    <dt>Up for</dt><dd>{} s</dd>
                    <dt>Problems</dt><dd>{}</dd>
                    </dl>
                    <h2>Members</h2>
                    <table id="members">
                    <thead><tr><th scope="col">Address</th><th scope="col">Status</th><th scope="col">Roles</th></tr></thead>
                    <tbody>
                    {}
                    </tbody>
                    </table>
                    <h2 id="shards-heading">Shard placement</h2>
                    <p class="muted">Which node hosts how many shards (and the entities started in them) of every sharded
                    entity type, as Cluster Sharding reports it now. Shards that did not answer in time are counted as
                    not answering.</p>
                    <table id="shards" aria-labelledby="shards-heading">
                    <thead><tr><th scope="col">Entity type</th><th scope="col">Node</th><th scope="col">Shards</th>
                    <th scope="col">Entities</th><th scope="col">Not answering</th></tr></thead>
                    <tbody>
                    {}
                    </tbody>
                    </table>
                    """, s.selfAddress(), s.leader().orElse("none"), s.uptime().toSeconds(),
                    s.problems().isEmpty() ? "none" : String.join("; ", s.problems()), rows, shardRows(placement))));
        }));
    }

    private static Html shardRows(List<io.mailfleet.server.ShardPlacementSource.TypePlacement> placement) {
        return Html.each(placement, t -> t.nodes().isEmpty()
                ? Html.of("<tr><th scope=\"row\">{}</th><td colspan=\"4\">no shards started yet</td></tr>\n", t.entityType())
                : Html.each(t.nodes().entrySet(), n -> Html.of(
                        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", t.entityType(),
                        n.getKey(), n.getValue().shards(), n.getValue().entities(), n.getValue().failedShards())));
    }
}
