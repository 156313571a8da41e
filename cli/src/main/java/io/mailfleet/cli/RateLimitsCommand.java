package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code ./mailfleet rate-limits [list] | reset KEY}: the clients and accounts the cluster-wide SMTP
 * rate limits refused within their window, and forgetting a key's counts.
 */
@Command(name = "rate-limits", mixinStandardHelpOptions = true,
        customSynopsis = "    ./mailfleet rate-limits [list | reset <KEY>]",
        description = "Clients and accounts refused by the SMTP rate limits (cluster-wide); without a subcommand: list.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class RateLimitsCommand extends CommandGroup {

    private static final String RESET_USAGE = "Usage: ./mailfleet rate-limits reset <KEY>\n"
            + "  KEY: a client address (192.0.2.7), an IPv6 /64 (2001:db8::/64), user:<account> or domain:<domain>\n";

    RateLimitsCommand(CliContext ctx) {
        super(ctx, "rate-limits");
    }

    @Override
    public Integer call() {
        return list();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet rate-limits list",
            description = "Keys a rate limit refused within its window, with the limit and the last refusal.")
    int list() {
        JsonNode list = ctx.api().get("/api/v1/rate-limits");
        if (list.isEmpty()) {
            ctx.out().println("No client or account is rate-limited");
            return 0;
        }
        String format = "%-39s  %-22s  %-14s  %-9s  %s%n";
        ctx.out().printf(format, "KEY", "LIMIT", "MAX", "REFUSALS", "LAST REFUSED");
        for (JsonNode l : list) {
            ctx.out().printf(format, l.path("key").asText(), l.path("limit").asText(),
                    l.path("max").asLong() + "/" + l.path("windowSeconds").asLong() + "s", l.path("refusals").asLong(),
                    l.path("lastRefused").asText());
        }
        return 0;
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet rate-limits reset <KEY>",
            description = "Forget every count of KEY under every limit, so it may connect and send again.")
    int reset(@Parameters(arity = "0..1", paramLabel = "KEY", hidden = true) String key) {
        if (key == null || key.isBlank()) {
            throw new CliFailure("You need to specify the key to reset", 1, RESET_USAGE);
        }
        JsonNode r = ctx.api().send("DELETE", "/api/v1/rate-limits?key="
                + URLEncoder.encode(key.strip(), StandardCharsets.UTF_8), null);
        ctx.out().println("INFO: " + r.path("counters").asInt() + " counters of " + r.path("key").asText() + " reset");
        return 0;
    }
}
