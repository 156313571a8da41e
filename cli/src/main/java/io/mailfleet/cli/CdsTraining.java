package io.mailfleet.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The run the launcher records the CLI's class-data-sharing archive from ({@code -XX:ArchiveClassesAtExit}):
 * a typical administration call, {@code email list} answered by a throw-away local HTTP server, so that the
 * archive holds what every call loads (the command tree, the configuration, the API client, the JSON
 * parser) whatever command happens to run first after a build. An archive written by the first real call
 * missed those classes when that call was {@code --help} or failed early (the node not started yet), and
 * then every later call loaded them from the jars again, about a third more CPU time.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("mailfleet-cds-training");
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "[{\"address\":\"training@example.com\",\"quota\":null,\"aliases\":[]}]"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try {
            Map<String, String> env = Map.of("MAILFLEET_DATA", data.toString(), "MAILFLEET_API_TOKEN", "cds-training-token-not-used",
                    "MAILFLEET_MANAGEMENT_BIND", "127.0.0.1",
                    "MAILFLEET_MANAGEMENT_PORT", Integer.toString(http.getAddress().getPort()));
            Cli.commandLine(new CliContext(new ByteArrayInputStream(new byte[0]), nowhere, nowhere, env))
                    .execute("email", "list");
        } finally {
            http.stop(0);
            Files.deleteIfExists(data);
        }
        System.exit(0);
    }
}
