package io.mailfleet.server.web;

import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mail account listed in {@code mailfleet.web.admin-accounts} logs in as an administrator with its
 * mail password; failed web logins feed the cluster's ban list like IMAP logins: after {@code max-retry}
 * failures the address is banned (jail dovecot) and even the right password is refused. Loopback is never banned,
 * so the management listener binds to this machine's non-loopback address and the client comes from it.
 */
class WebLoginBanEndToEndTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path data;

    @Test
    void anAdminAccountLogsInAndFailedLoginsBanTheAddress() throws Exception {
        InetAddress local = nonLoopbackAddress();
        Path conf = data.resolve("mailfleet.conf");
        Files.writeString(conf, "mailfleet.fail2ban.max-retry = 3\n");
        Map<String, String> extra = new HashMap<>();
        extra.put("MAILFLEET_CONFIG", conf.toString());
        extra.put("ENABLE_FAIL2BAN", "1");
        extra.put("MAILFLEET_MANAGEMENT_BIND", local.getHostAddress());
        extra.put("MAILFLEET_LOGIN_FAILURE_DELAY", "0s");
        extra.put("MAILFLEET_WEB_ADMIN_ACCOUNTS", "carol@example.com");
        Map<String, String> env = TestServers.env(data, extra);
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("carol@example.com", "carol-pw", false))) {
            String base = "http://" + local.getHostAddress() + ":" + env.get("MAILFLEET_MANAGEMENT_PORT");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> admin = login(http, base, "Carol@example.com", "carol-pw");
            assertEquals(303, admin.statusCode(), admin.body());
            assertEquals("/ui/admin/accounts", admin.headers().firstValue("Location").orElse(""));
            assertTrue(admin.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith(SessionCookies.SESSION + "=")
                    && c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure")), admin.headers().toString());

            assertEquals(401, login(http, base, "carol@example.com", "wrong-1").statusCode());
            assertEquals(401, login(http, base, "admin", "not-the-token").statusCode());
            assertEquals(401, login(http, base, "carol@example.com", "wrong-2").statusCode());

            HttpResponse<String> right = login(http, base, "carol@example.com", "carol-pw");
            assertEquals(401, right.statusCode(), "the right password from a banned address is refused");
            assertTrue(right.body().contains("too many failed logins from your address"), right.body());

            String token = Files.readString(data.resolve("api-token")).strip();
            HttpResponse<String> bans = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/fail2ban"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(bans.body().contains("\"ip\":\"" + local.getHostAddress() + "\",\"jail\":\"dovecot\""), bans.body());
        }
    }

    /** Logs in through the login form: its page first (the pre-login cookie and CSRF token), then the POST. */
    private static HttpResponse<String> login(HttpClient http, String base, String name, String password) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        Matcher m = CSRF.matcher(page.body());
        assertTrue(m.find(), page.body());
        String cookie = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(SessionCookies.PRE_LOGIN + "=")).findFirst().orElseThrow().split(";", 2)[0];
        String form = "csrf=" + enc(m.group(1)) + "&login=" + enc(name) + "&password=" + enc(password);
        return http.send(HttpRequest.newBuilder(URI.create(base + "/ui/login")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** An IPv4 address of an interface that is up and not loopback; the test needs one to be banned from. */
    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && !n.isLoopback()) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        }
        assertNotNull(null, "this machine has no non-loopback IPv4 address to bind the management listener to");
        return null;
    }
}
