package io.mailfleet.core.spam.uribl;

import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the URL block-list check reads from a message: hosts of links, bare domains, e-mail domains. */
class MessageLinksTest {

    private static final PublicSuffixList PSL = PublicSuffixList.bundled();
    private final MessageLinks links = new MessageLinks(new LinkLimits(20, 256 * 1024, true), PSL);

    private List<String> text(String t) {
        return links.targets(t, false).stream().map(LinkTarget::name).toList();
    }

    private List<String> html(String t) {
        return links.targets(t, true).stream().map(LinkTarget::name).toList();
    }

    @Test
    void linksAreReducedToTheirRegistrableDomainLowerCaseWithoutTrailingDot() {
        assertEquals(List.of("evil-example.com"), text("Visit HTTPS://WWW.Evil-Example.COM./path?x=1 today"));
        assertEquals(List.of("phish.co.uk"), text("http://a.b.phish.co.uk:8080/login"));
        // a private suffix of the list keeps one more label, as SURBL and Rspamd query it
        assertEquals(List.of("someone.github.io"), text("https://someone.github.io/page"));
    }

    @Test
    void obfuscatedLinksAreReadAsAReaderWouldTypeThem() {
        assertEquals(List.of("bad-site.org"), text("hxxps://bad-site[.]org/x"));
        assertEquals(List.of("bad-site.net"), text("h**p://www(.)bad-site(dot)net"));
        assertEquals(List.of("slashes.info"), text("http:\\\\slashes.info\\x"));
        assertEquals(List.of("glued.biz"), text("Clickhttp://glued.biz/now"));
        // the user information before @ is what phishers show; the host after it is visited
        assertEquals(List.of("evil.net"), text("http://paypal.com@evil.net/login"));
        assertEquals(List.of("evil.com"), text("http://%65vil.com/"));
    }

    @Test
    void internationalNamesBecomeALabels() {
        assertEquals(List.of("xn--bcher-kva.de"), text("http://www.bücher.de/"));
        assertEquals(List.of("xn--bcher-kva.de"), text("see bücher。de now"));
    }

    @Test
    void ipLiteralLinksAreAskedWithReversedOctets() {
        List<LinkTarget> t = links.targets("http://192.0.2.7/x and http://3221225992/ and 10.1.2.3 in text", false);
        assertEquals(List.of(new LinkTarget("192.0.2.7", true), new LinkTarget("192.0.2.8", true)), t);
        assertEquals("7.2.0.192.multi.surbl.org", t.get(0).query("multi.surbl.org"));
        assertEquals("evil.com.dbl.spamhaus.org", new LinkTarget("evil.com", false).query("dbl.spamhaus.org"));
    }

    @Test
    void bareDomainsNeedAKnownSuffixAndAreNotPublicSuffixes() {
        assertEquals(List.of("evil.com", "bad.net"), text("see evil.com, or (bad.net). Not file.exe, 3.14, e.g. or co.uk"));
        assertEquals(List.of(), text("http://host.notatld/ http://co.uk/ localhost"));
    }

    @Test
    void emailDomainsCountLastAndOnlyWhenAsked() {
        assertEquals(List.of("link.org", "bare.com", "spammer.biz"),
                text("write to joe@Mail.Spammer.biz or bare.com, http://link.org/"));
        MessageLinks noEmails = new MessageLinks(new LinkLimits(20, 1024, false), PSL);
        assertEquals(List.of(), noEmails.targets("write to joe@mail.spammer.biz", false));
    }

    @Test
    void targetsAreDistinctAndBounded() {
        StringBuilder b = new StringBuilder("http://a.evil.com http://b.evil.com ");
        for (int i = 0; i < 100; i++) {
            b.append("http://d").append(i).append(".com/ ");
        }
        List<String> t = text(b.toString());
        assertEquals(20, t.size());
        assertEquals("evil.com", t.get(0));
        assertEquals("d0.com", t.get(1));
    }

    @Test
    void skippedDomainsAreNeverAskedAndTakeNoPlace() {
        MessageLinks skipping = new MessageLinks(new LinkLimits(2, 1024, true), PSL, java.util.Set.of("w3.org", "google.com"));
        assertEquals(List.of("evil.com", "bad.net"), skipping.targets("http://www.w3.org/TR/ https://maps.google.com/"
                + " http://evil.com/ http://www.w3.org/1999/xhtml http://bad.net/", false).stream().map(LinkTarget::name)
                .toList());
    }

    @Test
    void htmlLinkTargetsAndVisibleTextButNotCommentsOrScripts() {
        String page = "<html><head><style>a{background:url(http://style.com/x)}</style>"
                + "<script>var u='http://script.com/';</script></head><body>"
                + "<a class=x HREF=\"http://www.Href-Target.com/x\">http://shown-text.org</a>"
                + "<a href='http&#58;//entity&#46;net/'>x</a>"
                + "<img src=http://image.info/p.gif alt=''>"
                + "<a data-href=\"http://not-an-href.com\" href=\"\n  https://split\n.example.org \">y</a>"
                + "<!-- http://comment.com --> visit www.visible.biz &amp; more</body></html>";
        List<String> t = html(page);
        assertEquals(List.of("href-target.com", "entity.net", "image.info", "example.org", "shown-text.org",
                "visible.biz"), t, t.toString());
    }

    @Test
    void brokenHtmlIsReadToItsEnd() {
        assertEquals(List.of("unclosed.com"), html("<p>hi <a href='http://unclosed.com/x"));
        assertEquals(List.of("after.com"), html("<<<a <<href=x>> http://after.com </a"));
        assertEquals(List.of(), html("<!-- never closed http://hidden.com"));
    }

    @Test
    void partsAreDecodedAndOnlyTextAndHtmlAreRead() {
        String htmlPart = "<a href=\"http://in-base64.com/\">x</a>";
        String message = "From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Go to http://soft-line-=\r\nbreak.com/ or http=3A//qp-escaped.org/\r\n"
                + "--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(htmlPart.getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--b\r\nContent-Type: application/octet-stream\r\n\r\nhttp://in-attachment.com/\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nhttp://nested.net/\r\n"
                + "--b--\r\n";
        List<String> t = links.targets(message.getBytes(StandardCharsets.UTF_8)).stream().map(LinkTarget::name).toList();
        assertEquals(List.of("soft-line-break.com", "qp-escaped.org", "in-base64.com", "nested.net"), t);
    }

    @Test
    void tenMegabytesOfLinksAreReadOnlyUpToTheLimits() {
        StringBuilder b = new StringBuilder(10 << 20);
        int i = 0;
        while (b.length() < 10 << 20) {
            b.append("http://host").append(i++).append(".com/path ");
        }
        // the limit is reached long before: the rest is never read
        List<String> t = text(b.append("http://late-and-listed.com/").toString());
        assertEquals(20, t.size());
        assertFalse(t.contains("late-and-listed.com"));

        // a message of 10 MB: only its first max-scan-bytes are parsed
        MessageLinks small = new MessageLinks(new LinkLimits(20, 64 * 1024, true), PSL);
        StringBuilder m = new StringBuilder("Subject: x\r\n\r\n");
        while (m.length() < 10 << 20) {
            m.append("plain words without any link at all\r\n");
        }
        m.append("http://far-away.com/\r\n");
        assertEquals(List.of(), small.targets(m.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void hugeLinesAndHostileMarkupCostOneBoundedPass() {
        String noSpaces = "http://first-in-line.com/" + "a.".repeat(5 << 20) + "http://in-the-tail.com/";
        assertEquals(List.of("first-in-line.com"), text(noSpaces));
        assertEquals(List.of(), text("-a".repeat(5 << 20)));
        assertEquals(List.of(), html("<a href=".repeat(1 << 20)));
        assertEquals(List.of(), html("&&#&#x".repeat(1 << 20)));
        assertEquals(List.of(), html("<b>".repeat(1 << 20) + "<a hre"));
        String manyTags = "<a href=\"http://only-link.com\">" + "<i>x</i>".repeat(1 << 20);
        assertEquals(List.of("only-link.com"), html(manyTags));
        assertTrue(text("@".repeat(1 << 20) + " x@" + "b.".repeat(1 << 19)).isEmpty());
    }

    @Test
    void theLinksOfAMessageParsedOnceAreTheLinksOfItsOwnParseOfTheFirstOctets() throws Exception {
        String head = "From: a@b.example\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n"
                + "--alt\r\nContent-Type: text/plain\r\n\r\nsee http://plain-link.com/x\r\n"
                + "--alt\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "<a href=3D\"http://html-link.net/\">x</a> ";
        // a big message: the links are read from the first octets only, the parse covers all of it
        String whole = head + "http://past-the-scan.org/ ".repeat(20_000) + "\r\n--alt--\r\n";
        byte[] bytes = whole.getBytes(StandardCharsets.US_ASCII);
        MessageLinks small = new MessageLinks(new LinkLimits(20, head.length() + 30, true), PSL);
        io.mailfleet.core.mime.MessageSummary once = io.mailfleet.core.mime.MessageParser.parse(
                new java.io.ByteArrayInputStream(bytes));
        long before = io.mailfleet.core.mime.MessageParser.passes();
        List<LinkTarget> fromParse = small.targets(bytes, once);
        assertEquals(before, io.mailfleet.core.mime.MessageParser.passes(), "no parse of its own");
        assertEquals(small.targets(bytes), fromParse);
        List<String> names = fromParse.stream().map(LinkTarget::name).toList();
        assertTrue(names.containsAll(List.of("plain-link.com", "html-link.net")), names.toString());
    }
}
