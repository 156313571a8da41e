package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.server.dns.DnsRecord;
import io.mailfleet.server.dns.RecommendedRecords;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import static io.mailfleet.server.api.JsonResponses.error;
import static io.mailfleet.server.api.JsonResponses.json;

/**
 * {@code GET /api/v1/dns/<domain>}: the records the domain should publish for this node (issue 14), each with
 * its zone-file line, and the MTA-STS policy file to serve. 400 for a name that is not a domain.
 */
public final class DnsRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecommendedRecords records;
    private final Executor blocking;

    /** {@code blocking} reads the DKIM key files. */
    public DnsRoutes(RecommendedRecords records, Executor blocking) {
        this.records = records;
        this.blocking = blocking;
    }

    /** The routes below {@code /api/v1/dns}. */
    public Route routes() {
        return path(PathMatchers.segment(), domain -> get(() -> {
            String d = domain.toLowerCase(Locale.ROOT);
            if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+") || d.length() > 253) {
                return complete(error(400, "invalid-domain", "'" + domain + "' is not a domain name such as example.com"));
            }
            return completeWithFuture(CompletableFuture.supplyAsync(() -> json(200, plan(records.of(d))), blocking));
        }));
    }

    private static ObjectNode plan(RecommendedRecords.Plan plan) {
        ObjectNode o = JSON.createObjectNode();
        o.put("domain", plan.domain());
        ArrayNode list = o.putArray("records");
        for (DnsRecord r : plan.records()) {
            list.addObject().put("name", r.name()).put("type", r.type()).put("value", r.value())
                    .put("comment", r.comment()).put("zone", r.zoneLine());
        }
        o.putObject("mtaSts").put("url", plan.mtaStsPolicyUrl()).put("policy", plan.mtaStsPolicy());
        return o;
    }
}
