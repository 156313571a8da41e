package io.mailfleet.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code ./mailfleet fail2ban [ban IP | unban IP | status | log]}, with docker-mailserver's messages:
 * {@code Banned in <jail>: <ips>}, {@code No IPs have been banned}, {@code Banned custom IP: 1},
 * {@code Unbanned IP from <jail>: 1}.
 */
final class Fail2banCommand {

    static final String USAGE = Usage.command("./mailfleet fail2ban [ban [--force] <IP> | unban <IP>] | status | log",
            "Without arguments, list the banned IP addresses per jail (dovecot, postfix, postfix-sasl, custom).\n\n"
                    + "ban <IP>     Ban an IP address or network (CIDR) on every port of every node\n"
                    + "             (jail custom; lasts mailfleet.fail2ban.manual-ban-time, 180 days by default).\n"
                    + "             Networks wider than /8 (IPv4) or /32 (IPv6) need --force.\n"
                    + "unban <IP>   Remove an IP address or network from every jail.\n"
                    + "status       Show the policy and the bans of each jail.\n"
                    + "log          Where ban decisions are logged.");

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<ApiClient> api;

    Fail2banCommand(PrintStream out, PrintStream err, Supplier<ApiClient> api) {
        this.out = out;
        this.err = err;
        this.api = api;
    }

    /** Runs the subcommand; {@code args} follow the word {@code fail2ban}. */
    void run(List<String> args) {
        String sub = args.isEmpty() ? "" : args.get(0);
        boolean force = sub.equals("ban") && args.contains("--force");
        List<String> rest = args.stream().skip(1).filter(a -> !(force && a.equals("--force"))).toList();
        String ip = rest.isEmpty() ? "" : rest.get(0).trim();
        switch (sub) {
            case "" -> list();
            case "help" -> out.print(USAGE);
            case "ban" -> ban(ip, force);
            case "unban" -> unban(ip);
            case "status" -> status();
            case "log" -> throw new CliFailure("Mailfleet keeps no fail2ban.log: ban decisions are written to the node's log"
                    + " under the logger io.mailfleet.fail2ban (lines with 'Ban', 'Unban' and 'Found')", 1);
            default -> throw new CliFailure("The command 'fail2ban " + String.join(" ", args) + "' is invalid.\n"
                    + "Use `./mailfleet fail2ban help` to get an overview of the fail2ban commands.", 2);
        }
    }

    private void list() {
        Map<String, List<String>> byJail = byJail(api.get().get("/api/v1/fail2ban"));
        if (byJail.isEmpty()) {
            out.println("INFO: No IPs have been banned");
            return;
        }
        byJail.forEach((jail, ips) -> out.println("Banned in " + jail + ": " + String.join(", ", ips)));
    }

    private void ban(String ip, boolean force) {
        requireIp(ip, "ban");
        api.get().send("POST", "/api/v1/fail2ban/bans" + (force ? "?force=true" : ""), ApiClient.body("ip", ip));
        out.println("Banned custom IP: 1");
    }

    private void unban(String ip) {
        requireIp(ip, "unban");
        JsonNode r = api.get().send("DELETE", "/api/v1/fail2ban/bans?ip=" + ApiClient.seg(ip), null);
        JsonNode jails = r.path("jails");
        if (jails.isEmpty()) {
            err.println("WARN: '" + ip + "' is not banned in any jail");
            return;
        }
        jails.forEach(j -> out.println("Unbanned IP from " + j.asText() + ": 1"));
    }

    private void status() {
        JsonNode s = api.get().get("/api/v1/fail2ban");
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
    }

    private static void requireIp(String ip, String verb) {
        if (ip.isEmpty()) {
            throw new CliFailure("You need to specify an IP address: run './mailfleet fail2ban' to get a list of banned"
                    + " IP addresses", 1, "Usage: ./mailfleet fail2ban " + verb + " <IP>\n");
        }
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
