package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./mailfleet fail2ban [ban IP | unban IP | status | log]}, with docker-mailserver's messages:
 * {@code Banned in <jail>: <ips>}, {@code No IPs have been banned}, {@code Banned custom IP: 1},
 * {@code Unbanned IP from <jail>: 1}.
 */
@Command(name = "fail2ban", mixinStandardHelpOptions = true,
        customSynopsis = "    ./mailfleet fail2ban [ban [--force] <IP> | unban <IP>] | status | log",
        description = "Without arguments, list the banned IP addresses per jail (dovecot, postfix, postfix-sasl, custom).",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class Fail2banCommand extends CommandGroup {

    private final PrintStream err;

    Fail2banCommand(CliContext ctx) {
        super(ctx, "fail2ban");
        this.err = ctx.err();
    }

    /** Without a subcommand: the banned addresses per jail. */
    @Override
    public Integer call() {
        Map<String, List<String>> byJail = byJail(ctx.api().get("/api/v1/fail2ban"));
        if (byJail.isEmpty()) {
            out.println("INFO: No IPs have been banned");
            return 0;
        }
        byJail.forEach((jail, ips) -> out.println("Banned in " + jail + ": " + String.join(", ", ips)));
        return 0;
    }

    @Command(name = "ban", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet fail2ban ban [--force] <IP>",
            description = {"Ban an IP address or network (CIDR) on every port of every node",
                    "(jail custom; lasts mailfleet.fail2ban.manual-ban-time, 180 days by default).",
                    "Networks wider than /8 (IPv4) or /32 (IPv6) need --force."})
    int ban(@Option(names = "--force", description = "allow a network wider than /8 (IPv4) or /32 (IPv6)") boolean force,
            @Parameters(arity = "0..1", paramLabel = "IP", hidden = true) String ip) {
        ip = requireIp(ip, "ban");
        ctx.api().send("POST", "/api/v1/fail2ban/bans" + (force ? "?force=true" : ""), ApiClient.body("ip", ip));
        out.println("Banned custom IP: 1");
        return 0;
    }

    @Command(name = "unban", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet fail2ban unban <IP>",
            description = "Remove an IP address or network from every jail.")
    int unban(@Parameters(arity = "0..1", paramLabel = "IP", hidden = true) String ip) {
        ip = requireIp(ip, "unban");
        JsonNode r = ctx.api().send("DELETE", "/api/v1/fail2ban/bans?ip=" + ApiClient.seg(ip), null);
        JsonNode jails = r.path("jails");
        if (jails.isEmpty()) {
            err.println("WARN: '" + ip + "' is not banned in any jail");
            return 0;
        }
        for (JsonNode j : jails) {
            out.println("Unbanned IP from " + j.asText() + ": 1");
        }
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet fail2ban status",
            description = "Show the policy and the bans of each jail.")
    int status() {
        JsonNode s = ctx.api().get("/api/v1/fail2ban");
        out.println("Fail2ban: " + (s.path("enabled").asBoolean() ? "enabled" : "disabled (ENABLE_FAIL2BAN=0)")
                + ", block type " + s.path("blockType").asText());
        out.println("Policy: ban after " + s.path("maxRetry").asInt() + " failures within "
                + human(s.path("findTimeSeconds").asLong()) + " for " + human(s.path("banTimeSeconds").asLong())
                + "; manual bans last " + human(s.path("manualBanTimeSeconds").asLong()));
        List<String> ignored = new ArrayList<>();
        s.path("ignoreNetworks").forEach(n -> ignored.add(n.asText()));
        out.println("Never banned: " + String.join(", ", ignored));
        Map<String, List<JsonNode>> bans = new LinkedHashMap<>();
        s.path("jails").forEach(j -> bans.put(j.asText(), new ArrayList<>()));
        s.path("bans").forEach(b -> bans.computeIfAbsent(b.path("jail").asText(), k -> new ArrayList<>()).add(b));
        bans.forEach((jail, list) -> {
            out.println("Status for the jail: " + jail);
            out.println("`- Actions");
            out.println("   |- Currently banned: " + list.size());
            out.println("   `- Banned IP list:");
            for (JsonNode b : list) {
                out.println("      " + b.path("ip").asText() + " (until " + b.path("until").asText()
                        + (b.path("reason").asText().isEmpty() ? "" : "; " + b.path("reason").asText()) + ")");
            }
        });
        return 0;
    }

    @Command(name = "log", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet fail2ban log", description = "Where ban decisions are logged.")
    int log() {
        throw new CliFailure("Mailfleet keeps no fail2ban.log: ban decisions are written to the node's log"
                + " under the logger io.mailfleet.fail2ban (lines with 'Ban', 'Unban' and 'Found')", 1);
    }

    private static String requireIp(String ip, String verb) {
        String trimmed = ip == null ? "" : ip.trim();
        if (trimmed.isEmpty()) {
            throw new CliFailure("You need to specify an IP address: run './mailfleet fail2ban' to get a list of banned"
                    + " IP addresses", 1, "Usage: ./mailfleet fail2ban " + verb + " <IP>\n");
        }
        return trimmed;
    }
    static Map<String, List<String>> byJail(JsonNode listing) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        listing.path("bans").forEach(b -> m.computeIfAbsent(b.path("jail").asText(), k -> new ArrayList<>())
                .add(b.path("ip").asText()));
        return m;
    }

    /** 604800 → "7d", 5400 → "90m": the largest unit that divides the value. */
    static String human(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (seconds > 0 && seconds % 86400 == 0) {
            return d.toDays() + "d";
        }
        if (seconds > 0 && seconds % 3600 == 0) {
            return d.toHours() + "h";
        }
        if (seconds > 0 && seconds % 60 == 0) {
            return d.toMinutes() + "m";
        }
        return seconds + "s";
    }
}
