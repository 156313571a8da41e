package io.mailfleet.server.autoconfig;

import io.mailfleet.core.directory.DirectoryView;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The auto-configuration routes, answered for every local domain and 404 for any other:
 * <ul>
 *   <li>{@code GET /.well-known/autoconfig/mail/config-v1.1.xml} and {@code GET /mail/config-v1.1.xml}
 *       (Thunderbird; the domain from {@code ?emailaddress=}, else from an {@code autoconfig.<domain>} Host)</li>
 *   <li>{@code POST /autodiscover/autodiscover.xml} (Outlook's POX request, any case)</li>
 *   <li>{@code GET /autodiscover/autodiscover.json/v1.0/<address>?Protocol=AutodiscoverV1} (v2 JSON)</li>
 *   <li>{@code GET /apple/mobileconfig?emailaddress=} (an Apple configuration profile)</li>
 * </ul>
 */
public final class AutoconfigRoutes extends AllDirectives {

    /** Outlook's POX requests are a few hundred bytes. */
    static final long MAX_BODY = 16 * 1024;

    private static final Pattern AUTODISCOVER = Pattern.compile("(?i)autodiscover");
    private static final Pattern AUTODISCOVER_XML = Pattern.compile("(?i)autodiscover\\.xml");
    private static final Pattern AUTODISCOVER_JSON = Pattern.compile("(?i)autodiscover\\.json");
    private static final ContentType XML = ContentTypes.create(MediaTypes.APPLICATION_XML, HttpCharsets.UTF_8);
    private static final ContentType MOBILECONFIG = ContentTypes.create(
            MediaTypes.customBinary("application", "x-apple-aspen-config", false));

    private final ClientEndpoints endpoints;
    private final Supplier<DirectoryView> directory;

    public AutoconfigRoutes(ClientEndpoints endpoints, Supplier<DirectoryView> directory) {
        this.endpoints = endpoints;
        this.directory = directory;
    }

    public Route routes() {
        return withSizeLimit(MAX_BODY, () -> concat(
                path(PathMatchers.segment(".well-known").slash("autoconfig").slash("mail").slash("config-v1.1.xml"),
                        () -> get(this::thunderbird)),
                path(PathMatchers.segment("mail").slash("config-v1.1.xml"), () -> get(this::thunderbird)),
                path(PathMatchers.segment(AUTODISCOVER).slash(PathMatchers.segment(AUTODISCOVER_XML)),
                        (a, b) -> post(() -> entity(Unmarshaller.entityToByteArray(), this::pox))),
                pathPrefix(PathMatchers.segment(AUTODISCOVER).slash(PathMatchers.segment(AUTODISCOVER_JSON)),
                        (a, b) -> path(PathMatchers.segment("v1.0").slash(PathMatchers.segment()),
                                address -> get(() -> parameterOptional("Protocol", p -> v2(address, p))))),
                path(PathMatchers.segment("apple").slash("mobileconfig"),
                        () -> get(() -> parameterOptional("emailaddress", this::mobileconfig)))));
    }

    private Route thunderbird() {
        return parameterOptional("emailaddress", address -> extractHost(host -> {
            Optional<String> domain = address.map(AutoconfigRoutes::domainOf)
                    .orElseGet(() -> Optional.of(stripPrefix(host.toLowerCase(Locale.ROOT), "autoconfig.")));
            if (domain.isEmpty() || !local(domain.get())) {
                return complete(StatusCodes.NOT_FOUND, "no mail domain here\n");
            }
            return complete(HttpResponse.create().withEntity(XML,
                    ThunderbirdConfig.render(domain.get(), endpoints).getBytes(StandardCharsets.UTF_8)));
        }));
    }

    private Route pox(byte[] body) {
        Optional<String> address = Autodiscover.requestedAddress(body);
        if (address.isEmpty() || domainOf(address.get()).filter(this::local).isEmpty()) {
            return complete(StatusCodes.NOT_FOUND, "no mail account here\n");
        }
        return complete(HttpResponse.create().withEntity(XML,
                Autodiscover.pox(address.get(), endpoints).getBytes(StandardCharsets.UTF_8)));
    }

    private Route v2(String address, Optional<String> protocol) {
        Optional<String> domain = domainOf(address).filter(this::local);
        if (domain.isEmpty()) {
            return complete(StatusCodes.NOT_FOUND, "no mail account here\n");
        }
        String p = protocol.orElse("");
        if (!p.equalsIgnoreCase("AutodiscoverV1")) {
            return complete(HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST)
                    .withEntity(ContentTypes.APPLICATION_JSON, Autodiscover.v2Error(p)));
        }
        return complete(HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, Autodiscover.v2Json(domain.get())));
    }

    private Route mobileconfig(Optional<String> address) {
        if (address.isEmpty() || domainOf(address.get()).filter(this::local).isEmpty()) {
            return complete(StatusCodes.NOT_FOUND, "no mail account here\n");
        }
        String profile = AppleMobileConfig.render(address.get().toLowerCase(Locale.ROOT), endpoints);
        if (profile == null) {
            return complete(StatusCodes.NOT_FOUND, "this node runs no mailbox or no submission listener\n");
        }
        return respondWithHeader(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT,
                        Map.of("filename", "mail.mobileconfig")),
                () -> complete(HttpResponse.create().withEntity(MOBILECONFIG, profile.getBytes(StandardCharsets.UTF_8))));
    }

    private boolean local(String domain) {
        return directory.get().isLocalDomain(domain);
    }

    /** The domain of a plausible address (one @, no spaces or controls, at most 254 characters). */
    static Optional<String> domainOf(String address) {
        int at = address.lastIndexOf('@');
        if (address.length() > 254 || at <= 0 || at == address.length() - 1 || address.indexOf('@') != at
                || address.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return Optional.empty();
        }
        return Optional.of(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    private static String stripPrefix(String host, String prefix) {
        return host.startsWith(prefix) ? host.substring(prefix.length()) : host;
    }
}
