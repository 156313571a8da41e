package io.mailfleet.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailfleet.ops.config.ApiTokenFile;
import io.mailfleet.ops.config.ConfigError;
import io.mailfleet.ops.config.LoadedConfig;
import io.mailfleet.ops.config.MailfleetConfig;
import io.mailfleet.ops.config.Settings;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code mailfleet} administration commands, mirroring docker-mailserver's {@code setup}: same
 * arguments, messages and exit codes. They talk to the running node through the management API.
 */
public final class Cli {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final InputStream in;
    private BufferedReader reader;
    private Path configFile;
    private ApiClient api;
    private LoadedConfig loaded;

    private Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Runs a command with prompts read from the console (or stdin); returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, System.in, out, err, env);
    }

    /** Runs a command with prompts answered from {@code in}; returns the exit status. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        Cli cli = new Cli(in, out, err, env);
        try {
            cli.dispatch(new ArrayList<>(Arrays.asList(args)));
            return 0;
        } catch (CliFailure f) {
            if (f.usage != null) {
                out.print(f.usage);
            }
            if (f.getMessage() != null) {
                err.println(f.exitCode == 2 ? f.getMessage() : "ERROR: " + f.getMessage());
            }
            return f.exitCode;
        }
    }

    /** Whether {@code verb} is one of the administration commands this class handles. */
    public static boolean handles(String verb) {
        return List.of("email", "alias", "quota", "fail2ban", "queue", "sessions", "blobs", "backup", "config", "relay", "help").contains(verb);
    }

    private void dispatch(List<String> args) {
        while (!args.isEmpty() && args.get(0).startsWith("--config")) {
            String a = args.remove(0);
            if (a.startsWith("--config=")) {
                configFile = Path.of(a.substring("--config=".length()));
            } else if (args.isEmpty()) {
                throw new CliFailure("--config needs a file name", 1, Usage.MAIN);
            } else {
                configFile = Path.of(args.remove(0));
            }
        }
        if (args.isEmpty()) {
            out.print(Usage.MAIN);
            return;
        }
        String cmd = args.get(0);
        String sub = args.size() > 1 ? args.get(1) : "";
        List<String> rest = args.size() > 2 ? args.subList(2, args.size()) : List.of();
        switch (cmd) {
            case "help" -> out.print(Usage.MAIN);
            case "email" -> {
                switch (sub) {
                    case "add" -> emailAdd(rest, true);
                    case "update" -> emailAdd(rest, false);
                    case "del" -> emailDel(rest);
                    case "restrict" -> restrict(rest);
                    case "list" -> emailList(rest);
                    default -> invalid(args);
                }
            }
            case "alias" -> {
                switch (sub) {
                    case "add" -> aliasChange(rest, true);
                    case "del" -> aliasChange(rest, false);
                    case "list" -> aliasList(rest);
                    default -> invalid(args);
                }
            }
            case "quota" -> {
                switch (sub) {
                    case "set" -> quotaSet(rest);
                    case "del" -> quotaDel(rest);
                    default -> invalid(args);
                }
            }
            case "fail2ban" -> new Fail2banCommand(out, err, this::api).run(args.subList(1, args.size()));
            case "queue" -> new QueueCommand(out, this::api).run(args.subList(1, args.size()));
            case "sessions" -> new SessionsCommand(out, this::api).run(args.subList(1, args.size()));
            case "blobs" -> new BlobsCommand(out, this::api).run(args.subList(1, args.size()));
            case "backup" -> new BackupCommand(out, this::api).run(args.subList(1, args.size()));
            case "relay" -> new RelayCommand(out, this::loaded, this::promptPassword).run(args.subList(1, args.size()));
            case "config" -> {
                switch (sub) {
                    case "dkim" -> new DkimCommand(out, err, this::loaded, this::api).run(rest);
                    case "", "help" -> out.print(DkimCommand.USAGE);
                    default -> invalid(args);
                }
            }
            default -> invalid(args);
        }
    }

    private static void invalid(List<String> args) {
        throw new CliFailure("The command '" + String.join(" ", args) + "' is invalid.\n"
                + "Use `./mailfleet help` to get an overview of all commands.", 2);
    }

    /** docker-mailserver's _require_n_parameters_or_print_usage: help → usage, exit 0; too few → usage, exit 1. */
    private boolean usageRequested(List<String> args, int required, String usage) {
        if (!args.isEmpty() && args.get(0).equals("help")) {
            out.print(usage);
            return true;
        }
        if (args.size() < required) {
            throw new CliFailure(null, 1, usage);
        }
        return false;
    }

    private void emailAdd(List<String> args, boolean create) {
        String usage = create ? Usage.EMAIL_ADD : Usage.EMAIL_UPDATE;
        if (usageRequested(args, 1, usage)) {
            return;
        }
        String address = args.get(0);
        if (!address.contains("@")) {
            throw new CliFailure("'" + address + "' should include the domain (eg: user@example.com)", 1, usage);
        }
        String password = String.join(" ", args.subList(1, args.size()));
        if (password.isEmpty()) {
            password = promptPassword();
            if (password.isEmpty()) {
                throw new CliFailure("Password must not be empty", 1);
            }
        }
        JsonNode r = create
                ? api().send("POST", "/api/v1/accounts", ApiClient.body("address", address, "password", password))
                : api().send("PUT", "/api/v1/accounts/" + ApiClient.seg(address) + "/password",
                        ApiClient.body("password", password));
        warnings(r);
    }

    private void emailDel(List<String> args) {
        List<String> addresses = new ArrayList<>();
        boolean withMail = false;
        for (String a : args) {
            if (a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    if (c != 'y' && c != 'Y') {
                        throw new CliFailure("The option '" + c + "' is unknown", 1, Usage.EMAIL_DEL);
                    }
                }
                // docker-mailserver's -y: delete the mail too, without asking
                withMail = true;
            } else {
                addresses.add(a);
            }
        }
        if (usageRequested(addresses, 1, Usage.EMAIL_DEL)) {
            return;
        }
        for (String a : addresses) {
            api().send("DELETE", "/api/v1/accounts/" + ApiClient.seg(a) + (withMail ? "?purge-mailbox=true" : ""), null);
            out.println("INFO: '" + a + "' and associated data deleted" + (withMail ? ", mailbox emptied" : ""));
        }
    }

    private void emailList(List<String> args) {
        if (usageRequested(args, 0, Usage.EMAIL_LIST)) {
            return;
        }
        JsonNode accounts = api().get("/api/v1/accounts");
        if (accounts.isEmpty()) {
            throw new CliFailure("no accounts exist, nothing to list", 1);
        }
        for (JsonNode a : accounts) {
            StringBuilder line = new StringBuilder("* ").append(a.path("address").asText());
            JsonNode q = a.path("quota");
            if (q.isObject()) {
                long limit = q.path("limitBytes").asLong();
                line.append(" ( ").append(IecSize.format(q.path("usedBytes").asLong())).append(" / ")
                        .append(limit <= 0 ? "~" : IecSize.format(limit)).append(" ) [")
                        .append(q.path("percent").asInt()).append("%]");
            }
            List<String> aliases = new ArrayList<>();
            a.path("aliases").forEach(n -> aliases.add(n.asText()));
            if (!aliases.isEmpty()) {
                line.append("\n    [ aliases -> ").append(String.join(", ", aliases)).append(" ]");
            }
            out.println(line);
            out.println();
        }
    }

    private void restrict(List<String> args) {
        String command = args.isEmpty() ? "" : args.get(0);
        if (command.equals("help")) {
            out.print(Usage.EMAIL_RESTRICT);
            return;
        }
        String direction = args.size() > 1 ? args.get(1).toLowerCase(java.util.Locale.ROOT) : "";
        String usageLine = "INFO: Usage: ./mailfleet email restrict <add|del|list> <send|receive> [<email@domain.com>]\n";
        if (!direction.equals("send") && !direction.equals("receive")) {
            throw new CliFailure("Unknown or missing second parameter '" + direction + "' - specify 'send' or 'receive'",
                    1, usageLine);
        }
        String user = args.size() > 2 ? args.get(2) : "";
        if (!List.of("add", "del", "list").contains(command)) {
            throw new CliFailure("Unknown or missing command '" + command + "' - specify 'add', 'del' or 'list'", 1, usageLine);
        }
        if (user.isEmpty() && !command.equals("list")) {
            user = promptLine("Provide a username: ");
            if (user.isEmpty()) {
                throw new CliFailure("User must not be empty", 1);
            }
        }
        String base = "/api/v1/restrictions/" + direction;
        switch (command) {
            case "add" -> api().send("POST", base, ApiClient.body("address", user));
            case "del" -> api().send("DELETE", base + "?address=" + ApiClient.seg(user), null);
            default -> {
                JsonNode list = api().get(base);
                if (list.isEmpty()) {
                    out.println("INFO: Everyone is allowed to " + direction + " mails");
                }
                list.forEach(n -> out.println(n.asText() + " \t\t REJECT"));
            }
        }
    }

    private void aliasChange(List<String> args, boolean add) {
        String usage = add ? Usage.ALIAS_ADD : Usage.ALIAS_DEL;
        if (usageRequested(args, 2, usage)) {
            return;
        }
        String alias = args.get(0);
        String recipient = args.get(1);
        if (alias.isEmpty()) {
            throw new CliFailure("No alias specified", 1, usage);
        }
        if (recipient.isEmpty()) {
            throw new CliFailure("No recipient specified", 1, usage);
        }
        if (add) {
            api().send("POST", "/api/v1/aliases", ApiClient.body("alias", alias, "target", recipient));
        } else {
            api().send("DELETE", "/api/v1/aliases?alias=" + ApiClient.seg(alias) + "&target=" + ApiClient.seg(recipient), null);
        }
    }

    private void aliasList(List<String> args) {
        if (usageRequested(args, 0, Usage.ALIAS_LIST)) {
            return;
        }
        JsonNode aliases = api().get("/api/v1/aliases");
        if (aliases.isEmpty()) {
            throw new CliFailure("no aliases exist, nothing to list", 1);
        }
        for (JsonNode a : aliases) {
            List<String> targets = new ArrayList<>();
            a.path("targets").forEach(n -> targets.add(n.asText()));
            out.println("* " + a.path("alias").asText() + " " + String.join(",", targets));
            out.println();
        }
    }

    private void quotaSet(List<String> args) {
        if (usageRequested(args, 1, Usage.QUOTA_SET)) {
            return;
        }
        String address = args.get(0);
        if (!address.contains("@")) {
            throw new CliFailure("'" + address + "' should include the domain (eg: user@example.com)", 1, Usage.QUOTA_SET);
        }
        String quota = String.join(" ", args.subList(1, args.size()));
        if (quota.isEmpty()) {
            quota = promptLine("Enter quota (e.g. 10M): ");
            if (quota.isEmpty()) {
                throw new CliFailure("Quota must not be empty (use 0 for unlimited quota)", 1);
            }
        }
        try {
            api().send("PUT", "/api/v1/quotas/" + ApiClient.seg(address), ApiClient.body("quota", quota));
        } catch (CliFailure f) {
            if (f.getMessage() != null && f.getMessage().startsWith("Invalid quota format")) {
                throw new CliFailure(f.getMessage(), 1, Usage.QUOTA_SET);
            }
            throw f;
        }
    }

    private void quotaDel(List<String> args) {
        if (usageRequested(args, 1, Usage.QUOTA_DEL)) {
            return;
        }
        String address = args.get(0);
        if (!address.contains("@")) {
            throw new CliFailure("'" + address + "' should include the domain (eg: user@example.com)", 1, Usage.QUOTA_DEL);
        }
        api().send("DELETE", "/api/v1/quotas/" + ApiClient.seg(address), null);
    }

    private void warnings(JsonNode r) {
        r.path("warnings").forEach(w -> err.println("WARN: " + w.asText()));
    }

    private String promptPassword() {
        Console console = System.console();
        if (in == System.in && console != null) {
            char[] pw = console.readPassword("Enter Password: ");
            return pw == null ? "" : new String(pw);
        }
        return promptLine("Enter Password: ");
    }

    private String promptLine(String prompt) {
        out.print(prompt);
        out.flush();
        try {
            if (reader == null) {
                reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            String line = reader.readLine();
            out.println();
            return line == null ? "" : line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node's configuration (--config, MAILFLEET_CONFIG, environment), loaded on first need. */
    private LoadedConfig loaded() {
        if (loaded == null) {
            try {
                loaded = MailfleetConfig.load(configFile, env);
            } catch (ConfigError e) {
                throw new CliFailure(e.getMessage(), 1);
            }
        }
        return loaded;
    }

    /** The API client, from the same configuration the node uses; created on first need. */
    private ApiClient api() {
        if (api != null) {
            return api;
        }
        Settings s = loaded().settings();
        String token = s.management().token();
        if (token.isEmpty()) {
            Optional<String> fromFile;
            try {
                fromFile = ApiTokenFile.read(s.dataDir());
            } catch (UncheckedIOException e) {
                throw new CliFailure(e.getMessage(), 1);
            }
            token = fromFile.orElseThrow(() -> new CliFailure("no API token: " + s.dataDir().resolve(ApiTokenFile.FILE_NAME)
                    + " does not exist — start the node with `./mailfleet serve` (it creates the token), or set"
                    + " MAILFLEET_API_TOKEN / mailfleet.management.token to the node's token", 1));
        }
        api = new ApiClient(s.management().baseUrl(), token);
        return api;
    }
}
