package io.mailfleet.server.web;

import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.testkit.ExternalTool;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI in a real browser (Debian's chromium through chromedriver) against a real node: the
 * operator's round (log in, create an account, set its quota, watch delivered mail fill the usage bar,
 * disconnect a live IMAP session) and the user's (log in, change the password, then log in over IMAP
 * with the new one; a vacation reply the Sieve compiler refuses, then one it takes), with the rules
 * of hostile input: markup in a value renders as text, a form without its CSRF token is refused, and
 * a user asking for another user's page gets 403. One node and one browser for the whole class;
 * the screenshots of docs/web-ui.md are taken on the way.
 */
class WebUiBrowserTest {

    @TempDir
    static Path data;

    private static MailfleetServer server;
    private static TestDnsServer dns;
    private static Map<String, String> env;
    private static WebDriver browser;
    private static String base;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        Path driver = ExternalTool.require("chromedriver", "chromium-driver");
        Path chromium = ExternalTool.require("chromium", "chromium");
        // the live DNS check asks a DNS server of the test: the MX matches, the SPF record differs
        dns = new TestDnsServer().mx("example.com", 10, "mail.example.com").txt("example.com", "v=spf1 -all");
        var dnsAddress = dns.settings(Duration.ofSeconds(2)).server();
        // mail to other domains goes to a relay on a port nobody listens on: it waits in the queue, deferred
        env = TestServers.env(data, Map.of("MAILFLEET_BLOB_GC_INTERVAL", "0", "ENABLE_QUOTAS", "1",
                "MAILFLEET_LOGIN_FAILURE_DELAY", "0s", "ENABLE_FAIL2BAN", "1", "RELAY_HOST", "127.0.0.1",
                "RELAY_PORT", Integer.toString(TestServers.freePort()),
                "MAILFLEET_DNS_SERVER", dnsAddress.getAddress().getHostAddress() + ":" + dnsAddress.getPort(),
                "MAILFLEET_WEB_CHART_SAMPLING", "1s"));
        server = TestServers.start(env, new FirstAccount("alice@example.com", "alice-secret", false));
        base = "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT");
        token = Files.readString(data.resolve("api-token")).strip();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1200,900", "--user-data-dir=" + Files.createTempDirectory(data, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void anOperatorAndAUserDoTheirRoundInABrowser() throws Exception {
        // not logged in: every page leads to the login form
        browser.get(base + "/");
        assertTrue(browser.getCurrentUrl().endsWith("/ui/login"), browser.getCurrentUrl());
        screenshot("login");
        login("admin", "not-the-token");
        assertTrue(notice().contains("Login failed"), notice());
        login("admin", token);
        assertTrue(browser.getCurrentUrl().endsWith("/ui/admin/accounts"), browser.getCurrentUrl());
        assertEquals("admin", browser.findElement(By.id("whoami")).getText());

        // create an account and give it a quota
        fill("new-address", "bob@example.com");
        fill("new-password", "bob-first");
        submit("new-password");
        assertEquals("Account bob@example.com created.", notice());
        click(browser.findElement(By.linkText("bob@example.com")));
        fill("quota", "1M");
        submit("quota");
        assertEquals("Quota of bob@example.com set to 1M.", notice());
        click(browser.findElement(By.xpath("//button[text()='Block sending']")));
        assertEquals("bob@example.com is now blocked from sending.", notice());
        assertTrue(browser.findElement(By.id("restrictions")).getText().contains("Sending blocked"));
        click(browser.findElement(By.xpath("//button[text()='Allow sending']")));
        assertEquals("bob@example.com may send again.", notice());
        browser.get(base + "/ui/admin/accounts");
        WebElement bar = usageBar("bob@example.com");
        assertEquals("1048576", bar.getAttribute("max"));
        long before = Long.parseLong(bar.getAttribute("value"));

        // a message delivered over SMTP raises the bar
        try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.MX), 30_000)) {
            smtp.expect("220");
            smtp.send("EHLO client.remote.example").expect("250");
            smtp.send("MAIL FROM:<someone@remote.example>").expect("250");
            smtp.send("RCPT TO:<bob@example.com>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.send("Subject: fill the bar\r\n\r\n" + ("0123456789abcdef".repeat(4) + "\r\n").repeat(5_000) + ".").expect("250");
            smtp.send("QUIT").expect("221");
        }
        long after = before;
        for (int i = 0; i < 100 && after < before + 300_000; i++) {
            Thread.sleep(200);
            browser.navigate().refresh();
            after = Long.parseLong(usageBar("bob@example.com").getAttribute("value"));
        }
        assertTrue(after >= before + 320_000, "the usage bar rose by the message: " + before + " -> " + after);
        screenshot("accounts");

        // markup in a value is shown as text: an account named <script>, a refused address echoed in the notice,
        // an alias target in the table
        fill("new-address", "\"<script>\"@example.com");
        fill("new-password", "x");
        submit("new-password");
        assertEquals("Account \"<script>\"@example.com created.", notice());
        assertTrue(browser.findElement(By.id("accounts")).getText().contains("\"<script>\"@example.com"));
        assertTrue(browser.findElements(By.tagName("script")).isEmpty(), "no script element reached the page");
        fill("new-address", "<script>alert(1)</script>");
        fill("new-password", "x");
        submit("new-password");
        assertTrue(notice().contains("<script>alert(1)</script>"), notice());
        assertTrue(browser.findElements(By.tagName("script")).isEmpty(), "no script element reached the page");
        browser.get(base + "/ui/admin/aliases");
        fill("alias", "team@example.com");
        fill("target", "bob@example.com,\"<script>x\"@remote.example");
        submit("target");
        assertEquals("Alias team@example.com saved.", notice());
        String aliases = browser.findElement(By.id("aliases")).getText();
        assertTrue(aliases.contains("\"<script>x\"@remote.example"), aliases);
        assertTrue(browser.findElements(By.tagName("script")).isEmpty(), "no script element reached the page");
        screenshot("aliases");
        // a regular-expression alias: a pattern the parser refuses comes back with the reason and the text as typed
        fill("pattern", "/^(team-.*@example\\.com$/");
        fill("targets", "bob@example.com");
        submit("targets");
        assertTrue(notice().startsWith("The regular-expression alias was not saved: "), notice());
        assertEquals("/^(team-.*@example\\.com$/", browser.findElement(By.id("pattern")).getAttribute("value"));
        assertEquals("bob@example.com", browser.findElement(By.id("targets")).getAttribute("value"));
        fill("pattern", "/^team-.*@example\\.com$/");
        submit("targets");
        assertEquals("Regular-expression alias /^team-.*@example\\.com$/ saved.", notice());
        awaitText("/ui/admin/aliases#regexp-heading", "regexp-aliases", "/^team-.*@example\\.com$/ bob@example.com");
        screenshot("regexp-aliases");

        // a form posted without the session's CSRF token is refused and changes nothing
        Cookie session = browser.manage().getCookieNamed(SessionCookies.SESSION);
        assertTrue(session.isHttpOnly(), "the session cookie is HttpOnly");
        assertEquals("Strict", session.getSameSite());
        HttpResponse<String> forged = post("/ui/admin/accounts", session, "address=eve%40example.com&password=eve");
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("security token is missing"), forged.body());
        browser.get(base + "/ui/admin/accounts");
        assertFalse(browser.findElement(By.id("accounts")).getText().contains("eve@example.com"));

        // a live IMAP session is listed and disconnected from the sessions page
        try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
            assertTrue(Wire.last(imap.command("a1", "LOGIN bob@example.com bob-first")).startsWith("a1 OK"));
            List<WebElement> kick = List.of();
            for (int i = 0; i < 100 && kick.isEmpty(); i++) {
                browser.get(base + "/ui/admin/sessions");
                kick = browser.findElements(By.cssSelector("button[aria-label^='Disconnect the imap session of bob@example.com']"));
                if (kick.isEmpty()) {
                    Thread.sleep(200);
                }
            }
            assertEquals(1, kick.size(), browser.findElement(By.id("sessions")).getText());
            screenshot("sessions");
            click(kick.get(0));
            assertEquals("1 session(s) of bob@example.com disconnected.", notice());
            assertEquals("* BYE Disconnected by the administrator.", imap.line());
        }

        // a message for another domain waits in the queue: its page shows the envelope and the recipient's
        // state; it is retried, then deleted
        String id;
        try (Wire submission = Smtp.submission(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION),
                "alice@example.com", "alice-secret")) {
            id = Smtp.submit(submission, "<alice@example.com>", List.of("<carl@remote.example>"),
                    "Subject: for the queue\r\n\r\nhello\r\n");
        }
        awaitDeferred(id);
        browser.get(base + "/ui/admin/queue");
        assertTrue(browser.findElement(By.id("queue")).getText().contains("alice@example.com carl@remote.example deferred"),
                browser.findElement(By.id("queue")).getText());
        screenshot("queue");
        click(browser.findElement(By.linkText(id)));
        assertTrue(browser.findElement(By.id("envelope")).getText().contains("alice@example.com"));
        String targets = browser.findElement(By.id("targets")).getText();
        assertTrue(targets.contains("carl@remote.example carl@remote.example remote pending"), targets);
        screenshot("queue-message");
        click(browser.findElement(By.xpath("//button[text()='Retry now']")));
        assertEquals("Message " + id + " will be retried now.", notice());
        awaitDeferred(id);
        click(browser.findElement(By.xpath("//button[text()='Delete without notice']")));
        assertEquals("Message " + id + " deleted without notice.", notice());
        assertFalse(browser.findElement(By.id("queue")).getText().contains(id));
        // bans: ban an address by hand, see it listed, unban it
        browser.get(base + "/ui/admin/bans");
        fill("ip", "192.0.2.99");
        submit("ip");
        assertTrue(notice().startsWith("192.0.2.99 banned until "), notice());
        assertTrue(browser.findElement(By.id("bans")).getText().contains("192.0.2.99 custom"),
                browser.findElement(By.id("bans")).getText());
        screenshot("bans");
        click(browser.findElement(By.cssSelector("button[aria-label='Unban 192.0.2.99']")));
        assertEquals("192.0.2.99 unbanned from custom.", notice());
        assertFalse(browser.findElement(By.id("bans")).getText().contains("192.0.2.99"));
        browser.get(base + "/ui/admin/cluster");
        assertTrue(browser.findElement(By.id("members")).getText().contains("Up"));
        // a DKIM key made as `./mailfleet config dkim` makes it shows with the domain's records
        Path dkimDir = MailfleetConfig.load(null, env).settings().outbound().dkimDir();
        DkimKeys.writeOpenDkim(dkimDir, "example.com", "mail", DkimKeys.generateRsa(1024));
        browser.get(base + "/ui/admin/domains");
        String domains = browser.findElement(By.id("domains")).getText();
        assertTrue(domains.contains("mail._domainkey.example.com") && domains.contains("v=DKIM1")
                && domains.contains("example.com. MX 10 mail.example.com."), domains + "\n" + browser.getPageSource());
        screenshot("domains");
        browser.get(base + "/ui/admin/domains/check?domain=example.com");
        String check = browser.findElement(By.id("dns-check")).getText();
        assertTrue(check.contains("MX 10 mail.example.com. ok"), check);
        assertTrue(check.contains("different v=spf1 -all"), check);
        screenshot("dns-check");

        // a DKIM key made on the DKIM page, as `./mailfleet config dkim` makes it, with the record to publish
        browser.get(base + "/ui/admin/dkim");
        fill("domain", "example.com");
        fill("selector", "web");
        new Select(browser.findElement(By.id("keysize"))).selectByValue("1024");
        submit("selector");
        assertEquals("DKIM key web._domainkey.example.com created. Publish its TXT record, then check DNS.", notice());
        String keys = browser.findElement(By.id("dkim-keys")).getText();
        assertTrue(keys.contains("web._domainkey.example.com. TXT \"v=DKIM1; h=sha256; k=rsa; p="), keys);
        browser.get(base + "/ui/admin/dkim#keys-heading");
        screenshot("dkim");

        // a relay for a sender domain and its login: written to the relay files, the password never shown
        browser.get(base + "/ui/admin/relay");
        fill("relay-domain", "partner.example");
        fill("relay-host", "smtp.partner.example");
        fill("relay-port", "587");
        submit("relay-port");
        assertEquals("Mail from 'partner.example' is relayed through [smtp.partner.example]:587 (postfix-relaymap.cf).",
                notice());
        fill("login-domain", "partner.example");
        fill("login-user", "mailfleet");
        fill("login-password", "relay-secret-pw");
        submit("login-password");
        assertEquals("Relay credentials for 'partner.example' saved as user 'mailfleet' (postfix-sasl-password.cf).",
                notice());
        assertFalse(browser.getPageSource().contains("relay-secret-pw"), "the password is never shown");
        assertTrue(browser.findElement(By.id("domain-relays")).getText()
                .contains("partner.example [smtp.partner.example]:587 yes (@partner.example)"),
                browser.findElement(By.id("domain-relays")).getText());
        screenshot("relay");
        // the login would make every relay connection need TLS: removed again
        click(browser.findElement(By.cssSelector("button[aria-label='Remove the relay login of @partner.example']")));
        assertEquals("Relay credentials for 'partner.example' removed (postfix-sasl-password.cf).", notice());

        awaitText("/ui/admin/charts", "main", "1 nodes reporting");
        screenshot("charts");
        browser.get(base + "/ui/admin/cluster#shards-heading");
        assertTrue(browser.findElement(By.id("main")).getText().contains("Shard placement"));
        screenshot("cluster");
        click(browser.findElement(By.cssSelector("form.logout button")));
        assertEquals("You are logged out.", notice());

        // the user logs in with their mail password, changes it, and IMAP takes the new one
        login("bob@example.com", "bob-first");
        assertTrue(browser.getCurrentUrl().matches(".*/ui/user/bob(@|%40)example\\.com"), browser.getCurrentUrl());
        assertTrue(browser.findElement(By.id("quota")).getText().contains("of 1.0 MiB"),
                browser.findElement(By.id("quota")).getText());
        fill("current", "bob-first");
        fill("password", "bob-second");
        fill("confirm", "bob-second");
        submit("confirm");
        assertEquals("Your password was changed. Use the new one in your mail programs.", notice());
        try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
            assertTrue(Wire.last(imap.command("a1", "LOGIN bob@example.com bob-first")).startsWith("a1 NO"));
            assertTrue(Wire.last(imap.command("a2", "LOGIN bob@example.com bob-second")).startsWith("a2 OK"));
        }

        // the vacation reply: the compiler's refusal is shown, then a valid one is stored and active
        browser.findElement(By.id("enabled")).click();
        fill("subject", "Away \"until\" Monday");
        fill("message", "I am away.\nBack on Monday.");
        fill("days", "0");
        submit("days");
        assertTrue(notice().contains("line 4: vacation :days must be 1 or more"), notice());
        assertEquals("Away \"until\" Monday", browser.findElement(By.id("subject")).getAttribute("value"),
                "what was typed is shown again with the refusal");
        assertTrue(browser.findElement(By.id("enabled")).isSelected());
        fill("days", "3");
        submit("days");
        assertEquals("Vacation reply turned on.", notice());
        assertEquals("Away \"until\" Monday", browser.findElement(By.id("subject")).getAttribute("value"));
        assertTrue(browser.findElement(By.id("enabled")).isSelected());
        screenshot("self-service");
        browser.get(base + "/ui/user/bob%40example.com");
        fill("app-name", "phone");
        submit("app-name");
        assertFalse(browser.findElement(By.id("new-app-password")).getText().isBlank(), "shown once, on this page");
        browser.get(base + "/ui/user/bob%40example.com#app-passwords-heading");
        assertTrue(browser.findElement(By.id("app-passwords")).getText().contains("phone"),
                browser.findElement(By.id("app-passwords")).getText());
        screenshot("app-passwords");
        browser.get(base + "/ui/user/bob%40example.com");
        fill("spam-entry", "*.spammer.example");
        new Select(browser.findElement(By.id("spam-list"))).selectByValue("block");
        submit("spam-entry");
        assertEquals("*.spammer.example added to the block list.", notice());
        browser.get(base + "/ui/user/bob%40example.com#spam-lists-heading");
        screenshot("spam-lists");
        browser.get(base + "/ui/user/bob%40example.com/sieve");
        screenshot("sieve");
        click(browser.findElement(By.linkText("vacation")));
        screenshot("sieve-editor");

        // a user never sees another user's pages, nor the admin pages
        Cookie bob = browser.manage().getCookieNamed(SessionCookies.SESSION);
        assertEquals(403, get("/ui/user/alice@example.com", bob).statusCode());
        assertEquals(403, get("/ui/user/alice%40example.com", bob).statusCode());
        assertEquals(403, get("/ui/admin/accounts", bob).statusCode());
        assertEquals(200, get("/ui/user/bob@example.com", bob).statusCode());
    }

    /** Loads {@code path} until the element {@code id} shows {@code text} (the directory cache and the charts lag a little). */
    private static void awaitText(String path, String id, String text) throws InterruptedException {
        String shown = "";
        for (int i = 0; i < 150 && !shown.contains(text); i++) {
            browser.get(base + path);
            List<WebElement> e = browser.findElements(By.id(id));
            shown = e.isEmpty() ? "" : e.get(0).getText();
            if (!shown.contains(text)) {
                Thread.sleep(200);
            }
        }
        assertTrue(shown.contains(text), path + " shows " + text + ": " + shown);
    }

    /** Refreshes the message's page until its (remote) attempt failed and it waits for the next. */
    private static void awaitDeferred(String id) throws InterruptedException {
        String status = "";
        for (int i = 0; i < 150 && !status.equals("deferred"); i++) {
            browser.get(base + "/ui/admin/queue/" + id);
            List<WebElement> dd = browser.findElements(By.xpath("//dl[@id='envelope']/dt[text()='Status']/following-sibling::dd[1]"));
            status = dd.isEmpty() ? "" : dd.get(0).getText();
            if (!status.equals("deferred")) {
                Thread.sleep(200);
            }
        }
        assertEquals("deferred", status, "message " + id + " deferred");
    }

    /** Logs in with the keyboard alone: type, Tab to the password, Enter. */
    private static void login(String name, String password) {
        browser.get(base + "/ui/login");
        WebElement first = browser.switchTo().activeElement();
        assertEquals("login", first.getAttribute("id"), "the login field has the focus");
        first.sendKeys(name, Keys.TAB);
        WebElement field = browser.switchTo().activeElement();
        navigate(() -> field.sendKeys(password, Keys.ENTER));
    }

    private static void fill(String id, String text) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** Submits the field's form and waits for the page it leads to. */
    private static void submit(String id) {
        WebElement form = browser.findElement(By.id(id)).findElement(By.xpath("./ancestor::form"));
        navigate(form::submit);
    }

    /** Clicks a button or link that leads to another page, and waits for that page. */
    private static void click(WebElement e) {
        navigate(e::click);
    }

    /** Runs an action that loads a new page and waits until the old one is gone (its elements stale). */
    private static void navigate(Runnable action) {
        WebElement old = browser.findElement(By.tagName("html"));
        action.run();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> {
            try {
                old.isEnabled();
                return false;
            } catch (org.openqa.selenium.WebDriverException gone) {
                // stale, or Chromium's "node does not belong to the document" while the new page
                // replaces it: either way the old page is gone
                return true;
            }
        });
    }

    private static String notice() {
        return browser.findElement(By.id("notice")).getText();
    }

    private static WebElement usageBar(String account) {
        return browser.findElement(By.cssSelector("meter[data-account='" + account + "']"));
    }

    /**
     * Checks the page, and with {@code -Dmailfleet.screenshots=true} saves it for docs/web-ui.md (off
     * by default, so a test run never leaves the working tree changed).
     */
    private static void screenshot(String name) throws Exception {
        assertAccessible(name);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        assertTrue(shot.length() > 0, name + ": an empty screenshot");
        if (Boolean.getBoolean("mailfleet.screenshots")) {
            Files.copy(shot.toPath(), docsImages().resolve("web-ui-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Every input has a label, every button a name, and the page has one h1 inside main. */
    private static void assertAccessible(String page) {
        for (WebElement e : browser.findElements(By.cssSelector("input:not([type=hidden]), textarea, select"))) {
            String id = e.getAttribute("id");
            boolean labelled = (id != null && !id.isEmpty()
                    && !browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty())
                    || !e.findElements(By.xpath("./ancestor::label")).isEmpty();
            assertTrue(labelled, page + ": an input without a label: " + e.getAttribute("outerHTML"));
        }
        for (WebElement b : browser.findElements(By.tagName("button"))) {
            String name = b.getText().isBlank() ? b.getAttribute("aria-label") : b.getText();
            assertTrue(name != null && !name.isBlank(), page + ": a button without a name: " + b.getAttribute("outerHTML"));
        }
        assertEquals(1, browser.findElements(By.cssSelector("main h1")).size(), page);
    }

    /** docs/images of the repository (the tests run in the server module's directory). */
    private static Path docsImages() throws Exception {
        Path dir = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("images");
        Files.createDirectories(dir);
        return dir;
    }

    private static HttpResponse<String> post(String path, Cookie session, String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Cookie", session.getName() + "=" + session.getValue())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, Cookie session) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Cookie", session.getName() + "=" + session.getValue()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
