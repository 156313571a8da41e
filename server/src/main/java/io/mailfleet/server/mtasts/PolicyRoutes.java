package io.mailfleet.server.mtasts;

import io.mailfleet.core.directory.DirectoryView;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /.well-known/mta-sts.txt}: the policy for the Host {@code mta-sts.<domain>} when the
 * domain is hosted here (RFC 8461 §3.3), 404 for any other host or path.
 */
public final class PolicyRoutes extends AllDirectives {

    static final String PREFIX = "mta-sts.";

    private final OwnPolicy policy;
    private final Supplier<DirectoryView> directory;

    public PolicyRoutes(OwnPolicy policy, Supplier<DirectoryView> directory) {
        this.policy = policy;
        this.directory = directory;
    }

    public Route routes() {
        return concat(
                path(PathMatchers.segment(".well-known").slash("mta-sts.txt"), () -> get(() -> extractHost(this::serve))),
                complete(StatusCodes.NOT_FOUND, "not found\n"));
    }

    private Route serve(String host) {
        Optional<String> domain = domainOf(host);
        if (domain.isEmpty() || !directory.get().isLocalDomain(domain.get())) {
            return complete(StatusCodes.NOT_FOUND, "no MTA-STS policy for " + host + "\n");
        }
        return complete(HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8,
                policy.text().getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code mta-sts.example.com} → {@code example.com}; anything else → empty. */
    static Optional<String> domainOf(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!h.startsWith(PREFIX) || h.length() == PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(h.substring(PREFIX.length()));
    }
}
