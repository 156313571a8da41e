package io.mailfleet.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.BanException;
import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.ban.DisabledBanService;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.ban.Jail;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

import static io.mailfleet.server.api.JsonResponses.json;

/**
 * {@code /api/v1/fail2ban}: the ban list. {@code GET} lists active bans with the policy;
 * {@code POST /bans {"ip": "..."}} bans manually (custom jail; {@code ?force=true} for a network wider than
 * the policy's limit); {@code DELETE /bans?ip=...} unbans
 * from every jail. Addresses may be single IPs or CIDR networks, IPv4 or IPv6.
 */
public final class BanRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BanService bans;
    private final boolean enabled;

    /** Routes over {@code bans}; {@code enabled} is reported to clients (ENABLE_FAIL2BAN). */
    public BanRoutes(BanService bans, boolean enabled) {
        this.bans = bans;
        this.enabled = enabled;
    }

    /** Routes of a node without ban list: listings are empty, changes are refused as disabled. */
    public static BanRoutes disabled() {
        return new BanRoutes(new DisabledBanService(BanPolicy.defaults()), false);
    }

    /** The routes below {@code /api/v1/fail2ban}. */
    public Route routes() {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> completeWithFuture(bans.bans().handle((list, err) ->
                        err != null ? failure(err) : json(200, listing(list)))))),
                path("bans", () -> concat(
                        post(() -> parameterOptional("force", force -> entity(Unmarshaller.entityToString(), text -> {
                            String ip;
                            try {
                                ip = ipField(text);
                            } catch (BanException e) {
                                return complete(failure(e));
                            }
                            return completeWithFuture(bans.ban(ip, force.filter("true"::equals).isPresent())
                                    .handle((ban, err) -> err != null ? failure(err) : json(201, banJson(ban))));
                        }))),
                        delete(() -> parameterOptional("ip", ip -> completeWithFuture(
                                unban(ip.orElse("")).handle((jails, err) -> {
                                    if (err != null) {
                                        return failure(err);
                                    }
                                    ObjectNode o = JSON.createObjectNode();
                                    o.put("ip", IpNetwork.parse(ip.get()).toString());
                                    ArrayNode a = o.putArray("jails");
                                    jails.forEach(j -> a.add(j.jailName()));
                                    return json(200, o);
                                })))))));
    }

    private CompletionStage<List<Jail>> unban(String ip) {
        if (ip.isBlank()) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new BanException("invalid-ip", "query parameter 'ip' is required (an IP address or CIDR network)"));
        }
        return bans.unban(ip);
    }

    private static String ipField(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BanException("invalid-json", "invalid JSON: " + e.getOriginalMessage());
        }
        JsonNode ip = node == null ? null : node.get("ip");
        if (ip == null || !ip.isTextual() || ip.asText().isBlank()) {
            throw new BanException("invalid-request", "field 'ip' is required (an IP address or CIDR network)");
        }
        return ip.asText();
    }

    private JsonNode listing(List<Ban> list) {
        BanPolicy p = bans.policy();
        ObjectNode o = JSON.createObjectNode();
        o.put("enabled", enabled);
        o.put("blockType", p.blockType().name().toLowerCase(Locale.ROOT));
        o.put("maxRetry", p.maxRetry());
        o.put("findTimeSeconds", p.findTime().toSeconds());
        o.put("banTimeSeconds", p.banTime().toSeconds());
        o.put("manualBanTimeSeconds", p.manualBanTime().toSeconds());
        o.put("widestBanIpv4", p.widest().ipv4Prefix());
        o.put("widestBanIpv6", p.widest().ipv6Prefix());
        ArrayNode ignored = o.putArray("ignoreNetworks");
        p.ignoreNetworks().forEach(n -> ignored.add(n.toString()));
        ArrayNode jails = o.putArray("jails");
        for (Jail j : Jail.values()) {
            jails.add(j.jailName());
        }
        ArrayNode a = o.putArray("bans");
        list.forEach(b -> a.add(banJson(b)));
        return o;
    }

    private static ObjectNode banJson(Ban b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ip", b.network());
        o.put("jail", b.jail().jailName());
        o.put("since", b.since().toString());
        o.put("until", b.until().toString());
        o.put("reason", b.reason());
        return o;
    }

    private static HttpResponse failure(Throwable err) {
        Throwable c = JsonResponses.cause(err);
        ObjectNode o = JSON.createObjectNode();
        if (c instanceof BanException b) {
            o.put("code", b.code());
            o.put("message", b.getMessage());
            return json(switch (b.code()) {
                case "already-banned", "disabled" -> 409;
                default -> 400;
            }, o);
        }
        o.put("code", "internal-error");
        o.put("message", c.getClass().getSimpleName() + ": " + c.getMessage());
        return json(c instanceof java.util.concurrent.TimeoutException ? 503 : 500, o);
    }
}
